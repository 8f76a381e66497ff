"""The statistics files we take exactly as published, recognised by their header: the English
Indices of Deprivation (Files 1 to 7), ONS mid-year population estimates by single year of age
for LSOAs, and our own area_code,indicator,value template. Each turns a row into a `Reading`.
No Flask or database here."""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from engage.geo.tables import number


class Layout(StrEnum):
    TEMPLATE = "template"  # area_code, indicator, value
    IOD = "iod"  # English Indices of Deprivation, LSOA files 1-7
    MID_YEAR = "mid_year"  # ONS LSOA mid-year estimates, single year of age (2021 LSOAs)


@dataclass
class Reading:
    code: str
    figures: dict[str, float] = field(default_factory=dict)  # indicator: value
    fields: dict[str, int] = field(default_factory=dict)  # the area's own figures
    fields_if_empty: dict[str, int] = field(default_factory=dict)  # older than what may be there


class RowProblem(ValueError):
    def __init__(self, column: str, message_code: str, value: str = "") -> None:
        super().__init__(f"{column}: {message_code}")
        self.column, self.message_code, self.value = column, message_code, value


# Indices of Deprivation: the LSOA edition they are published on gives their year.
IOD_CODE = re.compile(r"^LSOA code \((\d{4})\)$", re.IGNORECASE)
IOD_EDITIONS = {"2011": "iod2019", "2021": "iod2025"}
IOD_MEASURE = re.compile(r"^(?P<domain>.+?) (?P<measure>Score|Rank|Decile)\b", re.IGNORECASE)
IOD_DOMAINS = {
    "index of multiple deprivation (imd)": "imd",
    "income": "income",
    "employment": "employment",
    "education, skills and training": "education",
    "health deprivation and disability": "health",
    "crime": "crime",
    "barriers to housing and services": "housing_and_services",
    "living environment": "living_environment",
    "income deprivation affecting children index (idaci)": "idaci",
    "income deprivation affecting older people (idaopi)": "idaopi",
    "income deprivation affecting older people index (idaopi)": "idaopi",
    "children and young people sub-domain": "children_and_young_people",
    "adult skills sub-domain": "adult_skills",
    "geographical barriers sub-domain": "geographical_barriers",
    "wider barriers sub-domain": "wider_barriers",
    "indoors sub-domain": "indoors",
    "outdoors sub-domain": "outdoors",
}
IOD_POPULATION = {
    "total population": "population:total",
    "dependent children aged 0-15": "population:0_15",
    "population aged 16-59": "population:16_59",
    "older population aged 60 and over": "population:60_over",
    "working age population 18-59/64": "population:working_age",
}
IOD_DESCRIPTIVE = re.compile(
    r"^(LSOA name|Local Authority District (code|name)) \(\d{4}\)$", re.IGNORECASE
)

# Mid-year estimates: "LSOA 2021 Code", "Total", F0…F90, M0…M90 (90 meaning 90 and over).
MID_YEAR_CODE = re.compile(r"^LSOA (\d{4}) Code$", re.IGNORECASE)
AGE_COLUMN = re.compile(r"^([FM])(\d{1,2})\+?$")
OLDEST = 90
# Age bands of the reach comparison (engage/feedback/reach.py), from single years of age.
REACH_AGE_BANDS = {
    "under_16": range(0, 16),
    "16_24": range(16, 25),
    "25_44": range(25, 45),
    "45_64": range(45, 65),
    "65_over": range(65, OLDEST + 1),
}


