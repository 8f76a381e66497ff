"""The records of Open Referral UK 3.0 as typed models, with Engage's limits: what the API
publishes and what an import accepts. Written from the UK profile's compiled schemas
(CC BY-SA 4.0); `extra="allow"` keeps any other field so an import can say it left it aside.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_serializer,
)

Status = Literal["active", "inactive", "defunct", "temporarily closed"]
LocationType = Literal["physical", "postal", "virtual"]
STATUSES = get_args(Status)
LOCATION_TYPES = get_args(LocationType)
BYDAY = re.compile(r"^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)(,[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU))*$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")
MONTHDAYS = re.compile(r"^-?\d{1,2}(,-?\d{1,2})*$")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("nul")
    return value


def _status(value: Any) -> Any:
    return value.replace("_", " ").lower() if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def within(max_length: int | None = None, min_length: int = 0) -> tuple[Any, ...]:
    """What makes a string one with no NUL characters, within the column it is stored in:
    `name: Annotated[str, *within(200, 1)]` (a call is no type, so it goes inside Annotated)."""
    return (Field(min_length=min_length, max_length=max_length), AfterValidator(_no_nul))


Id = Annotated[
    str,
    Field(min_length=1, max_length=200, json_schema_extra={"format": "uuid"}),
    AfterValidator(_no_nul),
]
Email = Annotated[
    str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_no_nul)
]
Uri = Annotated[
    str, Field(max_length=300, json_schema_extra={"format": "uri"}), AfterValidator(_no_nul)
]
Clock = Annotated[str, Field(pattern=CLOCK.pattern, max_length=20)]
Age = Annotated[int, Field(ge=0, le=120)]
Name = Annotated[str, *within(200)]
Words = Annotated[str, *within(20_000)]


class Record(BaseModel):
    model_config = ConfigDict(extra="allow", allow_inf_nan=False)


class TaxonomyTerm(Record):
    id: Id
    name: Annotated[str, *within(200, 1)]
    description: Words
    parent_id: Id | None = None
    taxonomy: Annotated[str, *within(200)] | None = None
    taxonomy_id: Id | None = None
    term_uri: Uri | None = None
    term: Annotated[str, *within(200)] | None = None
    code: Annotated[str, *within(120)] | None = None


class Taxonomy(Record):
    id: Id
    name: Annotated[str, *within(200, 1)]
    description: Words
    uri: Annotated[str, Field(max_length=500, json_schema_extra={"format": "uri"})] | None = None
    version: Annotated[str, *within(40)] | None = None
    taxonomy_terms: list[TaxonomyTerm] | None = None


class Attribute(Record):
    id: Id
    link_id: Id | None = None
    taxonomy_term_id: Id | None = None
    link_type: Annotated[str, *within(100)] | None = None
    link_entity: Annotated[str, *within(100)] | None = None
    value: Annotated[str, *within(500)] | None = None
    taxonomy_term: TaxonomyTerm | None = None


class Language(Record):
    id: Id
    service_id: Id | None = None
    phone_id: Id | None = None
    name: Annotated[str, *within(100)] | None = None
    code: Annotated[str, *within(12)] | None = None
    note: Words | None = None


class Phone(Record):
    id: Id
    number: Annotated[str, *within(40, 1)]
    extension: Annotated[str | int, Field(union_mode="left_to_right")] | None = None
    type: Annotated[str, *within(20)] | None = None
    description: Words | None = None
    languages: list[Language] | None = None


class Contact(Record):
    id: Id
    name: Name | None = None
    title: Name | None = None
    department: Name | None = None
    email: Email | None = None
    phones: list[Phone] | None = None
    attributes: list[Attribute] | None = None


class OrganizationIdentifier(Record):
    id: Id
    organization_id: Id | None = None
    identifier_scheme: Annotated[str, *within(60)] | None = None
    identifier_type: Annotated[str, *within(120, 1)]
    identifier: Annotated[str, *within(120, 1)]
    attributes: list[Attribute] | None = None


class Funding(Record):
    id: Id
    service_id: Id | None = None
    organization_id: Id | None = None
    source: Words | None = None


class CostOption(Record):
    id: Id
    service_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    option: Words | None = None
    amount: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = None
    currency: Annotated[str, *within(3)] | None = None
    amount_description: Words | None = None

    @field_serializer("amount")
    def _amount(self, amount: Decimal | None) -> float | None:
        return None if amount is None else float(amount)


class Schedule(Record):
    id: Id
    service_id: Id | None = None
    service_at_location_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    freq: Annotated[Literal["WEEKLY", "MONTHLY"], BeforeValidator(_upper)] | None = None
    interval: Annotated[int, Field(ge=1, le=366)] | None = None
    byday: (
        Annotated[str, Field(pattern=BYDAY.pattern, max_length=60), BeforeValidator(_upper)] | None
    ) = None
    bymonthday: Annotated[str, Field(pattern=MONTHDAYS.pattern, max_length=60)] | None = None
    description: Words | None = None
    opens_at: Clock | None = None
    closes_at: Clock | None = None
    schedule_link: Uri | None = None
    attending_type: Annotated[str, *within(40)] | None = None
    notes: Words | None = None


class ServiceArea(Record):
    id: Id
    service_id: Id | None = None
    name: Name | None = None
    extent: Annotated[str, *within(1_000_000)] | None = None
    extent_type: Annotated[str, *within(20)] | None = None
    uri: Uri | None = None
    service_area: Words | None = None
    description: Words | None = None


class Address(Record):
    id: Id
    location_id: Id | None = None
    attention: Name | None = None
    address_1: Name
    city: Annotated[str, *within(100)]
    region: Annotated[str, *within(100)] | None = None
    state_province: Annotated[str, *within(100)]
    postal_code: Annotated[str, *within(10)]
    country: Annotated[str, *within(2, 2)]
    address_type: LocationType
    attributes: list[Attribute] | None = None


class Accessibility(Record):
    id: Id
    location_id: Id | None = None
    description: Words | None = None
    details: Words | None = None
    url: Uri | None = None
    accessibility: Words | None = None
    attributes: list[Attribute] | None = None


class LocationSummary(Record):
    id: Id
    location_type: LocationType
    name: Name | None = None
    description: Words | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    external_identifier: Name | None = None
    external_identifier_type: Annotated[str, *within(120)] | None = None


class Location(LocationSummary):
    addresses: list[Address] | None = None
    accessibility: list[Accessibility] | None = None
    phones: list[Phone] | None = None
    attributes: list[Attribute] | None = None


class OrganizationSummary(Record):
    id: Id
    name: Annotated[str, *within(200, 1)]
    description: Words
    email: Email | None = None
    website: Uri | None = None
    logo: Uri | None = None
    uri: Uri | None = None
    parent_organization_id: Id | None = None


class ServiceSummary(Record):
    id: Id
    organization_id: Id | None = None
    name: Annotated[str, *within(200, 1)]
    description: Words | None = None
    url: Uri | None = None
    email: Email | None = None
    status: Annotated[Status, BeforeValidator(_status)]
    fees: Words | None = None
    accreditations: Words | None = None
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    assured_date: date | None = None
    assurer_email: Email | None = None
    alert: Words | None = None
    last_modified: datetime | None = None
    organization: OrganizationSummary | None = None

    @field_serializer("last_modified")
    def _modified(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"


class Organization(OrganizationSummary):
    organization_identifiers: list[OrganizationIdentifier] | None = None
    attributes: list[Attribute] | None = None
    phones: list[Phone] | None = None
    contacts: list[Contact] | None = None
    funding: list[Funding] | None = None
    services: list["Service"] | None = None


class ServiceAtLocationSummary(Record):
    id: Id
    service_id: Id | None = None
    location_id: Id | None = None
    location: LocationSummary | None = None
    service: ServiceSummary | None = None


class NestedServiceAtLocation(Record):
    id: Id
    service_id: Id | None = None
    location_id: Id | None = None
    location: Location | None = None


class Service(ServiceSummary):
    schedules: list[Schedule] | None = None
    service_areas: list[ServiceArea] | None = None
    service_at_locations: list[NestedServiceAtLocation] | None = None
    languages: list[Language] | None = None
    organization: Organization | None = None
    funding: list[Funding] | None = None
    cost_options: list[CostOption] | None = None
    contacts: list[Contact] | None = None
    attributes: list[Attribute] | None = None
    phones: list[Phone] | None = None
    eligibility_description: Words | None = None
    fees_description: Words | None = None
    application_process: Words | None = None
    x_engage_access: Literal["self_referral", "referral", "both"] | None = None
    x_engage_prevention_level: Literal["primary", "secondary", "tertiary"] | None = None


class ServiceAtLocation(Record):
    id: Id
    service_id: Id | None = None
    location_id: Id | None = None
    location: Location | None = None
    service: Service | None = None


Organization.model_rebuild()


class Page(BaseModel):
    """One page of a list, the way Open Referral UK pages every list."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[Any]


def compact(value: Any) -> Any:
    """The standard leaves a field with no value out, rather than sending null or ""."""
    if isinstance(value, dict):
        kept = ((k, compact(v)) for k, v in value.items())
        return {k: v for k, v in kept if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def dump(record: BaseModel) -> dict[str, Any]:
    return compact(record.model_dump(mode="json", exclude_none=True))
