"""Gaps in provision: for each area, need (deprivation, young people, imported figures) set
against provision (services in or covering it, and how far its people are from the nearest
one) and unmet demand (searches that found little). Ranked "high need, low provision"."""

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from flask_babel import gettext as _
from shapely.geometry import shape
from sqlalchemy import func, select

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

AGE_GROUPS = {"all": (None, None), "under_18": (0, 17), "18_to_24": (18, 24)}


@dataclass
class AreaGap:
    area: Area
    services: int
    per_1000_young: float | None
    nearest_km: float | None
    thin_searches: int
    score: float

    def reading(self, category_name: str) -> str:
        parts = [self.area.name]
        if self.area.imd_decile:
            parts.append(_("decile %(d)d", d=self.area.imd_decile))
        if self.area.population_under_25:
            parts.append(_("%(n)s under-25s", n=f"{self.area.population_under_25:,}"))
        if self.nearest_km is None:
            parts.append(_("no %(what)s found", what=category_name))
        else:
            parts.append(_("nearest %(what)s %(km).1f km", what=category_name, km=self.nearest_km))
        return f"{parts[0]}: " + ", ".join(parts[1:])


def _matching_service_ids(category: str, age_group: str) -> list[int]:
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
    return list(db.session.scalars(query))


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


def _counts(level_ids: set[int], service_ids: list[int], level: str) -> dict[int, int]:
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
    """Searches that found few services in the last 90 days, by anonymous visitors, each
    visitor once a day per area (see search_log.py), by the area of the level they fell in."""
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


def gap_table(level: str, category: str, age_group: str, now: datetime) -> list[AreaGap]:
    """Every area of the level, highest need with least provision first."""
    write_waiting()  # this process's searches still waiting to be logged count too
    areas = list(db.session.scalars(select(Area).where(Area.level == level).order_by(Area.name)))
    service_ids = _matching_service_ids(category, age_group)
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
        per_1000 = counts[area.id] * 1000 / young if young else None
        need = (11 - (area.imd_decile or mean_decile(area))) / 10 * (young / 1000 + 1)
        provision = counts[area.id] + 1
        score = need / provision * (1 + (nearest.get(area.id) or 0) / 5) + searches[area.id] * 0.1
        gaps.append(
            AreaGap(area, counts[area.id], per_1000, nearest.get(area.id), searches[area.id], score)
        )
    return sorted(gaps, key=lambda g: g.score, reverse=True)


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


def gaps_csv(gaps: list[AreaGap]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "area_code",
            "area_name",
            "imd_decile",
            "population_under_25",
            "services",
            "services_per_1000_under_25",
            "nearest_km",
            "searches_with_few_results",
            "score",
        ]
    )
    for g in gaps:
        writer.writerow(
            [
                g.area.code,
                g.area.name,
                g.area.imd_decile or round(mean_decile(g.area), 1),
                g.area.population_under_25 or "",
                g.services,
                "" if g.per_1000_young is None else round(g.per_1000_young, 2),
                "" if g.nearest_km is None else round(g.nearest_km, 2),
                g.thin_searches,
                round(g.score, 3),
            ]
        )
    return out.getvalue()


def choropleth_data(gaps: list[AreaGap]) -> tuple[dict, dict[str, float]]:
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(g.area.geometry),
                "properties": {"code": g.area.code, "name": g.area.name},
            }
            for g in gaps
        ],
    }
    return features, {g.area.code: round(g.score, 3) for g in gaps}
