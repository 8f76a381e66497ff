"""Gaps in provision: for each area, need (deprivation, young people, imported figures) set
against provision (services in or covering it, and how far its people are from the nearest
one) and unmet demand (searches that found little). Ranked "high need, low provision".

Fast at any size: each worker keeps an index of the directory as the table sees it
(`directory_index.py`), brought up to date by the services that changed alone. The provision
(counts, nearest service) for any choice is a few vectorised passes over it, kept as plain
values until a service changes; what depends on the areas alone (centres, deciles, nesting)
until an area changes. The searches that found little are counted on every view in one grouped
query (they are written in batches and move no content version), so a new search shows at once.
`gaps_straight.py` keeps the straight computation the tests hold this one to."""

import csv
import functools
import io
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from flask import Flask, current_app
from flask_babel import gettext as _
from shapely.geometry import shape
from sqlalchemy import func, select

from engage.asset_map.directory_index import DirectoryIndex, unit_vectors
from engage.asset_map.models import SearchLog
from engage.asset_map.search_log import write_waiting
from engage.extensions import db
from engage.geo import hierarchy
from engage.geo.geometry import EARTH_RADIUS_M, representative_point
from engage.geo.hierarchy import Place, places
from engage.geo.models import Area

AGE_GROUPS = {"all": (None, None), "under_18": (0, 17), "18_to_24": (18, 24)}
SEARCH_DAYS = 90  # searches that found little count for this long
SAMPLE = 2_000  # places every centre is compared with, to bound where its nearest can be
BAND_MARGIN = 1e-6  # radians (about 6 m) added to the band, for rounding in arccos
INDEX = "engage.directory_index"  # where each worker keeps its index of the directory


@dataclass(frozen=True)
class AreaGap:
    """One area's row of the table: plain values, so a table can be kept between requests."""

    area_id: int
    code: str
    name: str
    geometry: str  # GeoJSON, as stored
    imd_decile: int | None  # its own
    decile: float  # its own, or the population-weighted mean of its LSOAs'
    population_under_25: int | None
    services: int
    per_1000_young: float | None
    nearest_km: float | None
    thin_searches: int
    score: float

    def reading(self, category_name: str) -> str:
        parts = [self.name]
        if self.imd_decile:
            parts.append(_("decile %(d)d", d=self.imd_decile))
        if self.population_under_25:
            parts.append(_("%(n)s under-25s", n=f"{self.population_under_25:,}"))
        if self.nearest_km is None:
            parts.append(_("no %(what)s found", what=category_name))
        else:
            parts.append(_("nearest %(what)s %(km).1f km", what=category_name, km=self.nearest_km))
        return f"{parts[0]}: " + ", ".join(parts[1:])


def score(
    decile: float, young: int, services: int, nearest_km: float | None, searches: int
) -> float:
    """Higher: more need, less provision. It ranks; it is not a statistic."""
    need = (11 - decile) / 10 * (young / 1000 + 1)
    return need / (services + 1) * (1 + (nearest_km or 0) / 5) + searches * 0.1


# -- provision, worked out once per change to a service the table sees


@dataclass(frozen=True)
class Provision:
    """The table but for the searches: each area's row with none counted, and where each area
    at or below the level lies at the level (to count the searches into)."""

    rows: tuple[AreaGap, ...]
    up: dict[int, int]


@dataclass(frozen=True)
class Layout:
    """The areas of a level as the table needs them, whatever the filters."""

    areas: tuple[tuple[int, str, str, int | None, int | None], ...]  # by name: id, code, name,
    # own decile, under-25s
    shapes: dict[int, str]  # GeoJSON of each
    centres: dict[int, tuple[float, float]]
    decile: dict[int, float]
    up: dict[int, int]
    below: dict[int, list[int]]


