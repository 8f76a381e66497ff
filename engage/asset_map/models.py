"""The directory, shaped by Open Referral UK (HSDS 3) so it can be exchanged: organisations,
services, locations, schedules and taxonomy terms, plus what keeps it true (reports of
problems, proposed changes, revisions, reminders) and what shows unmet demand (search log)."""

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.database import utcnow
from engage.extensions import db
from engage.geo.models import Area


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
    Column(
        "location_id", ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
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


class ServiceStatus:
    ACTIVE = "active"
    INACTIVE = "inactive"
    TEMPORARILY_CLOSED = "temporarily_closed"
    ALL = (ACTIVE, INACTIVE, TEMPORARILY_CLOSED)


class Access:
    SELF_REFERRAL = "self_referral"
    REFERRAL = "referral"
    BOTH = "both"
    ALL = (SELF_REFERRAL, REFERRAL, BOTH)


class PreventionLevel:
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"
    ALL = (PRIMARY, SECONDARY, TERTIARY)


class TaxonomyTerm(db.Model):
    __tablename__ = "taxonomy_terms"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    vocabulary: Mapped[str] = mapped_column(String(40), default="engage")
    # Code of the same idea in another vocabulary (e.g. an Open Referral UK or LGA term).
    external_code: Mapped[str | None] = mapped_column(String(120))


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    services: Mapped[list["Service"]] = relationship(back_populates="organisation")
    members: Mapped[list["OrganisationMember"]] = relationship(back_populates="organisation")


class OrganisationMember(db.Model):
    """A provider's claim to look after an organisation's listing; an officer approves it."""

    __tablename__ = "organisation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Location(db.Model):
    __tablename__ = "locations"
    __table_args__ = (Index("ix_locations_lat_lon", "latitude", "longitude"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200), default="")
    address_1: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    physical: Mapped[bool] = mapped_column(default=True)

    services: Mapped[list["Service"]] = relationship(
        secondary=service_at_location, back_populates="locations"
    )
    areas: Mapped[list[Area]] = relationship(secondary=location_areas)

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.address_1, self.city, self.postcode) if part)


class Service(db.Model):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24), default=ServiceStatus.ACTIVE, index=True)
    eligibility: Mapped[str] = mapped_column(Text, default="")
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    free: Mapped[bool] = mapped_column(default=True)
    cost_description: Mapped[str | None] = mapped_column(String(200))
    access: Mapped[str] = mapped_column(String(16), default=Access.SELF_REFERRAL)
    # Comma-wrapped codes (",en,pl,") so a LIKE finds one code exactly, on both databases.
    languages: Mapped[str] = mapped_column(String(200), default=",en,")
    accessibility: Mapped[str] = mapped_column(String(300), default=",")
    prevention_level: Mapped[str] = mapped_column(String(12), default=PreventionLevel.PRIMARY)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(300))
    virtual: Mapped[bool] = mapped_column(default=False)
    assured_date: Mapped[date | None] = mapped_column(Date, index=True)
    assured_by: Mapped[str] = mapped_column(String(120), default="")
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

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def accessibility_features(self) -> list[str]:
        return [code for code in self.accessibility.split(",") if code]


class Schedule(db.Model):
    """Weekly opening times (HSDS `byday`, `opens_at`, `closes_at`)."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    byday: Mapped[str] = mapped_column(String(2))
    opens_at: Mapped[str] = mapped_column(String(5))
    closes_at: Mapped[str] = mapped_column(String(5))
    description: Mapped[str | None] = mapped_column(String(200))

    service: Mapped[Service] = relationship(back_populates="schedules")


class ProblemReport(db.Model):
    """ "Report a problem with this listing", from anyone; no personal data is asked for."""

    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship()


class ProposedChange(db.Model):
    """An edit by a provider, waiting for an officer: the fields as they were and as proposed."""

    __tablename__ = "proposed_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])


class ServiceRevision(db.Model):
    """The history of a listing: who changed which fields, from what to what, and how."""

    __tablename__ = "service_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict] = mapped_column(JSON)

    service: Mapped[Service] = relationship()
    changed_by: Mapped[User | None] = relationship()


class FreshnessReminder(db.Model):
    __tablename__ = "freshness_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[Service] = relationship()


class SearchLog(db.Model):
    """What people looked for and how much they found; never who they are."""

    __tablename__ = "search_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    query: Mapped[str] = mapped_column(String(120), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    filters: Mapped[dict] = mapped_column(JSON)
    result_count: Mapped[int]
