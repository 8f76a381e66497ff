"""The public directory: finding support, one service, one area; reporting a problem."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.asset_map import loading
from engage.asset_map.models import (
    ProblemReport,
    SearchLog,
    Service,
    ServiceStatus,
    TaxonomyTerm,
    location_areas,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from engage.asset_map.search import (
    Hit,
    ResultPage,
    SearchFilters,
    Where,
    find_hits,
    load_page,
)
from engage.database import transactional
from engage.errors import UserError
from engage.extensions import db
from engage.geo.lookup import area_index, gazetteer
from engage.geo.models import Area, AreaFigure
from engage.geo.places import Place, PlaceNotFound

PROBLEM_KINDS = ("closed", "wrong_details", "not_in_area", "other")


class DirectoryError(UserError):
    """Something the person asked for that cannot be done; the message says why."""


@dataclass
class SupportSearch:
    place_text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    bbox: tuple[float, float, float, float] | None = None
    page: int = 1


@dataclass
class SupportResults:
    search: SupportSearch
    place: Place | None
    not_found: PlaceNotFound | None
    area: Area | None
    page: ResultPage


def taxonomy_terms() -> list[TaxonomyTerm]:
    return list(db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)))


def areas_at(lat: float, lon: float) -> list[Area]:
    """The areas containing a point, smallest first (LSOA, ward, LAP)."""
    order = {"lsoa": 0, "ward": 1, "lap": 2}
    shapes = sorted(area_index().areas_at(lon, lat), key=lambda s: order.get(s.level, 3))
    if not shapes:
        return []
    ids = [s.area_id for s in shapes]
    found = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(ids)))}
    return [found[s.area_id] for s in shapes]


def find_support(search: SupportSearch, now: datetime, log: bool = True) -> SupportResults:
    """Resolve the place, find matching services around it (or in the map view), page them and
    log the search without anything that identifies the person."""
    place: Place | None = None
    not_found: PlaceNotFound | None = None
    areas: list[Area] = []
    if search.place_text.strip():
        found = gazetteer().find(search.place_text)
        if isinstance(found, Place):
            place, areas = found, areas_at(found.latitude, found.longitude)
        else:
            not_found = found
    if not_found:
        hits: list[Hit] = []
    else:
        hits = find_hits(search.filters, _where(search, place, areas), now, now.date())
    if log and (search.place_text or search.filters.as_dict()):
        # Before the page is loaded: the log's commit would otherwise expire those records.
        _log_search(search, areas, len(hits))
    page = load_page(hits, search.page)
    return SupportResults(search, place, not_found, areas[0] if areas else None, page)


def _where(search: SupportSearch, place: Place | None, areas: list[Area]) -> Where:
    if search.bbox:
        return Where(bbox=search.bbox)
    if place:
        return Where(lat=place.latitude, lon=place.longitude, area_ids=[a.id for a in areas])
    return Where()


@transactional
def _log_search(search: SupportSearch, areas: list[Area], total: int) -> None:
    db.session.add(
        SearchLog(
            query=search.place_text.strip()[:120],
            area_id=areas[0].id if areas else None,
            filters=search.filters.as_dict(),
            result_count=total,
        )
    )


def get_service(service_id: int) -> Service | None:
    return db.session.scalar(
        select(Service).where(Service.id == service_id).options(*loading.everything())
    )


def location_hits(service: Service) -> list[Hit]:
    """A service's own locations, shaped like search hits for its small map."""
    return [
        Hit(
            service.id,
            loc.name or service.name,
            None,
            loc.latitude,
            loc.longitude,
            False,
            service.assured_date,
        )
        for loc in service.locations
        if loc.latitude is not None
    ]


@transactional
def report_problem(service: Service, kind: str, details: str) -> ProblemReport:
    """A problem with a listing, for the officers' queue; nothing about the reporter is kept."""
    if kind not in PROBLEM_KINDS:
        raise DirectoryError(_("Select what is wrong with the listing"))
    report = ProblemReport(service=service, kind=kind, details=details.strip()[:2000])
    db.session.add(report)
    return report


@dataclass
class AreaProfile:
    area: Area
    parent_chain: list[Area]
    children: list[Area]
    counts_by_category: list[tuple[TaxonomyTerm, int]]
    services: list[Service]
    figures: list[AreaFigure]


def area_by_code(code: str) -> Area | None:
    """The area with this code; None for anything a code cannot be (a NUL, 100 letters)."""
    if not code or "\x00" in code or len(code) > 32:
        return None
    return db.session.scalar(select(Area).where(Area.code == code))


def area_profile(code: str) -> AreaProfile | None:
    """What is in an area, by category, and its need figures."""
    area = area_by_code(code)
    if area is None:
        return None
    chain: list[Area] = []
    parent = area.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    services = services_in_area(area)
    ids = [s.id for s in services]
    counts = db.session.execute(
        select(TaxonomyTerm, func.count(service_taxonomy.c.service_id))
        .join(service_taxonomy, service_taxonomy.c.taxonomy_term_id == TaxonomyTerm.id)
        .where(service_taxonomy.c.service_id.in_(ids))
        .group_by(TaxonomyTerm.id)
        .order_by(TaxonomyTerm.name)
    ).all()
    figures = list(db.session.scalars(select(AreaFigure).where(AreaFigure.area_id == area.id)))
    children = sorted(area.children, key=lambda a: a.name)
    return AreaProfile(area, chain, children, [(t, n) for t, n in counts], services, figures)


def services_in_area(area: Area) -> list[Service]:
    """Active services with a location in the area or covering it (or a parent of it)."""
    located = (
        select(service_at_location.c.service_id)
        .join(location_areas, location_areas.c.location_id == service_at_location.c.location_id)
        .where(location_areas.c.area_id == area.id)
    )
    covering_ids = [area.id] + [a.id for a in _ancestors(area)]
    covering = select(service_areas.c.service_id).where(service_areas.c.area_id.in_(covering_ids))
    query = (
        select(Service)
        .where(Service.status == ServiceStatus.ACTIVE)
        .where(Service.id.in_(located.union(covering)))
        .options(selectinload(Service.taxonomy_terms), selectinload(Service.locations))
        .order_by(Service.name)
    )
    return list(db.session.scalars(query))


def _ancestors(area: Area) -> list[Area]:
    result, parent = [], area.parent
    while parent is not None:
        result.append(parent)
        parent = parent.parent
    return result


@dataclass
class AreaListing:
    area: Area
    services: list[Service]


def find_support_in_area(code: str, filters: SearchFilters, now: datetime) -> AreaListing | None:
    """The embeddable list: services in or covering one area, by type and age."""
    area = area_by_code(code)
    if area is None:
        return None
    services = [s for s in services_in_area(area) if _matches(s, filters)]
    return AreaListing(area, services)


def _matches(service: Service, filters: SearchFilters) -> bool:
    if filters.category and filters.category not in {t.id for t in service.taxonomy_terms}:
        return False
    if filters.age is not None:
        if service.minimum_age is not None and filters.age < service.minimum_age:
            return False
        if service.maximum_age is not None and filters.age > service.maximum_age:
            return False
    return not (filters.free_only and not service.free)
