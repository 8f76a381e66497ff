"""Coordinate systems: what a boundary or postcode file declares, and its coordinates turned
into WGS84 longitude and latitude with pyproj. No Flask here; problems are `CRSProblem`s whose
`code` says what is wrong."""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from engage.geo.geometry import UK_BOUNDS

WGS84 = pyproj.CRS.from_epsg(4326)
BRITISH_NATIONAL_GRID = pyproj.CRS.from_epsg(27700)
# Eastings and northings of the British National Grid, with room to spare.
BNG_BOUNDS = (-100_000.0, -100_000.0, 800_000.0, 1_400_000.0)


class CRSProblem(ValueError):
    """`code`: unknown (a declaration pyproj cannot read), link (a 2008 "link" CRS),
    not_lonlat (nothing declared and the coordinates cannot be longitude and latitude)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Reprojection:
    """How a file's coordinates become WGS84 longitude and latitude."""

    crs: pyproj.CRS
    declared: bool

    @property
    def name(self) -> str:
        return "WGS84" if self.is_lonlat else f"{self.crs.name} (EPSG:{self.crs.to_epsg()})"

    @property
    def is_lonlat(self) -> bool:
        return self.crs.equals(WGS84, ignore_axis_order=True)

    def geometry(self, geometry: BaseGeometry) -> BaseGeometry:
        if self.is_lonlat:
            return geometry
        return shapely.transform(geometry, self.points)

    def points(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) array of x, y in the file's system to (n, 2) longitude, latitude."""
        lon, lat = _transformer(self.crs).transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])


_transformers: dict[str, pyproj.Transformer] = {}


def _transformer(crs: pyproj.CRS) -> pyproj.Transformer:
    key = crs.to_wkt()
    if key not in _transformers:
        # always_xy: GeoJSON and the postcode files give x (easting, longitude) first.
        _transformers[key] = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
    return _transformers[key]


def from_name(name: str) -> pyproj.CRS:
    """A CRS from how files and people name it: EPSG:27700, urn:ogc:def:crs:EPSG::27700,
    urn:ogc:def:crs:OGC:1.3:CRS84, or a bare EPSG number."""
    text = str(name).strip()
    try:
        return pyproj.CRS.from_user_input(int(text) if text.isdigit() else text)
    except CRSError as error:
        raise CRSProblem("unknown", text[:80]) from error


def declared(member: Any) -> pyproj.CRS | None:
    """The CRS a GeoJSON `crs` member declares (the 2008 form ONS and GDAL still write), or
    None when there is none. RFC 7946 files declare nothing and are WGS84."""
    if member is None:
        return None
    if not isinstance(member, dict):
        raise CRSProblem("unknown", str(member)[:80])
    properties = member.get("properties") or {}
    kind = str(member.get("type", "")).lower()
    if kind == "name":
        return from_name(str(properties.get("name", "")))
    if kind == "epsg":
        return from_name(f"EPSG:{properties.get('code', '')}")
    if kind == "link":
        raise CRSProblem("link", str(properties.get("href", ""))[:80])
    raise CRSProblem("unknown", kind[:80])


def undeclared_lonlat(bounds: tuple[float, float, float, float]) -> None:
    """Nothing was declared, so the coordinates must be longitude and latitude: CRSProblem
    not_lonlat when they cannot be (detail says whether they look like the National Grid)."""
    min_x, min_y, max_x, max_y = bounds
    if max(abs(min_x), abs(max_x)) <= 180 and max(abs(min_y), abs(max_y)) <= 90:
        return
    bng_w, bng_s, bng_e, bng_n = BNG_BOUNDS
    looks_bng = bng_w <= min_x and max_x <= bng_e and bng_s <= min_y and max_y <= bng_n
    raise CRSProblem("not_lonlat", "bng" if looks_bng else f"{min_x:.0f}, {min_y:.0f}")


def in_uk(bounds: tuple[float, float, float, float]) -> bool:
    """Whether a shape's WGS84 bounds lie within the United Kingdom (generously)."""
    min_lon, min_lat, max_lon, max_lat = UK_BOUNDS
    west, south, east, north = bounds
    return min_lon <= west and east <= max_lon and min_lat <= south and north <= max_lat
