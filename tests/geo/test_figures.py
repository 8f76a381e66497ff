"""Statistics files as published, recognised by their header and loaded with no flags: the
English Indices of Deprivation 2019 (Files 1, 6 and 7) and ONS mid-year estimates by single
year of age; a national file is filtered to the areas loaded; our own template still works."""

import csv
import io

import pytest
from sqlalchemy import func, select

from engage.geo.figures import load_figures
from engage.geo.importing import import_figures
from engage.geo.models import Area, AreaFigure
from engage.importing import ImportFailed
from tests.factories import create_geography
from tests.geo.fixtures import FILE_1, FILE_6, FILE_7, MID_YEAR, load_lsoas

LOADED = 13  # LSOAs in the boundary extracts


def _load(path, source=""):
    with path.open("rb") as stream:
        return load_figures(stream, source, path.name)


def _figures(db_session, code):
    area_id = select(Area.id).where(Area.code == code).scalar_subquery()
    rows = db_session.execute(
        select(AreaFigure.indicator, AreaFigure.value).where(AreaFigure.area_id == area_id)
    )
    return dict(rows.all())


def _area(db_session, code):
    return db_session.scalar(select(Area).where(Area.code == code))


def test_file_1_as_published_gives_each_loaded_lsoa_its_imd_decile(db_session):
    load_lsoas()
    assert FILE_1.read_bytes().startswith(b"\xef\xbb\xbfLSOA code (2011),")
    result = _load(FILE_1)
    assert (result.layout, result.edition, result.areas, result.skipped) == ("iod", "2011", 13, 6)
    assert result.left_aside == []
    rothwell = _area(db_session, "E01027124")
    assert rothwell.imd_decile == 3
    assert _figures(db_session, "E01027124") == {"iod2019:imd:rank": 6965, "iod2019:imd:decile": 3}
    figure = db_session.scalar(select(AreaFigure).where(AreaFigure.indicator == "iod2019:imd:rank"))
    assert figure.source == "English Indices of Deprivation: " + FILE_1.name


def test_file_6_gives_populations_with_thousands_separators(db_session):
    load_lsoas()
    _load(FILE_6)
    figures = _figures(db_session, "E01027124")
    assert figures["iod2019:population:total"] == 2232
    assert figures["iod2019:population:0_15"] == 410
    assert figures["iod2019:population:working_age"] == 1317
    assert _area(db_session, "E01027124").population == 2232
    big = {row[0]: row for row in csv.reader(io.StringIO(FILE_6.read_text("utf-8-sig")))}
    assert big["E01026949"][4].count(",") == 1  # "1,6xx" in the file
    assert _area(db_session, "E01026949").population == int(big["E01026949"][4].replace(",", ""))


def test_file_7_all_domains_load_by_their_header(db_session):
    load_lsoas()
    result = _load(FILE_7)
    assert (result.layout, result.areas, result.skipped, result.left_aside) == ("iod", 13, 6, [])
    figures = _figures(db_session, "E01027124")
    assert len(figures) == 16 * 3 + 5
    for domain in ("imd", "income", "crime", "idaci", "idaopi", "outdoors", "housing_and_services"):
        assert {f"iod2019:{domain}:{m}" for m in ("score", "rank", "decile")} <= set(figures)
    assert figures["iod2019:imd:decile"] == 3 == _area(db_session, "E01027124").imd_decile


def test_mid_year_estimates_give_the_under_25_population_and_reach_figures(db_session):
    load_lsoas()
    result = _load(MID_YEAR)
    assert (result.layout, result.edition, result.areas, result.skipped) == (
        "mid_year",
        "2021",
        13,
        2,
    )
    rows = list(csv.reader(io.StringIO(MID_YEAR.read_text("utf-8"))))
    header, row = rows[3], next(r for r in rows[4:] if r[2] == "E01027124")
    ages = {name: int(value) for name, value in zip(header, row, strict=True) if name[1:].isdigit()}
    area = _area(db_session, "E01027124")
    assert area.population == int(row[4].replace(",", "")) == sum(ages.values())
    assert area.population_under_25 == sum(ages[f"{s}{a}"] for s in "FM" for a in range(25))
    figures = _figures(db_session, "E01027124")
    assert figures["census:age:16_24"] == sum(ages[f"{s}{a}"] for s in "FM" for a in range(16, 25))
    assert figures["census:gender:female"] == sum(ages[f"F{a}"] for a in range(91))


