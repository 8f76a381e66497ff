"""The records a service holds, taken from an Open Referral UK document: each list replaces
what the service had, and a record the document names by an id it already has keeps it."""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select

from engage.asset_map.exchange.report import ImportReport
from engage.asset_map.models import (
    CostOption,
    Funding,
    ListingContact,
    Location,
    LocationAccessibility,
    OrganisationIdentifier,
    Phone,
    Schedule,
    ServiceAreaDescription,
    ServiceLanguage,
)
from engage.asset_map.oruk import schema as o
from engage.asset_map.oruk.ids import derived, is_uuid
from engage.asset_map.vocabulary import AccessibilityFeature
from engage.extensions import db
from engage.geo.models import Area
from engage.geo.places import normalise_postcode

R = TypeVar("R")
AREA_PAGE = re.compile(r"/areas/([^/?#]+)/?$")
CHILD_TABLES = (
    CostOption,
    Funding,
    ListingContact,
    LocationAccessibility,
    OrganisationIdentifier,
    Phone,
    Schedule,
    ServiceAreaDescription,
    ServiceLanguage,
)


class Ids:
    """Which uuids a chunk of documents asks for are already some record's, so a child
    keeps the document's id only where that does not take another record's."""

    def __init__(self, services: Sequence[o.Service]) -> None:
        wanted = {i.lower() for i in _child_ids(services) if is_uuid(i)}
        self.taken: set[str] = set()
        self.addresses: set[str] = set()
        for model in CHILD_TABLES:
            for start in range(0, len(wanted), 500):
                chunk = list(wanted)[start : start + 500]
                self.taken.update(
                    db.session.scalars(select(model.oruk_id).where(model.oruk_id.in_(chunk)))
                )

    def pick(self, owner: str, kind: str, given: str, mine: Iterable[str]) -> str:
        own = given.lower()
        if is_uuid(given) and (own not in self.taken or own in set(mine)):
            self.taken.add(own)
            return own
        return derived(owner, kind, given)


def _child_ids(services: Sequence[o.Service]) -> Iterable[str]:
    for service in services:
        for values in (
            service.schedules,
            service.languages,
            service.phones,
            service.contacts,
            service.cost_options,
            service.funding,
            service.service_areas,
        ):
            yield from (v.id for v in values or [])
        for contact in service.contacts or []:
            yield from (p.id for p in contact.phones or [])
        for at in service.service_at_locations or []:
            if at.location:
                yield from (a.id for a in at.location.accessibility or [])
                yield from (p.id for p in at.location.phones or [])


def replace(
    current: list[R],
    docs: Sequence[Any] | None,
    ids: Ids,
    owner: str,
    kind: str,
    make: Callable[[Any, R | None], R],
) -> list[R]:
    """The new list for a relationship: one record per document, the same record where the
    document names one this owner already has."""
    mine = {getattr(r, "oruk_id"): r for r in current}  # noqa: B009
    result = []
    for doc in docs or []:
        oruk_id = ids.pick(owner, kind, doc.id, mine)
        record = make(doc, mine.get(oruk_id))
        setattr(record, "oruk_id", oruk_id)  # noqa: B010
        result.append(record)
    return result


def _fill(record: Any, **values: Any) -> Any:
    for key, value in values.items():
        setattr(record, key, value)
    return record


def phone(doc: o.Phone, found: Phone | None) -> Phone:
    return _fill(
        found or Phone(),
        number=doc.number,
        extension=None if doc.extension is None else str(doc.extension)[:20],
        type=doc.type,
        description=doc.description or "",
        languages=[lang.code for lang in doc.languages or [] if lang.code],
    )


def phones(current: list[Phone], docs: Sequence[o.Phone] | None, ids: Ids, owner: str) -> list:
    return replace(current, docs, ids, owner, "phone", phone)


def contact(ids: Ids, owner: str) -> Callable[[o.Contact, ListingContact | None], ListingContact]:
    def make(doc: o.Contact, found: ListingContact | None) -> ListingContact:
        record = found or ListingContact()
        _fill(
            record,
            name=doc.name or "",
            title=doc.title or "",
            department=doc.department or "",
            email=doc.email,
        )
        record.phones = phones(record.phones, doc.phones, ids, f"{owner}/{doc.id}")
        return record

    return make


def funding(doc: o.Funding, found: Funding | None) -> Funding:
    return _fill(found or Funding(), source=doc.source or "")


