"""Finding support at any size. One page of results in the order `search.find_hits` gives
(places to go to first, nearest first with listings not checked for a year lower; then services
covering the area; then those online or by phone), worked out in SQL, so a page costs about
the same with a hundred services or a hundred thousand:

- places to go to are looked for in a circle that grows until it holds the page: a service
  whose rank (its distance, or 1.5 times it plus 1 km if not checked for a year) is within the
  circle's radius cannot be passed by one outside it;
- counts stop at CAP places to go to ("more than 1,000 services near Kettering"): the list
  shows the nearest CAP, then the services that cover the area or work by phone or online.

Distances in SQL are flat-earth, exact to a few metres over a county; the page's own hits are
then measured exactly. `search.find_hits` stays as the plain computation the tests compare
this with."""

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Float,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.sql import Subquery

from engage.asset_map import loading
from engage.asset_map.models import Location, Service, service_areas, service_at_location
from engage.asset_map.search import (
    OUT_OF_DATE_AFTER,
    PAGE_SIZE,
    Group,
    Hit,
    HitGroup,
    Reach,
    ResultPage,
    SearchFilters,
    Where,
    filtered,
    origin_of,
    search_box,
)
from engage.extensions import db
from engage.geo.geometry import EARTH_RADIUS_M, bounding_box, haversine_m

METRES_PER_DEGREE = math.pi / 180 * EARTH_RADIUS_M
STALE_FACTOR, STALE_EXTRA_M = 1.5, 1000.0  # as search._rank: after fresher listings nearby
CAP = 1000  # places to go to, counted and listed
DENSITY_SAMPLE = 20_000


def flat_distance2(lat: float, lon: float) -> ColumnElement[float | None]:
    """A location's squared distance from (lat, lon) in degrees of latitude, flat-earth
    (longitude squashed by the latitude's cosine): exact to a few metres over a county."""
    squash = math.cos(math.radians(lat))
    dlat, dlon = Location.latitude - lat, (Location.longitude - lon) * squash
    return dlat * dlat + dlon * dlon


def distance_m(origin: tuple[float, float]) -> ColumnElement[float]:
    """A location's distance from the origin in metres, flat-earth."""
    return func.sqrt(flat_distance2(*origin)) * METRES_PER_DEGREE


def in_circle(origin: tuple[float, float], radius_m: float) -> ColumnElement[bool]:
    """Locations within the radius of the origin (compared squared: no square root)."""
    limit = radius_m / METRES_PER_DEGREE
    return flat_distance2(*origin) <= limit * limit


def placed(
    filters: SearchFilters, where: Where, now: datetime, *columns, within_m: float | None = None
):
    """Located rows (a service at one of its places) matching the search: in the map view, or
    within the radius of the place searched, or anywhere; `within_m` narrows it to a circle
    around the search's centre."""
    query = (
        select(*columns)
        .select_from(Location)
        .join(service_at_location, service_at_location.c.location_id == Location.id)
        .join(Service, Service.id == service_at_location.c.service_id)
        .where(Location.latitude.is_not(None), Location.longitude.is_not(None))
    )
    return filtered(_in_reach(query, where, within_m), filters, now)


def _in_reach(query, where: Where, within_m: float | None = None):
    box = search_box(where)
    origin = origin_of(where)
    radius = where.radius_m if where.bbox is None else None
    if within_m is not None and origin is not None:
        radius = within_m if radius is None else min(radius, within_m)
    if radius is not None and origin is not None:
        min_lat, min_lon, max_lat, max_lon = bounding_box(origin[0], origin[1], radius)
        inner = (min_lon, min_lat, max_lon, max_lat)
        box = inner if box is None else _overlap(box, inner)
        query = query.where(in_circle(origin, radius))
    if box:
        min_lon, min_lat, max_lon, max_lat = box
        query = query.where(
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lon, max_lon),
        )
    return query


Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _stale(today: date) -> ColumnElement[bool]:
    cutoff = today - OUT_OF_DATE_AFTER
    return or_(Service.assured_date.is_(None), Service.assured_date < cutoff)


