"""Finding services: by place (or map view), need, age, cost, day, language and prevention
level. Places to go to come first, nearest first (stale listings lower); then services that
cover the area or work by phone or online. Two phases so that large directories stay fast:
light rows for every match (also what the map shows), then full records for one page."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from math import ceil

from sqlalchemy import Select, and_, exists, false, or_, select

from engage.asset_map import loading
from engage.asset_map.models import (
    Location,
    Schedule,
    Service,
    ServiceLanguage,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from engage.asset_map.vocabulary import DAYS, Access, ServiceStatus, weekday_mask
from engage.extensions import db
from engage.geo.geometry import bounding_box, haversine_m

PAGE_SIZE = 20
DEFAULT_RADIUS_M = 15_000
STALE_AFTER = timedelta(days=183)
OUT_OF_DATE_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class SearchFilters:
    category: str = ""
    age: int | None = None
    free_only: bool = False
    day: str = ""  # "", "now" or MO…SU
    self_referral: bool = False
    language: str = ""
    level: str = ""

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


@dataclass(frozen=True)
class Where:
    """Where to look: around a point (with a radius), inside a map view, or everywhere."""

    lat: float | None = None
    lon: float | None = None
    radius_m: float = DEFAULT_RADIUS_M
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    area_ids: Sequence[int] = ()  # the areas at the point: services covering them match


class Reach(StrEnum):
    """How a service reaches the person searching, which decides where it is listed."""

    VISIT = "visit"  # a place to go to, near the place searched (or in the map view)
    AREA = "area"  # no place near, but it covers the area searched (outreach, home visits)
    REMOTE = "remote"  # online or by phone, for the whole county


class Group(StrEnum):
    """The two parts of the results, each under its own heading."""

    VISIT = "visit"
    WIDER = "wider"  # covers the area, or by phone or online


@dataclass
class Hit:
    service_id: int
    name: str
    distance_m: float | None
    lat: float | None
    lon: float | None
    reach: Reach
    assured_date: date | None
    location_id: int | None = None  # the service's place nearest the place searched

    @property
    def covers_area(self) -> bool:
        return self.reach is Reach.AREA

    @property
    def group(self) -> Group:
        return Group.VISIT if self.reach is Reach.VISIT else Group.WIDER


@dataclass
class HitGroup:
    """One part of the results on this page, and how many it has on every page."""

    group: Group
    hits: list[Hit]
    total: int
    first_page: int


@dataclass
class ResultPage:
    hits: list[Hit]
    services: dict[int, Service]
    total: int
    page: int
    pages: int
    all_hits: list[Hit] = field(default_factory=list)
    groups: list[HitGroup] = field(default_factory=list)  # the parts on this page
    totals: dict[Group, int] = field(default_factory=dict)
    first_pages: dict[Group, int] = field(default_factory=dict)
    more_than: int | None = None  # places to go to were counted up to this, and there are more


def freshness(assured: date | None, today: date) -> str:
    """fresh, due (not checked for 6 months) or out_of_date (not checked for 12 months)."""
    if assured is None or today - assured > OUT_OF_DATE_AFTER:
        return "out_of_date"
    return "due" if today - assured > STALE_AFTER else "fresh"


def filtered(query: Select, filters: SearchFilters, now: datetime) -> Select:
    """The query narrowed to active services matching every filter."""
    query = query.where(Service.status == ServiceStatus.ACTIVE)
    if filters.category:
        query = query.where(
            exists().where(
                service_taxonomy.c.service_id == Service.id,
                service_taxonomy.c.taxonomy_term_id == filters.category,
            )
        )
    if filters.age is not None:
        query = query.where(
            or_(Service.maximum_age.is_(None), Service.maximum_age >= filters.age),
            or_(Service.minimum_age.is_(None), Service.minimum_age <= filters.age),
        )
    if filters.free_only:
        query = query.where(Service.free.is_(True))
    if filters.self_referral:
        query = query.where(Service.access.in_([Access.SELF_REFERRAL, Access.BOTH]))
    if filters.language:
        query = query.where(
            exists().where(
                ServiceLanguage.service_id == Service.id, ServiceLanguage.code == filters.language
            )
        )
    if filters.level:
        query = query.where(Service.prevention_level == filters.level)
    return _day_filter(query, filters.day, now)


def _day_filter(query: Select, day: str, now: datetime) -> Select:
    if not day:
        return query
    conditions = [Schedule.service_id == Service.id]
    if day == "now":
        clock = now.strftime("%H:%M")
        conditions += [
            on_weekday(DAYS[now.weekday()]),
            Schedule.opens_at <= clock,
            Schedule.closes_at > clock,
        ]
    else:
        conditions.append(on_weekday(day))
    return query.where(exists().where(*conditions))


def on_weekday(day: str):
    """Schedules that name this weekday (MO…SU) in their BYDAY, whatever else they name."""
    return Schedule.weekdays.op("&")(weekday_mask(day)) != 0


def _located_rows(filters: SearchFilters, where: Where, now: datetime):
    query = (
        select(
            Service.id,
            Service.name,
            Service.assured_date,
            Location.id.label("location_id"),
            Location.latitude,
            Location.longitude,
        )
        .join(service_at_location, service_at_location.c.service_id == Service.id)
        .join(Location, Location.id == service_at_location.c.location_id)
        .where(Location.latitude.is_not(None))
    )
    box = search_box(where)
    if box:
        min_lon, min_lat, max_lon, max_lat = box
        query = query.where(
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lon, max_lon),
        )
    return db.session.execute(filtered(query, filters, now)).all()


def search_box(where: Where) -> tuple[float, float, float, float] | None:
    if where.bbox:
        return where.bbox
    if where.lat is None or where.lon is None:
        return None
    min_lat, min_lon, max_lat, max_lon = bounding_box(where.lat, where.lon, where.radius_m)
    return min_lon, min_lat, max_lon, max_lat


def _covering_rows(filters: SearchFilters, where: Where, now: datetime):
    """Services that cover the searched areas as a whole, and county-wide virtual ones; each
    row says whether it covers the areas (`covers`)."""
    covers = (
        exists().where(
            service_areas.c.service_id == Service.id,
            service_areas.c.area_id.in_(list(where.area_ids)),
        )
        if where.area_ids
        else false()
    )
    countywide = and_(
        Service.virtual.is_(True), ~exists().where(service_areas.c.service_id == Service.id)
    )
    query = select(Service.id, Service.name, Service.assured_date, covers.label("covers")).where(
        or_(covers, countywide)
    )
    return db.session.execute(filtered(query, filters, now)).all()


def find_hits(filters: SearchFilters, where: Where, now: datetime, today: date) -> list[Hit]:
    """Every matching service once: places to go to first, nearest first (stale listings
    lower), then those covering the area, then those online or by phone for everyone."""
    best: dict[int, Hit] = {}
    origin = origin_of(where)
    for row in _located_rows(filters, where, now):
        distance = (
            haversine_m(origin[0], origin[1], row.latitude, row.longitude) if origin else None
        )
        if where.bbox is None and distance is not None and distance > where.radius_m:
            continue
        current = best.get(row.id)
        if current is None or (distance or 0) < (current.distance_m or 0):
            best[row.id] = Hit(
                row.id,
                row.name,
                distance,
                row.latitude,
                row.longitude,
                Reach.VISIT,
                row.assured_date,
                row.location_id,
            )
    for row in _covering_rows(filters, where, now):
        if row.id not in best:
            reach = Reach.AREA if row.covers else Reach.REMOTE
            best[row.id] = Hit(row.id, row.name, None, None, None, reach, row.assured_date)
    return sorted(best.values(), key=lambda hit: _rank(hit, today))


def origin_of(where: Where) -> tuple[float, float] | None:
    if where.lat is not None and where.lon is not None:
        return where.lat, where.lon
    if where.bbox:
        min_lon, min_lat, max_lon, max_lat = where.bbox
        return (min_lat + max_lat) / 2, (min_lon + max_lon) / 2
    return None


REACH_ORDER = {Reach.VISIT: 0, Reach.AREA: 1, Reach.REMOTE: 2}


def _rank(hit: Hit, today: date) -> tuple[int, float, str]:
    stale = freshness(hit.assured_date, today) == "out_of_date"
    if hit.reach is Reach.VISIT:
        distance = hit.distance_m or 0.0
        if stale:
            distance = distance * 1.5 + 1000  # still shown, but after fresher listings nearby
    else:
        distance = 1.0 if stale else 0.0
    return REACH_ORDER[hit.reach], distance, hit.name.lower()


def load_page(hits: list[Hit], page: int, page_size: int = PAGE_SIZE) -> ResultPage:
    """Full records for one page of hits, loaded together, with the parts of the results the
    page holds and the page each part starts on."""
    pages = max(1, ceil(len(hits) / page_size))
    page = min(max(page, 1), pages)
    chosen = hits[(page - 1) * page_size : page * page_size]
    ids = [hit.service_id for hit in chosen]
    services = {
        service.id: service
        for service in db.session.scalars(
            select(Service).where(Service.id.in_(ids)).options(*loading.listing())
        )
    }
    totals = {group: sum(1 for h in hits if h.group is group) for group in Group}
    first_pages = {
        group: next(i // page_size + 1 for i, h in enumerate(hits) if h.group is group)
        for group in Group
        if totals[group]
    }
    groups = [
        HitGroup(group, [h for h in chosen if h.group is group], totals[group], first_pages[group])
        for group in Group
        if any(h.group is group for h in chosen)
    ]
    return ResultPage(chosen, services, len(hits), page, pages, hits, groups, totals, first_pages)
