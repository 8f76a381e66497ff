"""How much of a service to load at once: everything a page or a published record shows,
in one query per related table rather than one per service."""

from sqlalchemy.orm import selectinload

from engage.asset_map.models import (
    ListingContact,
    Location,
    Organisation,
    Service,
    TaxonomyTerm,
)


def everything() -> tuple:
    """A service with all it holds: what the service page and the open data show."""
    return (
        selectinload(Service.organisation).selectinload(Organisation.identifiers),
        selectinload(Service.organisation).selectinload(Organisation.phones),
        selectinload(Service.organisation)
        .selectinload(Organisation.contacts)
        .selectinload(ListingContact.phones),
        selectinload(Service.organisation).selectinload(Organisation.funding),
        selectinload(Service.locations).selectinload(Location.accessibility),
        selectinload(Service.locations).selectinload(Location.phones),
        selectinload(Service.schedules),
        selectinload(Service.taxonomy_terms).selectinload(TaxonomyTerm.taxonomy),
        selectinload(Service.taxonomy_terms).selectinload(TaxonomyTerm.parent),
        selectinload(Service.service_areas),
        selectinload(Service.area_descriptions),
        selectinload(Service.languages),
        selectinload(Service.phones),
        selectinload(Service.contacts).selectinload(ListingContact.phones),
        selectinload(Service.cost_options),
        selectinload(Service.funding),
    )


def listing() -> tuple:
    """What a list of results shows."""
    return (
        selectinload(Service.locations),
        selectinload(Service.taxonomy_terms),
        selectinload(Service.schedules),
        selectinload(Service.organisation),
        selectinload(Service.service_areas),
        selectinload(Service.languages),
        selectinload(Service.cost_options),
    )
