"""The public directory: finding support, one service, one area; reporting a problem."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.asset_map import loading
from engage.asset_map.markers import Markers, View, map_markers
from engage.asset_map.models import (
    ProblemReport,
    Service,
    ServiceStatus,
    TaxonomyTerm,
    location_areas,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from engage.asset_map.ranked import count_results, search_page
from engage.asset_map.search import (
    Hit,
    Reach,
    ResultPage,
    SearchFilters,
    Where,
    load_page,
)
from engage.asset_map.search_log import Searched, note_search
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
    area: Area | None  # the ward (or Local Area Partnership) the place is in; never an LSOA
    page: ResultPage
    searched: Searched | None = None  # what was logged of the search, if it was


def taxonomy_terms() -> list[TaxonomyTerm]:
    return list(db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)))


LEVEL_ORDER = {"lsoa": 0, "ward": 1, "lap": 2}


def areas_at(lat: float, lon: float) -> list[Area]:
    """The areas containing a point, smallest first (LSOA, ward, LAP)."""
    shapes = sorted(area_index().areas_at(lon, lat), key=lambda s: LEVEL_ORDER.get(s.level, 3))
    if not shapes:
        return []
    ids = [s.area_id for s in shapes]
    found = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(ids)))}
    return [found[s.area_id] for s in shapes]


def areas_of(place: Place) -> list[Area]:
    """The areas a place is in, smallest first: for a full postcode, those the postcode
    directory names and the areas above them; otherwise those containing its point."""
    named = (
        list(db.session.scalars(select(Area).where(Area.code.in_(place.area_codes))))
        if place.area_codes
        else []
    )
    if not named:
        return areas_at(place.latitude, place.longitude)
    found = {a.id: a for a in named}
    for area in named:
        found.update((a.id, a) for a in ancestors(area))
    return sorted(found.values(), key=lambda a: (LEVEL_ORDER.get(a.level, 3), a.name))


def _named_area(areas: list[Area]) -> Area | None:
    """The area to name a place by: its ward, else its partnership (an LSOA's name is a
    statistical code, "Kettering 007B", that nobody uses)."""
    return next((a for a in areas if a.level == "ward"), None) or next(
        (a for a in areas if a.level == "lap"), None
    )


def find_support(
    search: SupportSearch, now: datetime, log: bool = True, visitor: str | None = None
) -> SupportResults:
    """Resolve the place, find matching services around it (or in the map view), page them and
    log the search; `visitor` is an anonymous visitor's address, for counting them once a day
    (see search_log.py), and None for anyone signed in."""
    place, not_found, areas = _located(search)
    where = _where(search, place, areas)
    counts = None if not_found else count_results(search.filters, where, now)
    searched = None
    if log and (search.place_text or search.filters.as_dict()):
        # Before the page is loaded: the log's commit would otherwise expire those records.
        area_id = areas[0].id if areas else None
        searched = Searched(
            search.place_text, search.filters, area_id, counts.total if counts else 0
        )
        note_search(searched, now.date(), visitor)
    if counts is None:
        page = load_page([], search.page)
    else:
        page = search_page(search.filters, where, now, now.date(), search.page, counts=counts)
    return SupportResults(search, place, not_found, _named_area(areas), page, searched)


def find_markers(
    search: SupportSearch, now: datetime, view: View | None, fit: tuple[int, int], limit: int
) -> Markers:
    """What the map shows for a search, in the view the browser gives (see markers.py)."""
    where = where_of(search)
    if where is None:
        return Markers(0, None, None, [], [])
    return map_markers(search.filters, where, now, view, limit, fit)


def where_of(search: SupportSearch) -> Where | None:
    """Where a search looks, for the map; None for a place that was not found."""
    place, not_found, areas = _located(search)
    return None if not_found else _where(search, place, areas)


def _located(search: SupportSearch) -> tuple[Place | None, PlaceNotFound | None, list[Area]]:
    """The place searched for (or why it was not found) and the areas it is in."""
    if not search.place_text.strip():
        return None, None, []
    found = gazetteer().find(search.place_text)
    if isinstance(found, Place):
        return found, None, areas_of(found)
    return None, found, []


def _where(search: SupportSearch, place: Place | None, areas: list[Area]) -> Where:
    if search.bbox:
        return Where(bbox=search.bbox)
    if place:
        return Where(lat=place.latitude, lon=place.longitude, area_ids=[a.id for a in areas])
    return Where()


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
            Reach.VISIT,
            service.assured_date,
            loc.id,
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
    chain = ancestors(area)[::-1]  # the council first
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
    covering_ids = [area.id] + [a.id for a in ancestors(area)]
    covering = select(service_areas.c.service_id).where(service_areas.c.area_id.in_(covering_ids))
    query = (
        select(Service)
        .where(Service.status == ServiceStatus.ACTIVE)
        .where(Service.id.in_(located.union(covering)))
        .options(selectinload(Service.taxonomy_terms), selectinload(Service.locations))
        .order_by(Service.name)
    )
    return list(db.session.scalars(query))


def ancestors(area: Area) -> list[Area]:
    """The areas an area lies in, nearest first (ward, partnership, council)."""
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
