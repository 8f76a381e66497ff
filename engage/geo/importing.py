"""Importing real geography: ONS boundary files (GeoJSON), figures by area code (CSV) and
postcode centroids (ONS Postcode Directory CSV). Every file is checked whole first; a bad
feature or row is named and nothing is saved."""

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engage.database import transactional
from engage.extensions import db
from engage.geo.geometry import AreaIndex, AreaShape, GeometryError, in_uk, repaired_geometry
from engage.geo.logic import upsert_areas
from engage.geo.models import Area, AreaFigure, AreaLevel, Postcode
from engage.geo.places import normalise_postcode
from engage.importing import ImportFailed, Problem, csv_rows

PARENT_LEVEL = {AreaLevel.WARD: AreaLevel.LAP, AreaLevel.LSOA: AreaLevel.WARD}
AREA_FIELDS = {"population", "population_under_25", "imd_decile"}


def geometry_message(error: GeometryError) -> str:
    messages = {
        "not_geojson": _("this is not a GeoJSON geometry"),
        "empty": _("the boundary is empty"),
        "unrepairable": _("the boundary crosses itself and cannot be repaired"),
        "not_polygon": _("the boundary must be a Polygon or MultiPolygon"),
    }
    return messages.get(error.code, error.code)


@dataclass
class AreaImport:
    created: int
    changed: int
    repaired: int


def read_boundary_features(
    data: dict[str, Any], level: str, code_field: str, name_field: str
) -> tuple[list[dict[str, Any]], int]:
    """Our area features from a boundary file's, with repaired geometry; ImportFailed naming
    each bad feature by its position (1-based) otherwise."""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ImportFailed([Problem(None, None, _("the file has no GeoJSON features"))])
    problems, result, repaired, seen = [], [], 0, set()
    for number, feature in enumerate(features, start=1):
        props = (feature or {}).get("properties") or {}
        code, name = str(props.get(code_field) or "").strip(), str(props.get(name_field) or "")
        if not code:
            problems.append(
                Problem(number, code_field, _("feature %(n)d has no area code", n=number))
            )
            continue
        if code in seen:
            problems.append(
                Problem(number, code_field, _("area code %(code)s appears twice", code=code))
            )
        seen.add(code)
        try:
            geometry = repaired_geometry(feature.get("geometry") or {})
        except GeometryError as error:
            problems.append(Problem(number, "geometry", geometry_message(error)))
            continue
        repaired += int(geometry.wkb != _raw_wkb(feature))
        result.append(_feature(code, name.strip() or code, level, geometry, props))
    if problems:
        raise ImportFailed(problems)
    return result, repaired


def _raw_wkb(feature: dict[str, Any]) -> bytes:
    try:
        return shape(feature["geometry"]).wkb
    except (KeyError, TypeError, ValueError, AttributeError, ShapelyError):
        return b""


def _feature(code: str, name: str, level: str, geometry, props: dict[str, Any]) -> dict[str, Any]:
    figures = {key: props.get(key) for key in AREA_FIELDS if props.get(key) is not None}
    return {
        "type": "Feature",
        "geometry": mapping(geometry),
        "properties": {"code": code, "name": name, "level": level, **figures},
        "_shape": geometry,
    }


def import_boundaries(
    data: dict[str, Any], level: str, code_field: str, name_field: str
) -> AreaImport:
    """Create or update areas of one level from a boundary file; each is given the area one
    level up that contains it as its parent."""
    features, repaired = read_boundary_features(data, level, code_field, name_field)
    parents = _parent_index(level)
    for feature in features:
        shape_ = feature.pop("_shape")
        props = feature["properties"]
        existing = db.session.scalar(select(Area).where(Area.code == props["code"]))
        props.setdefault("council", existing.council if existing else None)
        if parents is not None:
            point = shape_.representative_point()
            hits = parents.areas_at(point.x, point.y)
            props["parent_code"] = hits[0].code if hits else None
        for key in AREA_FIELDS:
            if key not in props and existing is not None:
                props[key] = getattr(existing, key)
    created, changed = upsert_areas(features, is_demo=False)
    return AreaImport(created, changed, repaired)


