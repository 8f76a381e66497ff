"""Boundary files as ONS publishes them: GeoJSON in the coordinate system it declares (British
National Grid as often as WGS84), its code and name fields found from ONS naming (LSOA11CD,
LSOA21CD, WD24CD…). Read feature by feature, so a national file needs little memory; every
feature is checked, a bad one is named, and nothing is saved unless all are right."""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import ijson
from flask_babel import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from engage.database import transactional
from engage.extensions import db
from engage.geo import crs
from engage.geo.geometry import AreaIndex, AreaShape, GeometryError, parse_geometry, repair
from engage.geo.groupings import redraw_groupings
from engage.geo.models import Area, AreaLevel
from engage.geo.problems import Problems
from engage.importing import ImportFailed, Problem

PARENT_LEVEL = {AreaLevel.WARD: AreaLevel.LAP, AreaLevel.LSOA: AreaLevel.WARD}
# ONS names a code field by geography and year: LSOA21CD, WD24CD, lsoa11cd…
ONS_CODE_FIELD = re.compile(r"^([a-z]+?)(\d{2})cd$", re.IGNORECASE)
LEVEL_BY_PREFIX = {"lsoa": AreaLevel.LSOA, "wd": AreaLevel.WARD}
FLUSH_EVERY = 500


@dataclass(frozen=True)
class Fields:
    level: AreaLevel
    code: str
    name: str | None
    edition: str | None  # "2021" for LSOA21CD


@dataclass
class BoundaryImport:
    fields: Fields
    system: str  # the coordinate system the file was read in
    created: int = 0
    changed: int = 0
    repaired: int = 0


def geometry_message(error: GeometryError) -> str:
    messages = {
        "not_geojson": _("this is not a GeoJSON geometry"),
        "empty": _("the boundary is empty"),
        "unrepairable": _("the boundary crosses itself and cannot be repaired"),
        "not_polygon": _("the boundary must be a Polygon or MultiPolygon"),
    }
    return messages.get(error.code, error.code)


def _whole_file(message: str, field: str | None = None) -> ImportFailed:
    return ImportFailed([Problem(None, field, message)])


def _key(properties: dict[str, Any], wanted: str) -> str | None:
    """The property named `wanted`, in whatever case the file spells it."""
    return next((key for key in properties if key.lower() == wanted.lower()), None)


def find_fields(
    properties: dict[str, Any],
    level: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
) -> Fields:
    """The level, code and name fields of a boundary file from its first feature's
    properties: ONS naming is recognised, and any of it can be given instead."""
    if code_field:
        code = _key(properties, code_field)
        if code is None:
            raise _whole_file(_("the features have no “%(name)s” property", name=code_field))
        candidates = [code]
    else:
        candidates = [key for key in properties if _ons_level(key) is not None]
        if level:
            candidates = [key for key in candidates if _ons_level(key) == level]
    if not candidates:
        found = ", ".join(sorted(k for k in properties if ONS_CODE_FIELD.match(k))) or "—"
        raise _whole_file(
            _(
                "no LSOA or ward code field (such as LSOA21CD or WD24CD) was found (code "
                "fields in the file: %(found)s); name it with --code-field and --level",
                found=found,
            )
        )
    if len(candidates) > 1:
        raise _whole_file(
            _(
                "the file has several code fields (%(fields)s); choose one with --code-field",
                fields=", ".join(candidates),
            )
        )
    code = candidates[0]
    return _fields(properties, code, level, name_field)


def _ons_level(key: str) -> AreaLevel | None:
    match = ONS_CODE_FIELD.match(key)
    return LEVEL_BY_PREFIX.get(match.group(1).lower()) if match else None


