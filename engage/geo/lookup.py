"""The per-process area index and gazetteer, rebuilt when areas change in the database."""

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from shapely.geometry import shape
from sqlalchemy import func, select

from engage.extensions import db
from engage.geo.geometry import AreaIndex, AreaShape
from engage.geo.models import Area, Postcode
from engage.geo.places import Gazetteer, Point

SEED = Path(__file__).resolve().parent.parent.parent / "seed_assets"


@dataclass
class _Cached:
    version: tuple[int, datetime | None]
    index: AreaIndex


_lock = threading.Lock()
_cache: dict[str, _Cached] = {}
_gazetteer: list[Gazetteer] = []


def _version() -> tuple[int, datetime | None]:
    count, latest = db.session.execute(select(func.count(Area.id), func.max(Area.updated_at))).one()
    return int(count), latest


def area_index() -> AreaIndex:
    """The STRtree over every area, built once per process and again after areas change."""
    key = db.engine.url.render_as_string()
    version = _version()
    cached = _cache.get(key)
    if cached is None or cached.version != version:
        with _lock:
            rows = db.session.execute(select(Area.id, Area.code, Area.level, Area.geometry)).all()
            shapes = [AreaShape(r.id, r.code, r.level, shape(json.loads(r.geometry))) for r in rows]
            cached = _Cached(version, AreaIndex(shapes))
            _cache[key] = cached
    return cached.index


@dataclass(frozen=True)
class PostcodePoint:
    """Where a full postcode is, and the ward and LSOAs the postcode directory puts it in."""

    postcode: str  # "NN14 6AB"
    latitude: float
    longitude: float
    ward_code: str | None
    lsoa11_code: str | None
    lsoa21_code: str | None


def postcode_point(postcode: str) -> PostcodePoint | None:
    row = db.session.get(Postcode, postcode.upper().replace(" ", "")[:8])
    if row is None:
        return None
    spaced = f"{row.postcode[:-3]} {row.postcode[-3:]}"
    return PostcodePoint(
        spaced, row.latitude, row.longitude, row.ward_code, row.lsoa11_code, row.lsoa21_code
    )


def postcode_centroid(postcode: str) -> Point | None:
    """Where a full postcode is, with the ward and LSOA codes the directory gives it (a point
    near a boundary can fall the other side of it; the directory knows better)."""
    point = postcode_point(postcode)
    if point is None:
        return None
    codes = tuple(c for c in (point.lsoa21_code, point.lsoa11_code, point.ward_code) if c)
    return Point(point.latitude, point.longitude, codes)


def postcode_area_centroid(sector_or_district: str) -> Point | None:
    """The mean position of the imported postcodes in a sector ("NN14 6") or district
    ("NN14"), or None when none are imported."""
    text = " ".join(sector_or_district.upper().split())
    column = Postcode.sector if " " in text else Postcode.district
    count, lat, lon = db.session.execute(
        select(func.count(), func.avg(Postcode.latitude), func.avg(Postcode.longitude)).where(
            column == text
        )
    ).one()
    return Point(float(lat), float(lon)) if count else None


def gazetteer() -> Gazetteer:
    """Place names and postcode districts from seed_assets/; postcodes, sectors and districts
    from the imported postcodes when there are any."""
    if not _gazetteer:
        _gazetteer.append(
            Gazetteer.from_files(
                SEED / "places.csv",
                SEED / "postcode_districts.csv",
                postcode_centroid,
                postcode_area_centroid,
            )
        )
    return _gazetteer[0]