def _parent_index(level: str) -> AreaIndex | None:
    parent_level = PARENT_LEVEL.get(level)
    if parent_level is None:
        return None
    rows = db.session.scalars(select(Area).where(Area.level == parent_level)).all()
    shapes = [AreaShape(a.id, a.code, a.level, shape(json.loads(a.geometry))) for a in rows]
    return AreaIndex(shapes) if shapes else None


@transactional
def import_figures(stream: BinaryIO, source: str = "") -> int:
    """Figures by area code from CSV columns area_code, indicator, value. The indicators
    population, population_under_25 and imd_decile set the area's own figures."""
    areas = {code: area_id for code, area_id in db.session.execute(select(Area.code, Area.id))}
    rows, problems = [], []
    for line, row in csv_rows(stream, {"area_code", "indicator", "value"}):
        problem = _figure_problem(line, row, areas)
        if problem:
            problems.append(problem)
        else:
            rows.append((areas[row["area_code"]], row["indicator"], float(row["value"])))
    if problems:
        raise ImportFailed(problems)
    for area_id, indicator, value in rows:
        _save_figure(area_id, indicator, value, source)
    return len(rows)


def _figure_problem(line: int, row: dict[str, str], areas: dict[str, int]) -> Problem | None:
    if row["area_code"] not in areas:
        return Problem(line, "area_code", _("no area has the code %(code)s", code=row["area_code"]))
    if not row["indicator"] or len(row["indicator"]) > 80:
        return Problem(line, "indicator", _("give an indicator name of up to 80 characters"))
    try:
        value = float(row["value"])
    except ValueError:
        return Problem(line, "value", _("“%(value)s” is not a number", value=row["value"]))
    if not math.isfinite(value):
        return Problem(line, "value", _("“%(value)s” is not a number", value=row["value"]))
    if row["indicator"] == "imd_decile" and value not in range(1, 11):
        return Problem(line, "value", _("an IMD decile is a whole number from 1 to 10"))
    return None


def _save_figure(area_id: int, indicator: str, value: float, source: str) -> None:
    if indicator in AREA_FIELDS:
        area = db.session.get(Area, area_id)
        setattr(area, indicator, int(value))
        return
    figure = db.session.scalar(
        select(AreaFigure).where(AreaFigure.area_id == area_id, AreaFigure.indicator == indicator)
    )
    if figure is None:
        db.session.add(AreaFigure(area_id=area_id, indicator=indicator, value=value, source=source))
    else:
        figure.value, figure.source = value, source


POSTCODE_BATCH = 5000


@transactional
def import_postcodes(stream: BinaryIO) -> int:
    """Postcode centroids from an ONS Postcode Directory CSV (columns pcds or pcd, lat, long),
    streamed in batches; terminated postcodes and those with no location are skipped. All or
    nothing: one bad row and no postcode from the file is kept."""
    count, batch = 0, []
    for record in _postcode_records(stream):
        batch.append(record)
        if len(batch) >= POSTCODE_BATCH:
            _upsert_postcodes(batch)
            count, batch = count + len(batch), []
    if batch:
        _upsert_postcodes(batch)
        count += len(batch)
    return count


def _postcode_records(stream: BinaryIO) -> Iterator[dict[str, Any]]:
    problems: list[Problem] = []
    for line, row in csv_rows(stream, {"lat", "long"}):
        raw = row.get("pcds") or row.get("pcd") or ""
        if row.get("doterm"):
            continue
        postcode = normalise_postcode(raw)
        if postcode is None:
            problems.append(Problem(line, "pcds", _("“%(value)s” is not a postcode", value=raw)))
            continue
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except ValueError:
            problems.append(Problem(line, "lat", _("latitude and longitude must be numbers")))
            continue
        if lat == 99.999999:  # ONSPD's "no grid reference"
            continue
        if not in_uk(lat, lon):
            problems.append(Problem(line, "lat", _("the point is outside the UK")))
            continue
        if problems:
            continue
        yield {"postcode": postcode.replace(" ", ""), "latitude": lat, "longitude": lon}
    if problems:
        raise ImportFailed(problems)


def _upsert_postcodes(batch: list[dict[str, Any]]) -> None:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(Postcode).values(batch)
    statement = statement.on_conflict_do_update(
        index_elements=["postcode"],
        set_={"latitude": statement.excluded.latitude, "longitude": statement.excluded.longitude},
    )
    db.session.execute(statement)