def identifier(doc: o.OrganizationIdentifier, found: OrganisationIdentifier | None):
    return _fill(
        found or OrganisationIdentifier(),
        identifier_scheme=doc.identifier_scheme,
        identifier_type=doc.identifier_type,
        identifier=doc.identifier,
    )


def language(doc: o.Language, found: ServiceLanguage | None) -> ServiceLanguage:
    return _fill(
        found or ServiceLanguage(),
        code=(doc.code or "").lower(),
        name=doc.name or "",
        note=doc.note or "",
    )


def cost(doc: o.CostOption, found: CostOption | None) -> CostOption:
    return _fill(
        found or CostOption(),
        option=doc.option or "",
        amount=doc.amount,
        currency=doc.currency,
        amount_description=doc.amount_description or "",
        valid_from=doc.valid_from,
        valid_to=doc.valid_to,
    )


def clock(value: str | None) -> str | None:
    """HH:MM (or HH:MM:SS when the seconds matter), local time as the UK profile means it."""
    if not value:
        return None
    hours, minutes, *rest = value[:8].split(":")
    seconds = rest[0][:2] if rest else "00"
    return f"{hours}:{minutes}" if seconds == "00" else f"{hours}:{minutes}:{seconds}"


def schedule(doc: o.Schedule, found: Schedule | None) -> Schedule:
    return _fill(
        found or Schedule(),
        freq=doc.freq,
        interval=doc.interval,
        byday=doc.byday or "",
        bymonthday=doc.bymonthday or "",
        dtstart=doc.dtstart,
        valid_from=doc.valid_from,
        valid_to=doc.valid_to,
        opens_at=clock(doc.opens_at),
        closes_at=clock(doc.closes_at),
        description=doc.description,
        notes=doc.notes or "",
        attending_type=doc.attending_type,
        schedule_link=doc.schedule_link,
    )


def accessibility(doc: o.Accessibility, found: LocationAccessibility | None):
    words = doc.description or doc.accessibility or ""
    feature = AccessibilityFeature.from_english(words)
    return _fill(
        found or LocationAccessibility(),
        feature=feature.value if feature else None,
        description=words,
        details=doc.details or "",
        url=doc.url,
    )


def address_id(record: Location, given: str, ids: Ids) -> str:
    """The document's address id when it is a uuid no other place has; else one derived."""
    own = given.lower()
    if is_uuid(given) and own == record.address_oruk_id:
        return own
    if is_uuid(given) and own not in ids.addresses:
        taken = db.session.scalar(
            select(Location.id).where(Location.address_oruk_id == own, Location.id != record.id)
        )
        if taken is None:
            ids.addresses.add(own)
            return own
    return derived(record.oruk_id, "address", given)


def fill_location(
    record: Location, doc: o.Location, report: ImportReport, where: str, ids: Ids
) -> None:
    _fill(
        record,
        location_type=doc.location_type,
        name=doc.name or "",
        description=doc.description or "",
        latitude=doc.latitude,
        longitude=doc.longitude,
        external_identifier=doc.external_identifier,
        external_identifier_type=doc.external_identifier_type,
    )
    addresses = doc.addresses or []
    if addresses:
        first = addresses[0]
        _fill(
            record,
            address_oruk_id=address_id(record, first.id, ids),
            attention=first.attention or "",
            address_1=first.address_1,
            city=first.city,
            region=first.region or "",
            state_province=first.state_province,
            postcode=normalise_postcode(first.postal_code) or first.postal_code,
            country=first.country.upper(),
            address_type=first.address_type,
        )
    for n in range(1, len(addresses)):
        report.leave_aside(f"{where}/addresses/{n}", "a second address of a place")


def area_of(doc: o.ServiceArea, areas: dict[str, Area]) -> Area | None:
    """One of our areas, when the document names it by its page, its code or its name."""
    match = AREA_PAGE.search(doc.uri or "")
    if match and match.group(1) in areas:
        return areas[match.group(1)]
    for value in (doc.name, doc.service_area):
        if value and value.strip().lower() in areas:
            return areas[value.strip().lower()]
    return None


def area_description(doc: o.ServiceArea, found: ServiceAreaDescription | None):
    return _fill(
        found or ServiceAreaDescription(),
        name=doc.name or "",
        description=doc.service_area or doc.description or "",
        extent=doc.extent or "",
        extent_type=doc.extent_type,
        uri=doc.uri,
    )


def areas_by_key() -> dict[str, Area]:
    """Our areas by code and by lower-case name."""
    found: dict[str, Area] = {}
    for area in db.session.scalars(select(Area)):
        found[area.code] = area
        found.setdefault(area.name.lower(), area)
    return found
