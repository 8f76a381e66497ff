"""Full postcodes from the files they are published in: the ONS Postcode Directory and the
National Statistics Postcode Lookup (the column names used until 2025, pcds/osward/lsoa21, and
since, pcds/wd25cd/lsoa21cd), and OS Code-Point Open (no header; British National Grid
eastings and northings, reprojected with pyproj). Streamed in batches; terminated postcodes
and those with no location are left out, as are those far from the areas loaded and those
outside the UK (the directories include the Channel Islands and the Isle of Man)."""

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, BinaryIO

import numpy as np
from flask_babel import gettext as _
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engage.database import transactional
from engage.extensions import db
from engage.geo import crs
from engage.geo.models import Area, Postcode
from engage.geo.places import normalise_postcode
from engage.geo.problems import Problems
from engage.geo.tables import number, read_table

BATCH = 5000
MARGIN_DEGREES = 0.1  # about 7 km east-west and 11 km north-south around the areas
NO_GRID_REFERENCE = 99.999999  # the directories' latitude for a postcode with no location
CODE_POINT_NO_COORDINATES = "90"  # its positional quality for the same
WARD_COLUMN = re.compile(r"^(osward|ward|wd\d{2}cd)$")
GSS_CODE = re.compile(r"^[A-Z]\d{8}$")  # E05013456: the form of every ONS area code


class PostcodeLayout(StrEnum):
    DIRECTORY = "directory"  # ONSPD or NSPL
    CODE_POINT = "code_point"  # OS Code-Point Open


@dataclass
class PostcodeImport:
    layout: PostcodeLayout
    kept: int = 0
    terminated: int = 0
    no_location: int = 0
    far_away: int = 0
    not_postcodes: int = 0


@dataclass
class _Columns:
    postcode: int
    x: int
    y: int
    terminated: int | None = None
    ward: int | None = None
    lsoa11: int | None = None
    lsoa21: int | None = None
    quality: int | None = None


@dataclass
class _Batch:
    rows: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)
    xy: list[tuple[float, float]] = field(default_factory=list)


def _first(index: dict[str, int], *names: str) -> int | None:
    return next((index[name] for name in names if name in index), None)


def recognise(cells: list[str]) -> tuple[tuple[PostcodeLayout, _Columns], bool] | None:
    index = {cell.strip().lower(): i for i, cell in enumerate(cells)}
    postcode = _first(index, "pcds", "pcd", "pcd7", "pcd8", "pcd2")
    if postcode is not None and "lat" in index and "long" in index:
        ward = next((i for name, i in index.items() if WARD_COLUMN.match(name)), None)
        columns = _Columns(
            postcode,
            index["long"],
            index["lat"],
            terminated=index.get("doterm"),
            ward=ward,
            lsoa11=_first(index, "lsoa11", "lsoa11cd"),
            lsoa21=_first(index, "lsoa21", "lsoa21cd"),
        )
        return (PostcodeLayout.DIRECTORY, columns), True
    code_point = _Columns(0, 2, 3, ward=9, quality=1)
    if "postcode" in index and "eastings" in index and "admin_ward_code" in index:
        return (PostcodeLayout.CODE_POINT, code_point), True  # the header file put on top
    if (
        len(cells) == 10
        and normalise_postcode(cells[0])
        and all(c.isascii() and c.isdigit() for c in cells[1:4])
    ):
        return (PostcodeLayout.CODE_POINT, code_point), False
    return None


def layout_refusal() -> str:
    return _(
        "this is not a postcode file we recognise: use the ONS Postcode Directory or the "
        "National Statistics Postcode Lookup as published (columns pcds, lat, long…), or an "
        "OS Code-Point Open CSV file"
    )


