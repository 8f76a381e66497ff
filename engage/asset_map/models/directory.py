"""The directory, shaped by Open Referral UK (HSDS 3) so it can be exchanged: taxonomies and
their terms, organisations, services, locations and where services are offered."""

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engage.asset_map.vocabulary import weekday_mask
from engage.database import utcnow
from engage.extensions import Model, db
from engage.geo.models import Area

if TYPE_CHECKING:  # the models of the detail and upkeep modules, which import this one
    from engage.asset_map.models.details import (
        CostOption,
        Funding,
        ListingContact,
        Phone,
        ServiceAreaDescription,
        ServiceLanguage,
    )
    from engage.asset_map.models.upkeep import OrganisationMember


def new_uuid() -> str:
    return str(uuid.uuid4())


service_taxonomy = Table(
    "service_taxonomy_terms",
    db.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("taxonomy_term_id", ForeignKey("taxonomy_terms.id"), primary_key=True, index=True),
)

service_at_location = Table(
    "service_at_locations",
    db.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True),
    # The link's own stable id: Open Referral UK lists services at locations as records.
    Column("oruk_id", String(36), unique=True, nullable=False, default=new_uuid),
    # From a place to its services without reading the table (the map reads thousands).
    Index("ix_service_at_locations_location_service", "location_id", "service_id"),
)