def _fields(properties: dict[str, Any], code: str, level: str | None, name_field: str | None):
    found_level = _ons_level(code)
    if level and found_level and level != found_level:
        raise _whole_file(
            _(
                "“%(field)s” holds %(found)s codes, not %(level)s codes",
                field=code,
                found=found_level.label,
                level=AreaLevel(level).label,
            )
        )
    chosen = found_level or (AreaLevel(level) if level else None)
    if chosen is None:
        raise _whole_file(_("say which level “%(field)s” codes are with --level", field=code))
    match = ONS_CODE_FIELD.match(code)
    if name_field:
        name = _key(properties, name_field)
        if name is None:
            raise _whole_file(_("the features have no “%(name)s” property", name=name_field))
    else:
        name = _key(properties, code[:-2] + "NM") if match else None
    edition = f"20{match.group(2)}" if match else None
    return Fields(chosen, code, name, edition)


def import_boundaries(
    data: Any,
    level: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    system: str | None = None,
) -> BoundaryImport:
    """Areas from a GeoJSON FeatureCollection already in memory (see `import_boundary_file`)."""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise _whole_file(_("the file has no GeoJSON features"))
    member = data.get("crs")
    return _import(features, member, level, code_field, name_field, system)


def import_boundary_file(
    stream: BinaryIO,
    level: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    system: str | None = None,
) -> BoundaryImport:
    """Create or update areas of one level from a GeoJSON file, read a feature at a time;
    each area's parent is the area one level up that contains it."""
    member = _crs_member(stream)
    stream.seek(0)
    return _import(_streamed(stream), member, level, code_field, name_field, system)


def _crs_member(stream: BinaryIO) -> Any:
    try:
        return next(ijson.items(stream, "crs", use_float=True), None)
    except (ijson.JSONError, UnicodeDecodeError, ValueError) as error:
        raise _whole_file(
            _("the file is not GeoJSON (%(error)s)", error=str(error)[:200])
        ) from None


def _streamed(stream: BinaryIO) -> Iterator[Any]:
    count = 0
    try:
        for feature in ijson.items(stream, "features.item", use_float=True):
            count += 1
            yield feature
    except (ijson.JSONError, UnicodeDecodeError, ValueError) as error:
        message = _("the file is not GeoJSON after feature %(n)d (%(error)s)", n=count, error=error)
        raise _whole_file(message[:300]) from None
    if not count:
        raise _whole_file(_("the file has no GeoJSON features"))


def _reprojection(member: Any, system: str | None) -> crs.Reprojection | None:
    """How to read the file's coordinates; None when nothing is declared (lon/lat expected)."""
    try:
        found = crs.declared(member)
        if found is None and system:
            found = crs.from_name(system)
    except crs.CRSProblem as problem:
        if problem.code == "link":
            message = _("a coordinate system given by link cannot be read; give it with --crs")
        else:
            message = _("the coordinate system “%(name)s” is not known", name=problem.detail)
        raise _whole_file(message, "crs") from None
    return crs.Reprojection(found, member is not None) if found is not None else None


def _undeclared_problem(problem: crs.CRSProblem) -> ImportFailed:
    if problem.detail == "bng":
        message = _(
            "the file does not say which coordinate system it uses, and its coordinates "
            "cannot be longitude and latitude: they look like British National Grid eastings "
            "and northings. If they are, import it again with --crs EPSG:27700"
        )
    else:
        message = _(
            "the file does not say which coordinate system it uses, and its coordinates "
            "(%(first)s) cannot be longitude and latitude; give the system with --crs",
            first=problem.detail,
        )
    return _whole_file(message, "crs")


