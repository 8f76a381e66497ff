"""Geometry with shapely, and no Flask: which areas contain a point (an STRtree built once),
distances on the Earth, and checks on coordinates people type in."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity, make_valid

EARTH_RADIUS_M = 6_371_008.8
# Great Britain and Northern Ireland, generously: anything outside is a mistake.
UK_BOUNDS = (-8.7, 49.8, 1.9, 60.9)  # min lon, min lat, max lon, max lat


@dataclass(frozen=True)
class AreaShape:
    area_id: int
    code: str
    level: str
    geometry: BaseGeometry


class AreaIndex:
    """Point-in-area lookups over many polygons: an STRtree narrows the candidates, then an
    exact test; many points are answered in one vectorised call."""

    def __init__(self, shapes: Sequence[AreaShape]) -> None:
        self.shapes = list(shapes)
        geometries = [s.geometry for s in self.shapes]
        for geometry in geometries:
            shapely.prepare(geometry)
        self.tree = shapely.STRtree(geometries)

    def areas_at(self, lon: float, lat: float) -> list[AreaShape]:
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return [self.shapes[i] for i in sorted(hits)]

    def assign(self, lons: Sequence[float], lats: Sequence[float]) -> list[list[AreaShape]]:
        """For each point, the areas containing it (boundary points count for both sides)."""
        points = shapely.points(np.column_stack([lons, lats]))
        point_idx, shape_idx = self.tree.query(points, predicate="intersects")
        result: list[list[AreaShape]] = [[] for _ in range(len(lons))]
        for p, s in zip(point_idx.tolist(), shape_idx.tolist(), strict=True):
            result[p].append(self.shapes[s])
        return result


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, min lon, max lat, max lon) of a square that contains the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def in_uk(lat: float, lon: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = UK_BOUNDS
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def coordinate_problem(lat: float | None, lon: float | None) -> str | None:
    """Why a latitude/longitude pair cannot be right for a UK place (missing, not_finite,
    swapped, outside_uk), or None if it can."""
    if lat is None or lon is None:
        return "missing"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return "not_finite"
    if in_uk(lat, lon):
        return None
    return "swapped" if in_uk(lon, lat) else "outside_uk"


class GeometryError(ValueError):
    """`code` says what is wrong (not_geojson, empty, unrepairable, not_polygon)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


def repaired_geometry(geojson: dict) -> BaseGeometry:
    """A valid polygonal geometry from GeoJSON (see `parse_geometry` and `repair`)."""
    return repair(parse_geometry(geojson))[0]


def parse_geometry(geojson: dict) -> BaseGeometry:
    """A shapely geometry from GeoJSON; empty or malformed geometries are refused."""
    try:
        geometry = shape(geojson)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as error:
        raise GeometryError("not_geojson", str(error)) from error
    if geometry.is_empty:
        raise GeometryError("empty")
    return geometry


def repair(geometry: BaseGeometry) -> tuple[BaseGeometry, bool]:
    """A valid polygonal geometry, and whether it had to be repaired: invalid rings are
    mended with make_valid; non-polygonal shapes are refused."""
    repaired = False
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        geometry = make_valid(geometry)
        geometry = shapely.union_all([g for g in _parts(geometry) if g.area > 0])
        repaired = True
        if geometry.is_empty:
            raise GeometryError("unrepairable", reason)
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError("not_polygon", geometry.geom_type)
    return geometry, repaired


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    return list(getattr(geometry, "geoms", [geometry]))


def representative_point(geometry: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of a point inside the area, used as its centre for distances."""
    point = (
        geometry.centroid if geometry.contains(geometry.centroid) else geometry.point_on_surface()
    )
    return point.y, point.x