# Areas a service covers as a whole (outreach, helplines), rather than at a point.
service_areas = Table(
    "service_areas",
    db.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Areas a location falls in, at every level; assigned on save and on area import.
location_areas = Table(
    "location_areas",
    db.metadata,
    Column("location_id", ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# A note for each change to a service that may move its place in the gap table, and service 0
# for the areas; added by the database's triggers (migrations 0088 and 0089), never updated, so
# no writer waits for another's; read by `directory_index.py`, which takes each service's
# greatest. `changed`: PostgreSQL's transaction id, or SQLite's next number.
directory_changes = Table(
    "directory_changes",
    db.metadata,
    Column("service_id", Integer, primary_key=True, autoincrement=False),
    Column("changed", BigInteger, primary_key=True, autoincrement=False, index=True),
)

# An officer's reading of another directory's term as one or more of our categories.
taxonomy_mappings = Table(
    "taxonomy_mappings",
    db.metadata,
    Column("term_id", ForeignKey("taxonomy_terms.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "category_id",
        ForeignKey("taxonomy_terms.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Taxonomy(Model):
    """A vocabulary of terms: our categories, or one another directory uses."""

    __tablename__ = "taxonomies"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    # "engage" for our categories; other taxonomies are named by their uri or name.
    vocabulary: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(40))

    terms: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="taxonomy")


class TaxonomyTerm(Model):
    __tablename__ = "taxonomy_terms"

    # Our categories keep their readable ids (youth-activities); others use their uuid.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Our categories in Polish (empty for other directories' terms, shown in English).
    name_pl: Mapped[str] = mapped_column(String(200), default="")
    description_pl: Mapped[str] = mapped_column(Text, default="")
    vocabulary: Mapped[str] = mapped_column(String(200), default="engage", index=True)
    taxonomy_id: Mapped[int | None] = mapped_column(ForeignKey("taxonomies.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_terms.id"))
    # The term's code in its own vocabulary (e.g. an LGA list code), and its web address.
    external_code: Mapped[str | None] = mapped_column(String(120))
    term_uri: Mapped[str | None] = mapped_column(String(500))

    taxonomy: Mapped[Taxonomy | None] = relationship(back_populates="terms")
    parent: Mapped["TaxonomyTerm | None"] = relationship(remote_side=[id])
    categories: Mapped[list["TaxonomyTerm"]] = relationship(
        secondary=taxonomy_mappings,
        primaryjoin=lambda: TaxonomyTerm.id == taxonomy_mappings.c.term_id,
        secondaryjoin=lambda: TaxonomyTerm.id == taxonomy_mappings.c.category_id,
    )

    @property
    def is_category(self) -> bool:
        return self.vocabulary == "engage"

    def label(self, locale: str) -> str:
        """The term's name in the reader's language (English when it has no Polish name)."""
        return self.name_pl if locale.startswith("pl") and self.name_pl else self.name

    def description_in(self, locale: str) -> str:
        polish = locale.startswith("pl") and self.description_pl
        return self.description_pl if polish else self.description


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    logo: Mapped[str | None] = mapped_column(String(300))
    uri: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    services: Mapped[list["Service"]] = relationship(back_populates="organisation")
    members: Mapped[list["OrganisationMember"]] = relationship(back_populates="organisation")
    identifiers: Mapped[list["OrganisationIdentifier"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="Phone.organisation_id == Organisation.id",
        cascade="all, delete-orphan",
        order_by="Phone.id",
    )
    contacts: Mapped[list["ListingContact"]] = relationship(
        primaryjoin="ListingContact.organisation_id == Organisation.id",
        cascade="all, delete-orphan",
        order_by="ListingContact.id",
    )
    funding: Mapped[list["Funding"]] = relationship(
        primaryjoin="Funding.organisation_id == Organisation.id",
        cascade="all, delete-orphan",
        order_by="Funding.id",
    )

    @property
    def phone(self) -> str | None:
        return self.phones[0].number if self.phones else None


class OrganisationIdentifier(Model):
    """A registration number: charity, company, or another scheme (org-id.guide)."""

    __tablename__ = "organisation_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    identifier_scheme: Mapped[str | None] = mapped_column(String(60))
    identifier_type: Mapped[str] = mapped_column(String(120))
    identifier: Mapped[str] = mapped_column(String(120))

    organisation: Mapped[Organisation] = relationship(back_populates="identifiers")


class Location(Model):
    __tablename__ = "locations"
    __table_args__ = (Index("ix_locations_lat_lon", "latitude", "longitude"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    location_type: Mapped[str] = mapped_column(String(8), default="physical")
    name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    external_identifier: Mapped[str | None] = mapped_column(String(200))
    external_identifier_type: Mapped[str | None] = mapped_column(String(120))
    # One address per location (the standard allows more; a second is reported, not kept).
    address_oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    address_type: Mapped[str] = mapped_column(String(8), default="physical")
    attention: Mapped[str] = mapped_column(String(200), default="")
    address_1: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    state_province: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    country: Mapped[str] = mapped_column(String(2), default="GB")

    services: Mapped[list["Service"]] = relationship(
        secondary=service_at_location, back_populates="locations"
    )
    areas: Mapped[list[Area]] = relationship(secondary=location_areas)
    accessibility: Mapped[list["LocationAccessibility"]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="LocationAccessibility.id"
    )
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="Phone.location_id == Location.id",
        cascade="all, delete-orphan",
        order_by="Phone.id",
    )

    @property
    def physical(self) -> bool:
        return self.location_type != "virtual"

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.address_1, self.city, self.postcode) if part)


class LocationAccessibility(Model):
    """What helps disabled people use a place: one of our features, or another directory's
    words for it."""

    __tablename__ = "location_accessibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    feature: Mapped[str | None] = mapped_column(String(40))  # an AccessibilityFeature
    description: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(300))

    location: Mapped[Location] = relationship(back_populates="accessibility")


class Service(Model):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The provider's or an officer's Polish version; the open data stays in English.
    description_pl: Mapped[str] = mapped_column(Text, default="")
    # Not indexed: nearly every service is active, and an index on it led SQLite to read
    # every service rather than the places near the one searched.
    status: Mapped[str] = mapped_column(String(24), default="active")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    free: Mapped[bool] = mapped_column(default=True)
    cost_description: Mapped[str | None] = mapped_column(Text)
    access: Mapped[str] = mapped_column(String(16), default="self_referral")
    prevention_level: Mapped[str] = mapped_column(String(12), default="primary")
    email: Mapped[str | None] = mapped_column(String(254))
    url: Mapped[str | None] = mapped_column(String(300))
    alert: Mapped[str] = mapped_column(Text, default="")
    accreditations: Mapped[str] = mapped_column(Text, default="")
    virtual: Mapped[bool] = mapped_column(default=False, index=True)
    assured_date: Mapped[date | None] = mapped_column(Date, index=True)
    assured_by: Mapped[str] = mapped_column(String(120), default="")
    assurer_email: Mapped[str | None] = mapped_column(String(254))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="services")
    locations: Mapped[list[Location]] = relationship(
        secondary=service_at_location, back_populates="services"
    )
    taxonomy_terms: Mapped[list[TaxonomyTerm]] = relationship(secondary=service_taxonomy)
    service_areas: Mapped[list[Area]] = relationship(secondary=service_areas)
    schedules: Mapped[list["Schedule"]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Schedule.id"
    )
    languages: Mapped[list["ServiceLanguage"]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLanguage.id"
    )
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="Phone.service_id == Service.id",
        cascade="all, delete-orphan",
        order_by="Phone.id",
    )
    contacts: Mapped[list["ListingContact"]] = relationship(
        primaryjoin="ListingContact.service_id == Service.id",
        cascade="all, delete-orphan",
        order_by="ListingContact.id",
    )
    cost_options: Mapped[list["CostOption"]] = relationship(
        cascade="all, delete-orphan", order_by="CostOption.id"
    )
    funding: Mapped[list["Funding"]] = relationship(
        primaryjoin="Funding.service_id == Service.id",
        cascade="all, delete-orphan",
        order_by="Funding.id",
    )
    area_descriptions: Mapped[list["ServiceAreaDescription"]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAreaDescription.id"
    )

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages if language.code]

    @property
    def phone(self) -> str | None:
        return self.phones[0].number if self.phones else None

    @property
    def categories(self) -> list[TaxonomyTerm]:
        return [term for term in self.taxonomy_terms if term.is_category]

    @property
    def accessibility_features(self) -> list[str]:
        """Our accessibility features at any of the service's places, once each."""
        found = (a.feature for loc in self.locations for a in loc.accessibility if a.feature)
        return list(dict.fromkeys(found))


class Schedule(Model):
    """When a service runs, in the standard's RFC 5545 terms (`freq`, `byday`, `opens_at`…)."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    # Set when the times are those of one place the service runs at.
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )
    freq: Mapped[str | None] = mapped_column(String(8))
    interval: Mapped[int | None]
    byday: Mapped[str] = mapped_column(String(60), default="")
    bymonthday: Mapped[str] = mapped_column(String(60), default="")
    # One bit per weekday named in byday (Monday = 1), for the day filters.
    weekdays: Mapped[int] = mapped_column(default=0, index=True)
    dtstart: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    opens_at: Mapped[str | None] = mapped_column(String(8))
    closes_at: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    attending_type: Mapped[str | None] = mapped_column(String(40))
    schedule_link: Mapped[str | None] = mapped_column(String(300))

    service: Mapped[Service] = relationship(back_populates="schedules")

    @validates("byday")
    def _keep_weekdays(self, _key: str, value: str) -> str:
        self.weekdays = weekday_mask(value or "")
        return value