def layout(level: str) -> Layout:
    every = places()
    query = select(Area.id, Area.geometry).where(Area.level.in_(["lsoa", level]))
    shapes: dict[int, str] = {area_id: geometry for area_id, geometry in db.session.execute(query)}
    areas = db.session.execute(
        select(Area.id, Area.code, Area.name, Area.imd_decile, Area.population_under_25)
        .where(Area.level == level)
        .order_by(Area.name)
    ).tuples()
    at_level = tuple(areas)
    return Layout(
        at_level,
        {row[0]: shapes[row[0]] for row in at_level},
        _centres(level, every, shapes),
        hierarchy.deciles(every),
        hierarchy.up(every, level),
        hierarchy.below(every, level),
    )


def _centres(
    level: str, every: dict[int, Place], shapes: dict[int, str]
) -> dict[int, tuple[float, float]]:
    """Population-weighted centre of each area of the level, from its LSOAs (an area without
    LSOAs: a point inside it)."""
    points = {
        a: representative_point(shape(json.loads(shapes[a])))
        for a, p in every.items()
        if p.level == "lsoa"
    }
    if level == "lsoa":
        return points
    up = hierarchy.up(every, level)
    weights: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    for lsoa_id, (lat, lon) in points.items():
        if lsoa_id in up:
            weights[up[lsoa_id]].append((lat, lon, float(every[lsoa_id].population or 1)))
    centres = {}
    for area_id in (a for a, p in every.items() if p.level == level):
        rows = weights.get(area_id)
        if rows:
            w = np.array([r[2] for r in rows])
            centres[area_id] = (
                float(np.average([r[0] for r in rows], weights=w)),
                float(np.average([r[1] for r in rows], weights=w)),
            )
        else:
            centres[area_id] = representative_point(shape(json.loads(shapes[area_id])))
    return centres


def nearest_km(
    centres: dict[int, tuple[float, float]],
    p_lat: np.ndarray,
    p_lon: np.ndarray,
    p_xyz: np.ndarray,
) -> dict[int, float | None]:
    """Great-circle distance from each centre to the nearest point (latitudes and longitudes
    in radians, in order of latitude, and their unit vectors).

    The nearest point is the one whose unit vector has the largest dot product with the
    centre's. Rather than every point, only those in a band of latitude are looked at: a point
    is at least as far (as an angle) as the difference in latitude, so the band as wide as the
    distance to the nearest of a sample of the points holds the nearest of them all. The
    distance to the point found is then worked out by haversine."""
    if not len(p_lat) or not centres:
        return dict.fromkeys(centres)
    ids = list(centres)
    c_lat, c_lon = (np.radians(np.array([centres[a][i] for a in ids])) for i in (0, 1))
    c_xyz = unit_vectors(c_lat, c_lon)
    sample = p_xyz[:: max(1, len(p_lat) // SAMPLE)]
    closest = np.clip((c_xyz @ sample.T).max(axis=1), -1.0, 1.0)
    reach = np.arccos(closest) + BAND_MARGIN
    low = np.searchsorted(p_lat, c_lat - reach, side="left")
    high = np.searchsorted(p_lat, c_lat + reach, side="right")
    best_at = np.array([
        start + int((p_xyz[start:end] @ c_xyz[i]).argmax())
        for i, (start, end) in enumerate(zip(low.tolist(), high.tolist(), strict=True))
    ])  # fmt: skip
    lat2, lon2 = p_lat[best_at], p_lon[best_at]
    a = (np.sin((lat2 - c_lat) / 2) ** 2
         + np.cos(c_lat) * np.cos(lat2) * np.sin((lon2 - c_lon) / 2) ** 2)  # fmt: skip
    km = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a)) / 1000
    return {area_id: float(d) for area_id, d in zip(ids, km.tolist(), strict=True)}


def init_app(app: Flask) -> None:
    """An empty index for this worker, filled at its first gaps view. Also what the tests call
    when they empty the database behind its back (PostgreSQL's TRUNCATE fires no trigger)."""
    app.extensions[INDEX] = DirectoryIndex()