@transactional
def _import(
    features: Iterable[Any],
    member: Any,
    level: str | None,
    code_field: str | None,
    name_field: str | None,
    system: str | None,
) -> BoundaryImport:
    reprojection = _reprojection(member, system)
    problems, saved = Problems(), []
    seen: set[str] = set()
    result: BoundaryImport | None = None
    parents: AreaIndex | None = None
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.add(None, None, _("feature %(n)d is not a GeoJSON feature", n=number))
            continue
        if result is None:
            fields = find_fields(props, level, code_field, name_field)
            name = reprojection.name if reprojection else "WGS84"
            result, parents = BoundaryImport(fields, name), _parent_index(fields.level)
        read = _read_feature(number, feature, props, result.fields, reprojection, problems, seen)
        if read is None or problems:
            continue
        code, name, geometry, repaired = read
        result.repaired += repaired
        outcome, area = _save(code, name, result.fields, geometry, parents, problems, number)
        result.created += outcome == "created"
        result.changed += outcome == "changed"
        if area is not None:
            saved.append(area)
        if len(saved) >= FLUSH_EVERY:  # written, then forgotten: memory stays bounded
            db.session.flush()
            for area in saved:
                db.session.expunge(area)
            saved.clear()
    problems.raise_if_any()
    if result is None:
        raise _whole_file(_("the file has no GeoJSON features"))
    db.session.flush()
    redraw_groupings()
    return result


def _read_feature(
    number: int,
    feature: dict[str, Any],
    props: dict[str, Any],
    fields: Fields,
    reprojection: crs.Reprojection | None,
    problems: Problems,
    seen: set[str],
) -> tuple[str, str, BaseGeometry, bool] | None:
    """(code, name, WGS84 geometry, repaired?) of one feature, or None with its problems."""
    code = str(props.get(fields.code) or "").strip()
    name = str(props.get(fields.name) or "").strip() if fields.name else ""
    if not code or len(code) > 32 or "\x00" in code + name:
        problems.add(None, fields.code, _("feature %(n)d has no area code", n=number))
        return None
    where = _("feature %(n)d (%(code)s)", n=number, code=code)
    if code in seen:
        problems.add(None, fields.code, f"{where}: " + _("the code appears twice"))
    seen.add(code)
    try:
        geometry = parse_geometry(feature.get("geometry") or {})
        if reprojection is None:
            crs.undeclared_lonlat(geometry.bounds)
        else:
            geometry = reprojection.geometry(geometry)
        geometry, repaired = repair(geometry)
    except crs.CRSProblem as problem:
        raise _undeclared_problem(problem) from None
    except GeometryError as error:
        problems.add(None, "geometry", f"{where}: {geometry_message(error)}")
        return None
    if not crs.in_uk(geometry.bounds):
        problems.add(None, "geometry", f"{where}: " + _("the boundary is not in the UK"))
        return None
    return code, (name or code)[:120], geometry, repaired


def _parent_index(level: AreaLevel) -> AreaIndex | None:
    parent_level = PARENT_LEVEL.get(level)
    if parent_level is None:
        return None
    rows = db.session.scalars(select(Area).where(Area.level == parent_level)).all()
    shapes = [AreaShape(a.id, a.code, a.level, shape(json.loads(a.geometry))) for a in rows]
    return AreaIndex(shapes) if shapes else None


def _save(
    code: str,
    name: str,
    fields: Fields,
    geometry: BaseGeometry,
    parents: AreaIndex | None,
    problems: Problems,
    number: int,
) -> tuple[str, Area | None]:
    """created, changed or same; a code already used at another level is a problem."""
    area = db.session.scalar(select(Area).where(Area.code == code))
    if area is not None and area.level != fields.level:
        message = _(
            "feature %(n)d (%(code)s): that code is already a %(level)s",
            n=number,
            code=code,
            level=AreaLevel(area.level).label,
        )
        problems.add(None, fields.code, message)
        return "same", None
    values: dict[str, Any] = {
        "name": name,
        "geometry": json.dumps(mapping(geometry), separators=(",", ":")),
    }
    if parents is not None:  # with no parents loaded, keep the one a grouping gave
        point = geometry.representative_point()
        hits = parents.areas_at(point.x, point.y)
        values["parent_id"] = hits[0].area_id if hits else None
    editions = set(area.editions or []) if area is not None else set()
    values["editions"] = sorted(editions | {fields.edition}) if fields.edition else sorted(editions)
    if area is None:
        area = Area(code=code, level=fields.level, is_demo=False, **values)
        db.session.add(area)
        return "created", area
    if any(getattr(area, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(area, key, value)
        return "changed", area
    return "same", area
