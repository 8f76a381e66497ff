"""The gap table computed the straight way, area by area over ORM objects: what the table
was before it was made fast (`gaps.py`), kept as the oracle the fast table is tested against
and the reference `make bench` measures it against. Not used by any page."""

import json
from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
from shapely.geometry import shape
from sqlalchemy import Select, func, select

from engage.asset_map.gaps import AGE_GROUPS, AreaGap, score
from engage.asset_map.models import (
    Location,
    SearchLog,
    Service,
    ServiceStatus,
    location_areas,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from engage.asset_map.search_log import write_waiting
from engage.extensions import db
from engage.geo.geometry import EARTH_RADIUS_M, representative_point
from engage.geo.models import Area


def matching_services(category: str, age_group: str) -> Select[tuple[int]]:
    """The ids of the active services of the category (any, if empty) for the age group."""
    query = select(Service.id).where(Service.status == ServiceStatus.ACTIVE)
    if category:
        query = query.where(
            Service.id.in_(
                select(service_taxonomy.c.service_id).where(
                    service_taxonomy.c.taxonomy_term_id == category
                )
            )
        )
    low, high = AGE_GROUPS.get(age_group, (None, None))
    if low is not None:
        query = query.where((Service.maximum_age.is_(None)) | (Service.maximum_age >= low))
        query = query.where((Service.minimum_age.is_(None)) | (Service.minimum_age <= high))
    return query


def _centres(areas: list[Area], level: str) -> dict[int, tuple[float, float]]:
    """Population-weighted centre of each area, from its LSOAs (an LSOA's own point otherwise)."""
    lsoas = list(db.session.scalars(select(Area).where(Area.level == "lsoa")))
    points = {a.id: representative_point(shape(json.loads(a.geometry))) for a in lsoas}
    if level == "lsoa":
        return {a.id: points[a.id] for a in areas if a.id in points}
    weights: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    for lsoa in lsoas:
        ancestor: Area | None = lsoa
        while ancestor is not None and ancestor.level != level:
            ancestor = ancestor.parent
        if ancestor is not None:
            lat, lon = points[lsoa.id]
            weights[ancestor.id].append((lat, lon, float(lsoa.population or 1)))
    centres = {}
    for area in areas:
        rows = weights.get(area.id)
        if rows:
            w = np.array([r[2] for r in rows])
            centres[area.id] = (
                float(np.average([r[0] for r in rows], weights=w)),
                float(np.average([r[1] for r in rows], weights=w)),
            )
        else:
            centres[area.id] = representative_point(shape(json.loads(area.geometry)))
    return centres


def _nearest_km(
    centres: dict[int, tuple[float, float]], points: np.ndarray
) -> dict[int, float | None]:
    if not len(points):
        return dict.fromkeys(centres)
    lat2, lon2 = np.radians(points[:, 0]), np.radians(points[:, 1])
    result: dict[int, float | None] = {}
    for area_id, (lat, lon) in centres.items():
        lat1, lon1 = np.radians(lat), np.radians(lon)
        a = (
            np.sin((lat2 - lat1) / 2) ** 2
            + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        )
        result[area_id] = float(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a.min()))) / 1000
    return result


def _counts(level_ids: set[int], service_ids: Select, level: str) -> dict[int, int]:
    """Services located in each area, or covering it (or an area that contains it)."""
    located = db.session.execute(
        select(
            location_areas.c.area_id, func.count(func.distinct(service_at_location.c.service_id))
        )
        .join(
            service_at_location, service_at_location.c.location_id == location_areas.c.location_id
        )
        .where(
            service_at_location.c.service_id.in_(service_ids),
            location_areas.c.area_id.in_(level_ids),
        )
        .group_by(location_areas.c.area_id)
    ).all()
    counts: dict[int, int] = defaultdict(int, {area_id: n for area_id, n in located})
    covering = db.session.execute(
        select(service_areas.c.area_id, service_areas.c.service_id).where(
            service_areas.c.service_id.in_(service_ids)
        )
    ).all()
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.level == level))}
    for covered_id, _sid in covering:
        for area in areas.values():
            if area.id == covered_id or _within(area, covered_id):
                counts[area.id] += 1
    return counts


def _within(area: Area, ancestor_id: int) -> bool:
    parent = area.parent
    while parent is not None:
        if parent.id == ancestor_id:
            return True
        parent = parent.parent
    return False


def _thin_searches(now: datetime, level: str) -> dict[int, int]:
    rows = db.session.execute(
        select(SearchLog.area_id).where(
            SearchLog.created_at >= now - timedelta(days=90),
            SearchLog.counts_for_gaps.is_(True),
            SearchLog.area_id.is_not(None),
        )
    ).scalars()
    counts: dict[int, int] = defaultdict(int)
    for area_id in rows:
        area = db.session.get(Area, area_id)
        while area is not None and area.level != level:
            area = area.parent
        if area is not None:
            counts[area.id] += 1
    return counts


def mean_decile(area: Area) -> float:
    """Population-weighted mean IMD decile of the LSOAs within a ward or LAP."""
    total = weight = 0.0
    stack = list(area.children)
    while stack:
        child = stack.pop()
        if child.imd_decile:
            total += child.imd_decile * (child.population or 1)
            weight += child.population or 1
        stack.extend(child.children)
    return total / weight if weight else 5.5


def straight_gap_table(level: str, category: str, age_group: str, now: datetime) -> list[AreaGap]:
    """Every area of the level, highest need with least provision first: as gaps.gap_table."""
    write_waiting()
    areas = list(db.session.scalars(select(Area).where(Area.level == level).order_by(Area.name)))
    # The matching services as a subquery: as a list of ids, PostgreSQL refuses more than
    # 65,535 of them (the table failed so at 200,000 services before it was made fast).
    service_ids = matching_services(category, age_group)
    points = np.array(
        db.session.execute(
            select(Location.latitude, Location.longitude)
            .join(service_at_location, service_at_location.c.location_id == Location.id)
            .where(
                service_at_location.c.service_id.in_(service_ids), Location.latitude.is_not(None)
            )
        ).all(),
        dtype=float,
    ).reshape(-1, 2)
    counts = _counts({a.id for a in areas}, service_ids, level)
    nearest = _nearest_km(_centres(areas, level), points)
    searches = _thin_searches(now, level)
    gaps = []
    for area in areas:
        young = area.population_under_25 or 0
        decile = float(area.imd_decile or mean_decile(area))
        gaps.append(
            AreaGap(
                area.id, area.code, area.name, area.geometry, area.imd_decile, decile,
                area.population_under_25,
                counts[area.id], counts[area.id] * 1000 / young if young else None,
                nearest.get(area.id), searches[area.id],
                score(decile, young, counts[area.id], nearest.get(area.id), searches[area.id]),
            )
        )  # fmt: skip
    return sorted(gaps, key=lambda g: g.score, reverse=True)
