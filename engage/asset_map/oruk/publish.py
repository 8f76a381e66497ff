"""Our directory as Open Referral UK 3.0 records. Every id is a stable uuid; a field with no
value is left out; records the standard nests (addresses, phones…) get their own ids."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from engage.asset_map.models import (
    CostOption,
    Funding,
    ListingContact,
    Location,
    LocationAccessibility,
    Organisation,
    Phone,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
    service_at_location,
)
from engage.asset_map.oruk import schema as o
from engage.asset_map.oruk.ids import derived
from engage.asset_map.vocabulary import AccessibilityFeature, ServiceStatus
from engage.extensions import db
from engage.geo.models import Area

Links = dict[tuple[int, int], str]


def links_of(service_ids: Sequence[int]) -> Links:
    """The ids of the service-at-location records of these services."""
    if not service_ids:
        return {}
    rows = db.session.execute(
        select(
            service_at_location.c.service_id,
            service_at_location.c.location_id,
            service_at_location.c.oruk_id,
        ).where(service_at_location.c.service_id.in_(list(service_ids)))
    )
    return {(row.service_id, row.location_id): row.oruk_id for row in rows}


def _or_none(value: Any) -> Any:
    return value if value not in ("", None) else None


def taxonomy(item: Taxonomy, terms: Iterable[TaxonomyTerm] | None = None) -> o.Taxonomy:
    return o.Taxonomy(
        id=item.oruk_id,
        name=item.name,
        description=item.description or item.name,
        uri=item.uri,
        version=item.version,
        taxonomy_terms=[taxonomy_term(t) for t in terms] if terms is not None else None,
    )


def taxonomy_term(term: TaxonomyTerm) -> o.TaxonomyTerm:
    return o.TaxonomyTerm(
        id=term.oruk_id,
        name=term.name,
        description=term.description or term.name,
        parent_id=term.parent.oruk_id if term.parent else None,
        taxonomy=term.taxonomy.name if term.taxonomy else None,
        taxonomy_id=term.taxonomy.oruk_id if term.taxonomy else None,
        term_uri=term.term_uri,
        term=term.name,
        code=term.external_code,
    )


def phone(item: Phone) -> o.Phone:
    return o.Phone(
        id=item.oruk_id,
        number=item.number,
        extension=item.extension,
        type=item.type,
        description=_or_none(item.description),
        languages=[
            o.Language(id=derived("phone-language", item.oruk_id, c), code=c)
            for c in item.languages
        ]
        or None,
    )


def contact(item: ListingContact) -> o.Contact:
    return o.Contact(
        id=item.oruk_id,
        name=_or_none(item.name),
        title=_or_none(item.title),
        department=_or_none(item.department),
        email=item.email,
        phones=[phone(p) for p in item.phones] or None,
    )


def funding(item: Funding) -> o.Funding:
    return o.Funding(id=item.oruk_id, source=item.source)


def organisation_summary(org: Organisation) -> o.OrganizationSummary:
    return o.OrganizationSummary(
        id=org.oruk_id,
        name=org.name,
        description=org.description or org.name,
        email=org.email,
        website=org.website,
        logo=org.logo,
        uri=org.uri,
    )


def organisation(org: Organisation, services: list[o.Service] | None = None) -> o.Organization:
    return o.Organization(
        **organisation_summary(org).model_dump(exclude_none=True),
        organization_identifiers=[
            o.OrganizationIdentifier(
                id=i.oruk_id,
                organization_id=org.oruk_id,
                identifier_scheme=i.identifier_scheme,
                identifier_type=i.identifier_type,
                identifier=i.identifier,
            )
            for i in org.identifiers
        ],
        phones=[phone(p) for p in org.phones],
        contacts=[contact(c) for c in org.contacts],
        funding=[funding(f) for f in org.funding],
        services=services,
    )


def _address(loc: Location) -> list[o.Address]:
    parts = (loc.address_1, loc.city, loc.state_province, loc.postcode, loc.country)
    if loc.location_type == "virtual" or not all(parts):
        return []
    return [
        o.Address(
            id=loc.address_oruk_id,
            location_id=loc.oruk_id,
            attention=_or_none(loc.attention),
            address_1=loc.address_1,
            city=loc.city,
            region=_or_none(loc.region),
            state_province=loc.state_province,
            postal_code=loc.postcode,
            country=loc.country,
            address_type=loc.address_type,
        )
    ]


def _accessibility(item: LocationAccessibility) -> o.Accessibility:
    description = item.description
    if item.feature and not description:
        description = AccessibilityFeature(item.feature).english
    return o.Accessibility(
        id=item.oruk_id,
        location_id=item.location.oruk_id,
        description=_or_none(description),
        details=_or_none(item.details),
        url=item.url,
    )


def location_summary(loc: Location) -> o.LocationSummary:
    return o.LocationSummary(
        id=loc.oruk_id,
        location_type=loc.location_type,
        name=_or_none(loc.name),
        description=_or_none(loc.description),
        latitude=loc.latitude,
        longitude=loc.longitude,
        external_identifier=loc.external_identifier,
        external_identifier_type=loc.external_identifier_type,
    )


def location(loc: Location) -> o.Location:
    return o.Location(
        **location_summary(loc).model_dump(exclude_none=True),
        addresses=_address(loc),
        accessibility=[_accessibility(a) for a in loc.accessibility],
        phones=[phone(p) for p in loc.phones],
    )


def schedule(item: Schedule, links: Links) -> o.Schedule:
    at = links.get((item.service_id, item.location_id)) if item.location_id else None
    return o.Schedule(
        id=item.oruk_id,
        service_id=item.service.oruk_id,
        service_at_location_id=at,
        valid_from=item.valid_from,
        valid_to=item.valid_to,
        dtstart=item.dtstart,
        freq=item.freq,
        interval=item.interval,
        byday=_or_none(item.byday),
        bymonthday=_or_none(item.bymonthday),
        description=_or_none(item.description),
        opens_at=item.opens_at,
        closes_at=item.closes_at,
        schedule_link=item.schedule_link,
        attending_type=item.attending_type,
        notes=_or_none(item.notes),
    )


def _cost(item: CostOption) -> o.CostOption:
    return o.CostOption(
        id=item.oruk_id,
        valid_from=item.valid_from,
        valid_to=item.valid_to,
        option=_or_none(item.option),
        amount=item.amount,
        currency=item.currency,
        amount_description=_or_none(item.amount_description),
    )


def _costs(service: Service) -> list[o.CostOption]:
    if service.cost_options:
        return [_cost(c) for c in service.cost_options]
    if service.free:
        return [o.CostOption(id=derived("free", service.oruk_id), option="Free", amount=0)]
    return []


def _area(service: Service, area: Area) -> o.ServiceArea:
    return o.ServiceArea(
        id=derived("service-area", service.oruk_id, area.code),
        service_id=service.oruk_id,
        name=area.name,
        service_area=area.name,
        uri=f"urn:engage:area:{area.code}",
    )


def _areas(service: Service) -> list[o.ServiceArea]:
    described = [
        o.ServiceArea(
            id=a.oruk_id,
            service_id=service.oruk_id,
            name=_or_none(a.name),
            service_area=_or_none(a.description),
            extent=_or_none(a.extent),
            extent_type=a.extent_type,
            uri=a.uri,
        )
        for a in service.area_descriptions
    ]
    return [_area(service, area) for area in service.service_areas] + described


def _attributes(service: Service) -> list[o.Attribute]:
    return [
        o.Attribute(
            id=derived("attribute", service.oruk_id, term.oruk_id),
            link_id=service.oruk_id,
            link_type="service",
            taxonomy_term_id=term.oruk_id,
            taxonomy_term=taxonomy_term(term),
        )
        for term in service.taxonomy_terms
    ]


def service_summary(service: Service) -> o.ServiceSummary:
    return o.ServiceSummary(
        id=service.oruk_id,
        organization_id=service.organisation.oruk_id,
        name=service.name,
        description=_or_none(service.description),
        url=service.url,
        email=service.email,
        status=ServiceStatus(service.status).oruk,
        fees=None if service.free else service.cost_description,
        accreditations=_or_none(service.accreditations),
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        assured_date=service.assured_date,
        assurer_email=service.assurer_email,
        alert=_or_none(service.alert),
        last_modified=service.updated_at,
        organization=organisation_summary(service.organisation),
    )


def service(item: Service, links: Links, with_organisation: bool = True) -> o.Service:
    return o.Service(
        **service_summary(item).model_dump(exclude_none=True, exclude={"organization"}),
        organization=organisation(item.organisation) if with_organisation else None,
        schedules=[schedule(s, links) for s in item.schedules],
        service_areas=_areas(item),
        service_at_locations=[
            o.NestedServiceAtLocation(
                id=links[(item.id, loc.id)],
                service_id=item.oruk_id,
                location_id=loc.oruk_id,
                location=location(loc),
            )
            for loc in item.locations
        ],
        languages=[
            o.Language(
                id=lang.oruk_id,
                service_id=item.oruk_id,
                code=lang.code,
                name=_or_none(lang.name),
                note=_or_none(lang.note),
            )
            for lang in item.languages
        ],
        funding=[funding(f) for f in item.funding],
        cost_options=_costs(item),
        contacts=[contact(c) for c in item.contacts],
        attributes=_attributes(item),
        phones=[phone(p) for p in item.phones],
        eligibility_description=_or_none(item.eligibility),
        fees_description=None if item.free else item.cost_description,
        x_engage_access=item.access,
        x_engage_prevention_level=item.prevention_level,
    )


def service_at_location_summary(
    service: Service, loc: Location, link_id: str
) -> o.ServiceAtLocationSummary:
    return o.ServiceAtLocationSummary(
        id=link_id,
        service_id=service.oruk_id,
        location_id=loc.oruk_id,
        location=location_summary(loc),
        service=service_summary(service),
    )


def service_at_location_full(item: Service, loc: Location, links: Links) -> o.ServiceAtLocation:
    full = service(item, links)
    return o.ServiceAtLocation(
        id=links[(item.id, loc.id)],
        service_id=item.oruk_id,
        location_id=loc.oruk_id,
        location=location(loc),
        service=full.model_copy(update={"service_at_locations": None}),
    )
