"""The map's markers at any size. A search with few places to go to sends every one (the
browser clusters them); a bigger one sends cells of a grid sized to the map's zoom, each with
how many services it holds and where their middle is, and single services as markers. The
browser asks again for what is in view as the map moves, so the data stays a few kilobytes
whether the directory holds a hundred services or a hundred thousand.

Each service is placed once, at its place nearest the search's centre (as in the list)."""

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select

from engage.asset_map.models import Location, Service, service_at_location
from engage.asset_map.ranked import Box, placed
from engage.asset_map.search import SearchFilters, Where, origin_of
from engage.extensions import db

MARKER_LIMIT = 300  # up to this many services in view, each is sent as a marker
CELL_PX = 64  # a cell's side on screen
MAX_ZOOM = 18
MAX_CELLS = 1500  # a huge view at a close zoom is sent at a coarser one
FIT_PX = (640, 400)  # the map's size when the browser does not say
FIT_PADDING_PX, FIT_MAX_ZOOM = 20, 15  # as support-map.mjs fits the map to the places


@dataclass(frozen=True)
class View:
    box: Box  # min lon, min lat, max lon, max lat
    zoom: int


@dataclass(frozen=True)
class Markers:
    located: int  # services with a place in the view (or anywhere in reach)
    zoom: int | None  # the zoom cells were made for; None when every service is sent
    extent: Box | None  # where the places are, when no view was given
    cells: list[tuple[float, float, int]]  # lat, lon, services
    services: list[tuple[int, float, float, str]]  # id, lat, lon, name


def map_markers(
    filters: SearchFilters,
    where: Where,
    now: datetime,
    view: View | None = None,
    limit: int = MARKER_LIMIT,
    fit: tuple[int, int] = FIT_PX,
) -> Markers:
    """Every service in view as a marker when there are up to `limit`, else cells of a grid
    for the view's zoom; with no view, for the zoom at which a map of `fit` pixels shows them
    all (as the browser will draw it)."""
    ids, lats, lons = _placed_once(filters, where, now, view)
    extent = None
    if view is None and len(ids):
        extent = (_down(lons.min()), _down(lats.min()), _up(lons.max()), _up(lats.max()))
    if len(ids) <= limit:
        return Markers(len(ids), None, extent, [], _named(ids, lats, lons))
    zoom = view.zoom if view else fitting_zoom(extent, fit)  # type: ignore[arg-type]
    while True:
        cells, singles = _grid(ids, lats, lons, zoom)
        if len(cells) + len(singles[0]) <= MAX_CELLS or zoom <= 0:
            break
        zoom -= 1
    single_ids, single_lats, single_lons = singles
    return Markers(len(ids), zoom, extent, cells, _named(single_ids, single_lats, single_lons))


def _down(value: float) -> float:
    return math.floor(float(value) * 1e5) / 1e5  # markers are sent to 5 decimal places


def _up(value: float) -> float:
    return math.ceil(float(value) * 1e5) / 1e5


def _placed_once(
    filters: SearchFilters, where: Where, now: datetime, view: View | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each matching service's id with its place nearest the centre, as arrays."""
    query = placed(
        filters,
        where,
        now,
        service_at_location.c.service_id,
        Location.latitude,
        Location.longitude,
    )
    if view is not None:
        min_lon, min_lat, max_lon, max_lat = view.box
        query = query.where(
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lon, max_lon),
        )
    rows = _driver_rows(query)
    if not rows:
        empty = np.empty(0)
        return empty.astype(np.int64), empty, empty
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    lats = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    lons = np.fromiter((row[2] for row in rows), dtype=np.float64, count=len(rows))
    origin = origin_of(where)
    if origin is not None:
        squash = math.cos(math.radians(origin[0]))
        far = (lats - origin[0]) ** 2 + ((lons - origin[1]) * squash) ** 2
        order = np.lexsort((far, ids))  # by service, nearest place first
    else:
        order = np.argsort(ids, kind="stable")
    ids, lats, lons = ids[order], lats[order], lons[order]
    _, first = np.unique(ids, return_index=True)
    return ids[first], lats[first], lons[first]


def _driver_rows(query) -> list[tuple]:
    """The rows as the database driver's own tuples of plain numbers: tens of thousands of
    them, where making each a SQLAlchemy Row would take longer than the query (measured: about
    half the time of the map's first request at 100,000 services)."""
    result = db.session.connection().execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def fitting_zoom(extent: Box, size: tuple[int, int] = FIT_PX) -> int:
    """The closest zoom at which the extent fits a map of `size` pixels less its padding (Web
    Mercator tiles of 256 pixels), as Leaflet's fitBounds works it out."""
    min_lon, min_lat, max_lon, max_lat = extent
    width = max(size[0] - 2 * FIT_PADDING_PX, 1)
    height = max(size[1] - 2 * FIT_PADDING_PX, 1)
    span_x = max(max_lon - min_lon, 1e-9) / 360
    span_y = max(_mercator_y(max_lat) - _mercator_y(min_lat), 1e-9) / (2 * math.pi)
    zoom = math.floor(math.log2(min(width / (256 * span_x), height / (256 * span_y))))
    return max(0, min(FIT_MAX_ZOOM, zoom))


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _grid(ids: np.ndarray, lats: np.ndarray, lons: np.ndarray, zoom: int):
    """Cells of CELL_PX at this zoom (square on screen), counted; cells of one service come
    back as that service."""
    cell_lon = CELL_PX * 360 / (256 * 2**zoom)
    middle = math.radians(float(np.mean(lats)))
    cell_lat = cell_lon * math.cos(middle)
    column = np.floor((lons + 180) / cell_lon).astype(np.int64)
    row = np.floor((lats + 90) / cell_lat).astype(np.int64)
    keys = row * 10_000_000 + column
    unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    mean_lat = np.bincount(inverse, weights=lats) / counts
    mean_lon = np.bincount(inverse, weights=lons) / counts
    several = counts > 1
    cells = [
        (round(float(lat), 5), round(float(lon), 5), int(n))
        for lat, lon, n in zip(mean_lat[several], mean_lon[several], counts[several], strict=True)
    ]
    alone = ~several[inverse]
    return cells, (ids[alone], lats[alone], lons[alone])


def _named(
    ids: np.ndarray, lats: np.ndarray, lons: np.ndarray
) -> list[tuple[int, float, float, str]]:
    wanted = [int(i) for i in ids]
    names: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Service.id, Service.name).where(Service.id.in_(chunk))
        names.update((sid, name) for sid, name in db.session.execute(query))
    return [
        (sid, round(float(lat), 5), round(float(lon), 5), names[sid])
        for sid, lat, lon in zip(wanted, lats, lons, strict=True)
        if sid in names
    ]
