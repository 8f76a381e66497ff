"""Loading real geography: boundary files, figures and postcodes; a bad feature or row is
named and nothing is saved; locations are placed in new areas."""

import io
import json

import pytest
from sqlalchemy import func, select

from engage.geo import importing
from engage.geo.models import Area, AreaFigure, Postcode
from engage.importing import ImportFailed
from tests.factories import _square, create_geography, create_service


def _boundaries(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code, box, name=None):
    return {
        "type": "Feature",
        "geometry": _square(*box),
        "properties": {"LSOA21CD": code, "LSOA21NM": name or code},
    }


def test_boundary_file_creates_areas_with_parents_found_by_containment(db_session):
    create_geography()
    data = _boundaries(_feature("E01000001", (-0.89, 52.36, -0.88, 52.37), "Kettering 001A"))
    result = importing.import_boundaries(data, "lsoa", "LSOA21CD", "LSOA21NM")
    assert (result.created, result.changed) == (1, 0)
    area = db_session.scalar(select(Area).where(Area.code == "E01000001"))
    assert area.parent.code == "T-W1" and area.level == "lsoa"


def test_a_bad_feature_is_named_and_nothing_is_saved(db_session):
    bowtie = {
        "type": "Feature",
        "properties": {"LSOA21CD": "E2", "LSOA21NM": "Bow"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
    }
    empty = {
        "type": "Feature",
        "properties": {"LSOA21CD": "E3", "LSOA21NM": "Empty"},
        "geometry": {"type": "Polygon", "coordinates": []},
    }
    nameless = {"type": "Feature", "properties": {}, "geometry": _square(0, 0, 1, 1)}
    with pytest.raises(ImportFailed) as failure:
        importing.import_boundaries(
            _boundaries(
                _feature("E1", (0, 0, 1, 1)), bowtie, empty, nameless, _feature("E1", (1, 1, 2, 2))
            ),
            "lsoa",
            "LSOA21CD",
            "LSOA21NM",
        )
    problems = {(p.line, p.field) for p in failure.value.problems}
    assert problems == {(3, "geometry"), (4, "LSOA21CD"), (5, "LSOA21CD")}
    assert db_session.scalar(select(func.count(Area.id))) == 0


def test_self_intersecting_boundaries_are_repaired(db_session):
    bowtie = {
        "type": "Feature",
        "properties": {"LSOA21CD": "E2", "LSOA21NM": "Bow"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
    }
    result = importing.import_boundaries(_boundaries(bowtie), "lsoa", "LSOA21CD", "LSOA21NM")
    assert result.repaired == 1


def test_figures_by_area_code(db_session):
    create_geography()
    csv_text = "area_code,indicator,value\nT-L1,violence_rate_per_1000,12.5\nT-L1,imd_decile,3\n"
    assert importing.import_figures(io.BytesIO(csv_text.encode()), "Area profile 2025") == 2
    figure = db_session.scalar(select(AreaFigure))
    assert (figure.indicator, figure.value, figure.source) == (
        "violence_rate_per_1000",
        12.5,
        "Area profile 2025",
    )
    assert db_session.scalar(select(Area.imd_decile).where(Area.code == "T-L1")) == 3


def test_a_bad_figure_row_imports_nothing(db_session):
    create_geography()
    csv_text = (
        "area_code,indicator,value\nT-L1,rate,1\nNOPE,rate,2\nT-L2,rate,lots\nT-L2,imd_decile,11\n"
    )
    with pytest.raises(ImportFailed) as failure:
        importing.import_figures(io.BytesIO(csv_text.encode()))
    assert {(p.line, p.field) for p in failure.value.problems} == {
        (3, "area_code"),
        (4, "value"),
        (5, "value"),
    }
    assert db_session.scalar(select(func.count(AreaFigure.id))) == 0


def test_postcode_directory_import_is_streamed_and_all_or_nothing(db_session, monkeypatch):
    monkeypatch.setattr(importing, "POSTCODE_BATCH", 2)
    good = (
        "pcd,pcds,lat,long,doterm\nNN146AB,NN14 6AB,52.4224,-0.8004,\n"
        "NN146AD,NN14 6AD,52.423,-0.801,\nNN146AE,NN14 6AE,52.424,-0.802,200012\n"
        "NN999ZZ,NN99 9ZZ,99.999999,0.000000,\n"
    )
    assert importing.import_postcodes(io.BytesIO(good.encode())) == 2
    bad = good + "XX,not a postcode,52.4,-0.8,\n"
    with pytest.raises(ImportFailed) as failure:
        importing.import_postcodes(io.BytesIO(bad.replace("6AB", "6AX").encode()))
    assert failure.value.problems[0].line == 6
    assert db_session.scalar(select(func.count(Postcode.postcode))) == 2
    assert db_session.get(Postcode, "NN146AX") is None


def test_cli_area_import_places_locations_again(runner, db_session, tmp_path):
    create_geography()
    service = create_service("Club")
    path = tmp_path / "lsoa.geojson"
    path.write_text(json.dumps(_boundaries(_feature("E01", (-0.81, 52.42, -0.79, 52.43)))))
    result = runner.invoke(
        args=[
            "areas",
            "import",
            str(path),
            "--level",
            "lsoa",
            "--code-field",
            "LSOA21CD",
            "--name-field",
            "LSOA21NM",
        ]
    )
    assert result.exit_code == 0, result.output
    db_session.refresh(service.locations[0])
    assert "E01" in {a.code for a in service.locations[0].areas}


def test_cli_reports_problems_and_exits_non_zero(runner, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("area_code,indicator,value\nNOPE,rate,1\n")
    result = runner.invoke(args=["areas", "figures", str(path)])
    assert result.exit_code == 1
    assert "line 2" in result.output
