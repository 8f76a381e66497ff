"""Figures by area: the published statistics files recognised by their header (see
`publications`), or our own area_code,indicator,value template. A national file is filtered to
the areas loaded; every row for them is checked and nothing is saved unless all are right."""

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from engage.database import chunks, transactional
from engage.extensions import db
from engage.geo.models import Area, AreaFigure
from engage.geo.problems import Problems
from engage.geo.publications import Layout, Plan, Reading, RowProblem, recognise
from engage.geo.tables import read_table

AREA_FIELDS = {"population", "population_under_25", "imd_decile"}
SOURCES = {
    Layout.TEMPLATE: "",
    Layout.IOD: "English Indices of Deprivation",
    Layout.MID_YEAR: "ONS mid-year population estimates",
}


@dataclass
class FigureImport:
    layout: Layout
    edition: str | None = None  # the LSOA edition of a published file's codes
    areas: int = 0
    values: int = 0  # figures and areas' own numbers saved
    skipped: int = 0  # rows for areas that are not loaded
    left_aside: list[str] = field(default_factory=list)  # columns we do not read


def layout_refusal() -> str:
    return _(
        "this is not a file we recognise: use the English Indices of Deprivation files as "
        "published, the ONS mid-year estimates by single year of age (the “Mid-20XX LSOA "
        "2021” sheet saved as CSV), or columns area_code, indicator, value"
    )


@transactional
def load_figures(stream: BinaryIO, source: str = "", file_name: str = "") -> FigureImport:
    """Save the figures in a statistics file for the areas that are loaded; each is shown
    with its source (given, or the publication and the file's name)."""
    table = read_table(stream, recognise, layout_refusal())
    plan = table.layout
    result = FigureImport(plan.layout if plan else Layout.TEMPLATE)
    areas = {code: area_id for code, area_id in db.session.execute(select(Area.code, Area.id))}
    problems = Problems()
    if plan is None:
        readings = _template(table.header, table.rows, areas, problems)
    else:
        result.edition, result.left_aside = plan.edition, plan.left_aside
        readings = _published(plan, table.rows, areas, problems, result)
    if not readings and not problems:
        problems.add(None, None, _("none of the areas in the file is loaded: load them first"))
    problems.raise_if_any()
    label = source or ": ".join(part for part in (SOURCES[result.layout], file_name) if part)
    result.areas = len(readings)
    result.values = _save(readings, areas, label[:200])
    return result


def _published(
    plan: Plan,
    rows: Iterator[tuple[int, list[str]]],
    areas: dict[str, int],
    problems: Problems,
    result: FigureImport,
) -> dict[str, Reading]:
    readings: dict[str, Reading] = {}
    column = plan.header[plan.code_column]
    for line, cells in rows:
        code = cells[plan.code_column] if plan.code_column < len(cells) else ""
        if code not in areas:
            result.skipped += 1
            continue
        if code in readings:
            problems.add(line, column, _("%(code)s appears twice", code=code))
            continue
        try:
            readings[code] = plan.read(cells)
        except RowProblem as problem:
            problems.add(line, problem.column, _row_message(problem))
    return readings


def _row_message(problem: RowProblem) -> str:
    if problem.message_code == "decile":
        return _("an IMD decile is a whole number from 1 to 10")
    if problem.message_code == "count":
        return _("“%(value)s” is not a count of people", value=problem.value)
    return _("“%(value)s” is not a number", value=problem.value)


def _template(
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    areas: dict[str, int],
    problems: Problems,
) -> dict[str, Reading]:
    """area_code, indicator, value rows: an unknown code is a mistake here, not a filter."""
    index = {name.strip().lower(): i for i, name in enumerate(header)}
    readings: dict[str, Reading] = {}
    for line, cells in rows:
        row = {name: cells[i] if i < len(cells) else "" for name, i in index.items()}
        code, indicator = row["area_code"], row["indicator"]
        if code not in areas:
            problems.add(line, "area_code", _("no area has the code %(code)s", code=code[:40]))
            continue
        if not indicator or len(indicator) > 80 or "\x00" in indicator:
            problems.add(line, "indicator", _("give an indicator name of up to 80 characters"))
            continue
        value = _template_value(line, indicator, row["value"], problems)
        if value is None:
            continue
        reading = readings.setdefault(code, Reading(code))
        if indicator in AREA_FIELDS:
            reading.fields[indicator] = int(value)
        else:
            reading.figures[indicator] = value
    return readings


def _template_value(line: int, indicator: str, text: str, problems: Problems) -> float | None:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.add(line, "value", _("“%(value)s” is not a number", value=text[:40]))
        return None
    if indicator == "imd_decile" and value not in range(1, 11):
        problems.add(line, "value", _("an IMD decile is a whole number from 1 to 10"))
        return None
    if indicator in AREA_FIELDS and not 0 <= value <= 2_000_000_000:
        problems.add(line, "value", _("“%(value)s” is not a count of people", value=text[:40]))
        return None
    return value


def _save(readings: dict[str, Reading], areas: dict[str, int], source: str) -> int:
    ids = [areas[code] for code in readings]
    existing = {
        (f.area_id, f.indicator): f
        for chunk in chunks(ids, 500)
        for f in db.session.scalars(select(AreaFigure).where(AreaFigure.area_id.in_(chunk)))
    }
    saved = 0
    for code, reading in readings.items():
        area = db.session.get(Area, areas[code])
        for name, number in reading.fields.items():
            setattr(area, name, number)
        for name, number in reading.fields_if_empty.items():
            if getattr(area, name) is None:
                setattr(area, name, number)
        for indicator, value in reading.figures.items():
            figure = existing.get((areas[code], indicator))
            if figure is None:
                db.session.add(
                    AreaFigure(area_id=areas[code], indicator=indicator, value=value, source=source)
                )
            else:
                figure.value, figure.source = value, source
        saved += len(reading.fields) + len(reading.fields_if_empty) + len(reading.figures)
    return saved