def directory() -> DirectoryIndex:
    """This worker's index of the directory, brought up to the latest committed change."""
    index: DirectoryIndex = current_app.extensions[INDEX]
    index.refresh(db.session.connection())
    return index


def provision(index: DirectoryIndex, level: str, category: str, age_group: str) -> Provision:
    """From the index: the table for these choices, with no searches counted. Services
    located in each area of the level count once each; a service covering an area counts once
    for every area of the level that is it or lies within it."""
    areas = index.kept(("gap-layout", level), lambda: layout(level), areas_only=True)
    matching = index.matching(category, *AGE_GROUPS.get(age_group, (None, None)))
    counts: dict[int, int] = defaultdict(int, index.located_counts(matching))
    for covered_id, n in index.covering_counts(matching).items():
        for area_id in areas.below.get(covered_id, []):
            counts[area_id] += n
    nearest = nearest_km(areas.centres, *index.places(matching))
    rows = []
    for area_id, code, name, imd_decile, under_25 in areas.areas:
        young, n, km, decile = (
            under_25 or 0,
            counts[area_id],
            nearest.get(area_id),
            areas.decile[area_id],
        )
        rows.append(AreaGap(
            area_id, code, name, areas.shapes[area_id], imd_decile, decile, under_25, n,
            n * 1000 / young if young else None, km, 0, score(decile, young, n, km, 0),
        ))  # fmt: skip
    return Provision(tuple(rows), areas.up)


def _thin_searches(now: datetime, up: dict[int, int]) -> dict[int, int]:
    """Searches that found few services in the last 90 days, by anonymous visitors, each
    visitor once a day per area (see search_log.py), by the area of the level they fell in."""
    rows = db.session.execute(
        select(SearchLog.area_id, func.count())
        .where(
            SearchLog.created_at >= now - timedelta(days=SEARCH_DAYS),
            SearchLog.counts_for_gaps.is_(True),
            SearchLog.area_id.is_not(None),
        )
        .group_by(SearchLog.area_id)
    ).tuples()
    counts: dict[int, int] = defaultdict(int)
    for area_id, n in rows:
        if area_id in up:
            counts[up[area_id]] += n
    return counts


def gap_table(level: str, category: str, age_group: str, now: datetime) -> list[AreaGap]:
    """Every area of the level, highest need with least provision first."""
    write_waiting()  # this process's searches still waiting to be logged count too
    index = directory()
    kept = index.kept(("gaps", level, category, age_group),
                      lambda: provision(index, level, category, age_group))  # fmt: skip
    searches = _thin_searches(now, kept.up)
    gaps = [
        replace(row, thin_searches=searches[row.area_id], score=score(
            row.decile, row.population_under_25 or 0, row.services, row.nearest_km,
            searches[row.area_id]))
        for row in kept.rows
    ]  # fmt: skip
    return sorted(gaps, key=lambda g: g.score, reverse=True)


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
                g.code,
                g.name,
                g.imd_decile or round(g.decile, 1),
                g.population_under_25 or "",
                g.services,
                "" if g.per_1000_young is None else round(g.per_1000_young, 2),
                "" if g.nearest_km is None else round(g.nearest_km, 2),
                g.thin_searches,
                round(g.score, 3),
            ]
        )
    return out.getvalue()


@functools.lru_cache(maxsize=4096)
def _geometry(geojson: str) -> dict:
    """An area's outline, read once (reading 444 outlines took a third of drawing the map).
    Shared between maps: nothing changes it (folium gives each feature, not its geometry, an
    id)."""
    return json.loads(geojson)


def choropleth_data(gaps: list[AreaGap]) -> tuple[dict, dict[str, float]]:
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": _geometry(g.geometry),
                "properties": {"code": g.code, "name": g.name},
            }
            for g in gaps
        ],
    }
    return features, {g.code: round(g.score, 3) for g in gaps}