def _visits(
    filters: SearchFilters, where: Where, now: datetime, today: date, within_m: float | None
) -> Subquery:
    """Each service with a place in reach once, with its rank `k` (see the module's text)."""
    origin = origin_of(where)
    nearest = func.min(distance_m(origin)) if origin else literal(0.0, Float)
    stale = _stale(today)
    per_service = placed(
        filters,
        where,
        now,
        Service.id.label("sid"),
        Service.name.label("name"),
        stale.label("stale"),
        nearest.label("d"),
        within_m=within_m,
    ).group_by(Service.id, Service.name, Service.assured_date)
    rows = per_service.subquery("per_service")
    key = case((rows.c.stale, rows.c.d * STALE_FACTOR + STALE_EXTRA_M), else_=rows.c.d)
    return select(rows.c.sid, key.label("k"), func.lower(rows.c.name).label("nm")).subquery()


def _count_visits(filters: SearchFilters, where: Where, now: datetime) -> int:
    """How many services have a place in reach, counting no further than CAP + 1."""
    some = placed(filters, where, now, Service.id).distinct().limit(CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(some)) or 0


def _reach_m(where: Where) -> float | None:
    """How far from the centre a place in reach can be; None when there is no centre."""
    origin = origin_of(where)
    if origin is None:
        return None
    if where.bbox is None:
        return where.radius_m
    min_lon, min_lat, max_lon, max_lat = where.bbox
    return (
        max(
            haversine_m(origin[0], origin[1], lat, lon)
            for lat in (min_lat, max_lat)
            for lon in (min_lon, max_lon)
        )
        * 1.01
    )


def _located_count(where: Where) -> int:
    """Places of any kind in reach, up to DENSITY_SAMPLE (the index alone: a cheap guess of
    how far the circle must reach to hold a page)."""
    some = _in_reach(select(Location.id), where).limit(DENSITY_SAMPLE).subquery()
    return db.session.scalar(select(func.count()).select_from(some)) or 0


def _visit_ids(
    filters: SearchFilters, where: Where, now: datetime, today: date, offset: int, limit: int
) -> list[int]:
    """The services ranked offset to offset + limit among places to go to, in a circle grown
    until it holds them (doubling), so a dense town costs a few hundred rows, not all."""
    reach = _reach_m(where)
    need = offset + limit
    radius = reach
    if reach is not None:
        located = _located_count(where)
        share = min(1.0, 2.0 * need / max(located, 1))
        radius = max(reach * math.sqrt(share), 250.0)
    while True:
        final = reach is None or radius is None or radius >= reach
        visits = _visits(filters, where, now, today, None if final else radius)
        query = select(visits.c.sid)
        if not final:
            query = query.where(visits.c.k <= radius)
        query = query.order_by(visits.c.k, visits.c.nm, visits.c.sid).limit(need)
        ids = list(db.session.scalars(query))
        if final or len(ids) >= need:
            return ids[offset:]
        assert radius is not None
        radius *= 2


def _has_place_in_reach(where: Where) -> ColumnElement[bool]:
    inner = _in_reach(
        select(Location.id)
        .join(service_at_location, service_at_location.c.location_id == Location.id)
        .where(
            service_at_location.c.service_id == Service.id,
            Location.latitude.is_not(None),
            Location.longitude.is_not(None),
        ),
        where,
    )
    return exists(inner)


def _wider(filters: SearchFilters, where: Where, now: datetime, *columns):
    covering = select(service_areas.c.service_id).where(
        service_areas.c.area_id.in_(list(where.area_ids))
    )
    countywide = select(Service.id).where(
        Service.virtual.is_(True), ~exists().where(service_areas.c.service_id == Service.id)
    )
    # As two lists of ids, so each is found by its index rather than by reading every service.
    candidates = union(covering, countywide) if where.area_ids else countywide
    covers = Service.id.in_(covering) if where.area_ids else false()
    query = select(*columns).where(Service.id.in_(candidates), ~_has_place_in_reach(where))
    return filtered(query, filters, now), covers


