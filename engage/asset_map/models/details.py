"""The details of a listing that the standard keeps as records of their own: languages,
phones, contacts, cost options, funding and service areas described in words."""

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.asset_map.models.directory import Location, Organisation, Service, new_uuid
from engage.extensions import Model
from engage.geo.models import Area


class ServiceLanguage(Model):
    """A language the service is offered in, by ISO 639 code (en, pl, pa…)."""

    __tablename__ = "service_languages"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ListingContact(Model):
    """A named person or role to speak to, of a service, an organisation or a place."""

    __tablename__ = "listing_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))

    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="Phone.contact_id == ListingContact.id",
        cascade="all, delete-orphan",
        order_by="Phone.id",
    )


class Phone(Model):
    """A phone number of a service, an organisation, a contact or a place."""

    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("listing_contacts.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(40))
    extension: Mapped[str | None] = mapped_column(String(20))
    type: Mapped[str | None] = mapped_column(String(20))  # text, voice, fax, cell, video, pager…
    description: Mapped[str] = mapped_column(Text, default="")
    # ISO 639 codes of the languages spoken on this line.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class CostOption(Model):
    """What a service costs: an amount, what it is for, and when it applies."""

    __tablename__ = "cost_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    option: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_description: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Funding(Model):
    """Who pays for a service or an organisation, in words."""

    __tablename__ = "funding"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(Text)


class ServiceAreaDescription(Model):
    """A service area as another directory describes it, when it is not one of our areas:
    its name, free text, and its extent (GeoJSON, KML or WKT) if given."""

    __tablename__ = "service_area_descriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    extent: Mapped[str] = mapped_column(Text, default="")
    extent_type: Mapped[str | None] = mapped_column(String(20))
    uri: Mapped[str | None] = mapped_column(String(300))


__all__ = [
    "Area",
    "ListingContact",
    "CostOption",
    "Funding",
    "Location",
    "Organisation",
    "Phone",
    "Service",
    "ServiceAreaDescription",
    "ServiceLanguage",
]