@transactional
def load_postcodes(stream: BinaryIO, everywhere: bool = False) -> PostcodeImport:
    """Save the postcodes in the file, near the loaded areas unless `everywhere`; one broken
    row and none from the file is kept."""
    table = read_table(stream, recognise, layout_refusal())
    layout, columns = table.layout
    result, problems = PostcodeImport(layout), Problems()
    box = None if everywhere else _areas_box()
    batch = _Batch()
    for line, cells in table.rows:
        _read_row(line, cells, columns, result, problems, batch)
        if len(batch.rows) >= BATCH:
            _write(batch, layout, box, result, problems)
            batch = _Batch()
    _write(batch, layout, box, result, problems)
    problems.raise_if_any()
    return result


def _read_row(
    line: int,
    cells: list[str],
    columns: _Columns,
    result: PostcodeImport,
    problems: Problems,
    batch: _Batch,
) -> None:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    if cell(columns.terminated):
        result.terminated += 1
        return
    postcode = normalise_postcode(cell(columns.postcode))
    if postcode is None:
        result.not_postcodes += 1
        return
    if columns.quality is not None and cell(columns.quality) == CODE_POINT_NO_COORDINATES:
        result.no_location += 1
        return
    try:
        x, y = number(cell(columns.x)), number(cell(columns.y))
    except ValueError:
        problems.add(
            line, None, _("the coordinates of %(postcode)s are not numbers", postcode=postcode)
        )
        return
    if y == NO_GRID_REFERENCE:
        result.no_location += 1
        return
    ward, lsoa11, lsoa21 = (
        _gss(cell(index)) for index in (columns.ward, columns.lsoa11, columns.lsoa21)
    )
    batch.rows.append((postcode, ward, lsoa11, lsoa21))
    batch.xy.append((x, y))


def _gss(text: str) -> str | None:
    """An ONS code, or None for a blank, a dummy (E99999999) or anything else."""
    return text if GSS_CODE.match(text) and not text.endswith("99999999") else None


def _areas_box() -> tuple[float, float, float, float] | None:
    """The loaded areas' extent with a margin, so people just over the border are found."""
    bounds = [shape(json.loads(g)).bounds for g in db.session.scalars(select(Area.geometry))]
    if not bounds:
        return None
    array = np.array(bounds)
    return (
        float(array[:, 0].min()) - MARGIN_DEGREES,
        float(array[:, 1].min()) - MARGIN_DEGREES,
        float(array[:, 2].max()) + MARGIN_DEGREES,
        float(array[:, 3].max()) + MARGIN_DEGREES,
    )


def _write(
    batch: _Batch,
    layout: PostcodeLayout,
    box: tuple[float, float, float, float] | None,
    result: PostcodeImport,
    problems: Problems,
) -> None:
    if not batch.rows:
        return
    xy = np.array(batch.xy, dtype=float)
    if layout is PostcodeLayout.CODE_POINT:
        xy = crs.Reprojection(crs.BRITISH_NATIONAL_GRID, True).points(xy)
    records = []
    for (postcode, ward, lsoa11, lsoa21), (lon, lat) in zip(batch.rows, xy.tolist(), strict=True):
        outside = box is not None and not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3])
        if outside or not crs.in_uk((lon, lat, lon, lat)):  # the Channel Islands are not
            result.far_away += 1
            continue
        records.append(_record(postcode, lat, lon, ward, lsoa11, lsoa21))
    if records and not problems:
        _upsert(records)
    result.kept += len(records)


def _record(postcode: str, lat: float, lon: float, *codes: str | None) -> dict[str, Any]:
    outward, inward = postcode.split()
    ward, lsoa11, lsoa21 = codes
    return {
        "postcode": outward + inward,
        "latitude": lat,
        "longitude": lon,
        "district": outward,
        "sector": f"{outward} {inward[0]}",
        "ward_code": ward,
        "lsoa11_code": lsoa11,
        "lsoa21_code": lsoa21,
    }


def _upsert(records: list[dict[str, Any]]) -> None:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(Postcode).values(records)
    columns = [key for key in records[0] if key != "postcode"]
    statement = statement.on_conflict_do_update(
        index_elements=["postcode"], set_={key: statement.excluded[key] for key in columns}
    )
    db.session.execute(statement)