@dataclass
class Plan:
    """What each column of a recognised file means."""

    layout: Layout
    code_column: int
    edition: str | None = None  # the LSOA edition its codes are from
    columns: dict[int, str] = field(default_factory=dict)  # index: indicator
    left_aside: list[str] = field(default_factory=list)
    ages: dict[int, tuple[str, int]] = field(default_factory=dict)  # index: (sex, age)
    total_column: int = -1
    header: list[str] = field(default_factory=list)

    def read(self, cells: list[str]) -> Reading:
        code = _cell(cells, self.code_column)
        if self.layout is Layout.IOD:
            return self._iod(code, cells)
        return self._mid_year(code, cells)

    def _iod(self, code: str, cells: list[str]) -> Reading:
        reading = Reading(code)
        for index, indicator in self.columns.items():
            value = _number(cells, index, self.header[index])
            reading.figures[indicator] = value
            if indicator.endswith(":imd:decile"):
                if value not in range(1, 11):
                    raise RowProblem(self.header[index], "decile", str(value))
                reading.fields["imd_decile"] = int(value)
            elif indicator.endswith(":population:total"):
                reading.fields_if_empty["population"] = _count(value, self.header[index])
        return reading

    def _mid_year(self, code: str, cells: list[str]) -> Reading:
        reading = Reading(code)
        by_age: dict[int, float] = {}
        by_sex = {"F": 0.0, "M": 0.0}
        for index, (sex, age) in self.ages.items():
            value = _count(_number(cells, index, f"{sex}{age}"), f"{sex}{age}")
            by_age[age] = by_age.get(age, 0) + value
            by_sex[sex] += value
        total = _count(_number(cells, self.total_column, "Total"), "Total")
        reading.fields["population"] = total
        reading.fields["population_under_25"] = int(sum(by_age[a] for a in range(25)))
        for band, ages in REACH_AGE_BANDS.items():
            reading.figures[f"census:age:{band}"] = sum(by_age[a] for a in ages)
        reading.figures["census:gender:female"] = by_sex["F"]
        reading.figures["census:gender:male"] = by_sex["M"]
        return reading


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _number(cells: list[str], index: int, column: str) -> float:
    text = _cell(cells, index)
    try:
        return number(text)
    except ValueError:
        raise RowProblem(column, "number", text[:40]) from None


def _count(value: float, column: str) -> int:
    if value != int(value) or not 0 <= value <= 2_000_000_000:
        raise RowProblem(column, "count", str(value))
    return int(value)


def recognise(cells: list[str]) -> tuple[Plan | None, bool] | None:
    """(plan, True) for a header row we know; the template gives (None, True)."""
    names = {cell.strip().lower() for cell in cells}
    if {"area_code", "indicator", "value"} <= names:
        return None, True
    for index, cell in enumerate(cells):
        iod = IOD_CODE.match(cell)
        if iod and iod.group(1) in IOD_EDITIONS:
            return _iod_plan(cells, index, iod.group(1)), True
        mid_year = MID_YEAR_CODE.match(cell)
        if mid_year:
            plan = _mid_year_plan(cells, index, mid_year.group(1))
            return (plan, True) if plan else None
    return None


def _iod_plan(cells: list[str], code_column: int, edition: str) -> Plan:
    plan = Plan(Layout.IOD, code_column, edition, header=cells)
    prefix = IOD_EDITIONS[edition]
    for index, cell in enumerate(cells):
        if index == code_column or IOD_DESCRIPTIVE.match(cell):
            continue
        indicator = _iod_indicator(cell)
        if indicator is None:
            plan.left_aside.append(cell)
        else:
            plan.columns[index] = f"{prefix}:{indicator}"
    return plan


def _iod_indicator(column: str) -> str | None:
    population = IOD_POPULATION.get(column.split(":")[0].strip().lower())
    if population:
        return population
    match = IOD_MEASURE.match(column)
    if not match:
        return None
    domain = IOD_DOMAINS.get(match.group("domain").strip().lower())
    if domain is None:
        domain = re.sub(r"[^a-z0-9]+", "_", match.group("domain").lower()).strip("_")[:40]
    return f"{domain}:{match.group('measure').lower()}"


def _mid_year_plan(cells: list[str], code_column: int, edition: str) -> Plan | None:
    plan = Plan(Layout.MID_YEAR, code_column, edition, header=cells)
    for index, cell in enumerate(cells):
        age = AGE_COLUMN.match(cell)
        if age and int(age.group(2)) <= OLDEST:
            plan.ages[index] = (age.group(1), int(age.group(2)))
        elif cell.lower() == "total":
            plan.total_column = index
    wanted = {(sex, age) for sex in "FM" for age in range(OLDEST + 1)}
    if plan.total_column < 0 or set(plan.ages.values()) != wanted:
        return None  # not the single-year-of-age table
    return plan