def _wider_count(filters: SearchFilters, where: Where, now: datetime) -> int:
    query, _covers = _wider(filters, where, now, func.count(Service.id))
    return db.session.scalar(query) or 0


def _wider_ids(
    filters: SearchFilters, where: Where, now: datetime, today: date, offset: int, limit: int
) -> list[int]:
    query, covers = _wider(filters, where, now, Service.id)
    order = (
        case((covers, 1), else_=2),
        case((_stale(today), 1), else_=0),
        func.lower(Service.name),
        Service.id,
    )
    return list(db.session.scalars(query.order_by(*order).offset(offset).limit(limit)))


@dataclass(frozen=True)
class Counts:
    """How many services a search finds in each part; places to go to counted up to CAP + 1."""

    visits_counted: int
    wider: int

    @property
    def visits(self) -> int:
        return min(self.visits_counted, CAP)

    @property
    def total(self) -> int:
        return self.visits + self.wider


def count_results(filters: SearchFilters, where: Where, now: datetime) -> Counts:
    return Counts(_count_visits(filters, where, now), _wider_count(filters, where, now))


def search_page(
    filters: SearchFilters,
    where: Where,
    now: datetime,
    today: date,
    page: int,
    page_size: int = PAGE_SIZE,
    counts: Counts | None = None,
) -> ResultPage:
    """One page of results and how many there are in each part, without loading the rest."""
    counts = counts or count_results(filters, where, now)
    visit_total, wider_total, total = counts.visits, counts.wider, counts.total
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    start, end = (page - 1) * page_size, page * page_size
    visit_ids = (
        _visit_ids(filters, where, now, today, start, min(end, visit_total) - start)
        if start < visit_total
        else []
    )
    wider_start = max(start - visit_total, 0)
    wider_ids = (
        _wider_ids(filters, where, now, today, wider_start, end - max(start, visit_total))
        if end > visit_total and wider_total
        else []
    )
    services = {
        service.id: service
        for service in db.session.scalars(
            select(Service).where(Service.id.in_(visit_ids + wider_ids)).options(*loading.listing())
        )
    }
    hits = _page_hits(visit_ids, wider_ids, services, where)
    totals = {Group.VISIT: visit_total, Group.WIDER: wider_total}
    first_pages = {Group.VISIT: 1} if visit_total else {}
    if wider_total:
        first_pages[Group.WIDER] = visit_total // page_size + 1
    groups = [
        HitGroup(group, [h for h in hits if h.group is group], totals[group], first_pages[group])
        for group in Group
        if any(h.group is group for h in hits)
    ]
    more_than = CAP if counts.visits_counted > CAP else None
    return ResultPage(
        hits, services, total, page, pages, [], groups, totals, first_pages, more_than
    )


def _page_hits(
    visit_ids: list[int], wider_ids: list[int], services: dict[int, Service], where: Where
) -> list[Hit]:
    """The page's hits, each place to go to with its nearest place measured exactly."""
    origin = origin_of(where)
    hits = []
    for sid in visit_ids:
        service = services.get(sid)
        if service is None:  # deleted between the queries
            continue
        hit = Hit(service.id, service.name, None, None, None, Reach.VISIT, service.assured_date)
        places = [
            (loc, loc.latitude, loc.longitude)
            for loc in service.locations
            if loc.latitude is not None and loc.longitude is not None
        ]
        if places:
            nearest, lat, lon = places[0]
            if origin:
                nearest, lat, lon = min(
                    places, key=lambda place: haversine_m(*origin, place[1], place[2])
                )
                hit.distance_m = haversine_m(*origin, lat, lon)
            hit.lat, hit.lon, hit.location_id = lat, lon, nearest.id
        hits.append(hit)
    for sid in wider_ids:
        service = services.get(sid)
        if service is None:
            continue
        covers = bool(where.area_ids) and any(a.id in where.area_ids for a in service.service_areas)
        reach = Reach.AREA if covers else Reach.REMOTE
        hits.append(Hit(service.id, service.name, None, None, None, reach, service.assured_date))
    return hits