def test_older_population_denominators_do_not_replace_newer_estimates(db_session):
    load_lsoas()
    _load(MID_YEAR)
    newer = _area(db_session, "E01027124").population
    _load(FILE_6)
    assert _area(db_session, "E01027124").population == newer != 2232


def test_a_national_file_with_none_of_the_areas_loaded_is_refused(db_session):
    create_geography()
    with pytest.raises(ImportFailed) as failure:
        _load(FILE_1)
    assert "load them first" in str(failure.value.problems[0])


def _published_with(path, code, column, value):
    lines = path.read_bytes().split(b"\r\n")
    header = next(csv.reader([lines[0].decode("utf-8-sig")]))
    out = []
    for line in lines:
        cells = next(csv.reader([line.decode("utf-8-sig")]), [])
        if cells and cells[0] == code:
            cells[header.index(column)] = value
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow(cells)
            line = buffer.getvalue().encode()
        out.append(line)
    return io.BytesIO(b"\r\n".join(out))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "decile"),
        ("lots", "not a number"),
        ("²", "not a number"),
        ("\x00", "not a number"),
        ("1e400", "not a number"),
        ("x" * 100_000, "not a number"),
    ],
)
def test_a_bad_value_is_named_by_line_and_column_and_nothing_is_saved(db_session, value, message):
    load_lsoas()
    column = "Index of Multiple Deprivation (IMD) Decile"
    with pytest.raises(ImportFailed) as failure:
        load_figures(_published_with(FILE_1, "E01027124", column, value))
    problem = failure.value.problems[0]
    assert (problem.field, message in problem.message) == (column, True)
    assert problem.line == 1 + FILE_1.read_text("utf-8").splitlines().index(
        next(line for line in FILE_1.read_text("utf-8").splitlines() if "E01027124" in line)
    )
    assert db_session.scalar(select(func.count(AreaFigure.id))) == 0


def test_a_count_beyond_any_population_is_refused(db_session):
    load_lsoas()
    column = "Total population: mid 2015 (excluding prisoners)"
    with pytest.raises(ImportFailed) as failure:
        load_figures(_published_with(FILE_6, "E01027124", column, "99999999999999999999"))
    assert "count of people" in failure.value.problems[0].message


def test_a_file_we_do_not_know_is_refused_with_what_we_take(db_session):
    with pytest.raises(ImportFailed) as failure:
        load_figures(io.BytesIO(b"code,deprivation\nE01027124,3\n"))
    assert "English Indices of Deprivation" in failure.value.problems[0].message


def test_template_figures_by_area_code(db_session):
    create_geography()
    csv_text = "area_code,indicator,value\nT-L1,violence_rate_per_1000,12.5\nT-L1,imd_decile,3\n"
    assert import_figures(io.BytesIO(csv_text.encode()), "Area profile 2025") == 2
    figure = db_session.scalar(select(AreaFigure))
    assert (figure.indicator, figure.value, figure.source) == (
        "violence_rate_per_1000",
        12.5,
        "Area profile 2025",
    )
    assert db_session.scalar(select(Area.imd_decile).where(Area.code == "T-L1")) == 3


def test_a_bad_template_row_imports_nothing(db_session):
    create_geography()
    csv_text = (
        "area_code,indicator,value\nT-L1,rate,1\nNOPE,rate,2\nT-L2,rate,lots\nT-L2,imd_decile,11\n"
        "T-L2,population,99999999999\n"
    )
    with pytest.raises(ImportFailed) as failure:
        import_figures(io.BytesIO(csv_text.encode()))
    assert {(p.line, p.field) for p in failure.value.problems} == {
        (3, "area_code"),
        (4, "value"),
        (5, "value"),
        (6, "value"),
    }
    assert db_session.scalar(select(func.count(AreaFigure.id))) == 0


def test_cli_loads_a_published_file_with_no_flags_and_counts_what_it_skipped(runner, db_session):
    load_lsoas()
    result = runner.invoke(args=["areas", "figures", str(FILE_7)])
    assert result.exit_code == 0, result.output
    assert "English Indices of Deprivation (LSOA 2011 codes): " in result.output
    assert "for 13 areas imported; 6 rows for areas not loaded skipped" in result.output


def test_cli_reports_problems_and_exits_non_zero(runner, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("area_code,indicator,value\nNOPE,rate,1\n")
    result = runner.invoke(args=["areas", "figures", str(path)])
    assert result.exit_code == 1
    assert "line 2" in result.output
