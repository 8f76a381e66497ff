"""Boundary files as ONS publishes them: the real 2011 LSOA extract loads with no flags, a
British National Grid copy lands every point in the same LSOA, a file that cannot be lon/lat
and declares nothing is refused, ONS field names are found, 2011 and 2021 codes live side by
side, and a bad feature is named with nothing saved."""

import io
import json

import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import func, select

from engage.geo import boundaries
from engage.geo.lookup import area_index
from engage.geo.models import Area
from engage.importing import ImportFailed
from tests.factories import _square, create_geography, create_service
from tests.geo.fixtures import KETTERING, ROTHWELL, as_bytes, collection, feature, load_lsoas

NEAR_ROTHWELL = (-0.81, 52.41, -0.80, 52.42)


def _published():
    return json.loads(KETTERING.read_text(encoding="utf-8"))


def _to_grid(data, declare=True):
    """The published extract in British National Grid eastings and northings (pyproj)."""
    to_grid = pyproj.Transformer.from_crs(4326, 27700, always_xy=True)
    grid = collection(crs="urn:ogc:def:crs:EPSG::27700" if declare else None)
    for item in data["features"]:
        geometry = shapely.transform(shape(item["geometry"]), lambda xy: _moved(to_grid, xy))
        grid["features"].append(feature(item["properties"], mapping(geometry)))
    return grid


def _moved(transformer, xy):
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _codes_at(lat, lon):
    return {s.code for s in area_index().areas_at(lon, lat)}


def test_the_published_lsoa_file_loads_with_no_flags(db_session):
    with KETTERING.open("rb") as stream:
        result = boundaries.import_boundary_file(stream)
    fields = result.fields
    assert (fields.level, fields.code, fields.name, fields.edition) == (
        "lsoa",
        "LSOA11CD",
        "LSOA11NM",
        "2011",
    )
    assert (result.created, result.system) == (9, "WGS84")
    area = db_session.scalar(select(Area).where(Area.code == "E01027126"))
    assert (area.name, area.level, area.editions) == ("Kettering 003D", "lsoa", ["2011"])
    assert _codes_at(*ROTHWELL) == {"E01027126"}


def test_a_british_national_grid_copy_puts_every_point_in_the_same_lsoa(db_session):
    published = _published()
    result = boundaries.import_boundaries(_to_grid(published))
    assert result.system.startswith("OSGB36 / British National Grid")
    assert _codes_at(*ROTHWELL) == {"E01027126"}
    for item in published["features"]:
        original = shape(item["geometry"])
        stored = db_session.scalar(
            select(Area.geometry).where(Area.code == item["properties"]["LSOA11CD"])
        )
        # a round trip through the grid moves nothing by more than a millimetre or so
        assert shape(json.loads(stored)).hausdorff_distance(original) < 1e-7
        point = original.representative_point()
        assert item["properties"]["LSOA11CD"] in _codes_at(point.y, point.x)


def test_a_grid_file_that_declares_nothing_is_refused_with_a_clear_message(db_session):
    grid = _to_grid(_published(), declare=False)
    with pytest.raises(ImportFailed) as failure:
        boundaries.import_boundaries(grid)
    message = str(failure.value.problems[0])
    assert "British National Grid" in message and "--crs EPSG:27700" in message
    assert db_session.scalar(select(func.count(Area.id))) == 0
    assert boundaries.import_boundaries(grid, system="EPSG:27700").created == 9
    assert _codes_at(*ROTHWELL) == {"E01027126"}


def test_coordinates_that_are_neither_lon_lat_nor_the_grid_are_refused(db_session):
    far = collection(feature({"LSOA21CD": "E1"}, _square(9e6, 9e6, 9.1e6, 9.1e6)))
    with pytest.raises(ImportFailed) as failure:
        boundaries.import_boundaries(far)
    assert "--crs" in str(failure.value.problems[0])


def test_an_unknown_declared_system_is_refused(db_session):
    data = collection(feature({"LSOA21CD": "E1"}, _square(*NEAR_ROTHWELL)), crs="EPSG:999999")
    with pytest.raises(ImportFailed) as failure:
        boundaries.import_boundaries(data)
    assert failure.value.problems[0].field == "crs"


@pytest.mark.parametrize(
    ("properties", "level", "edition", "name"),
    [
        ({"LSOA11CD": "E01000001", "LSOA11NM": "Kettering 001A"}, "lsoa", "2011", "Kettering 001A"),
        (
            {"FID": 1, "LSOA21CD": "E01000001", "LSOA21NM": "Corby 001A"},
            "lsoa",
            "2021",
            "Corby 001A",
        ),
        ({"lsoa21cd": "E01000001", "lsoa21nm": "Corby 001A"}, "lsoa", "2021", "Corby 001A"),
        ({"WD24CD": "E05000001", "WD24NM": "Rothwell", "WD24NMW": " "}, "ward", "2024", "Rothwell"),
        ({"LAD24CD": "E06000061", "WD22CD": "E05000001"}, "ward", "2022", "E05000001"),
    ],
)
def test_ons_code_and_name_fields_are_found_by_themselves(
    db_session, properties, level, edition, name
):
    result = boundaries.import_boundaries(collection(feature(properties, _square(*NEAR_ROTHWELL))))
    assert (result.fields.level, result.fields.edition) == (level, edition)
    area = db_session.scalar(select(Area))
    assert (area.level, area.name, area.editions) == (level, name, [edition])


def test_a_file_with_no_code_field_or_several_says_what_it_found(db_session):
    with pytest.raises(ImportFailed) as none:
        boundaries.import_boundaries(
            collection(feature({"MSOA21CD": "E02"}, _square(*NEAR_ROTHWELL)))
        )
    assert "MSOA21CD" in str(none.value.problems[0]) and "--code-field" in str(
        none.value.problems[0]
    )
    both = {"LSOA21CD": "E01", "WD24CD": "E05"}
    with pytest.raises(ImportFailed) as several:
        boundaries.import_boundaries(collection(feature(both, _square(*NEAR_ROTHWELL))))
    assert "LSOA21CD, WD24CD" in str(several.value.problems[0])
    assert (
        boundaries.import_boundaries(
            collection(feature(both, _square(*NEAR_ROTHWELL))), code_field="WD24CD"
        ).fields.level
        == "ward"
    )


def test_2011_and_2021_lsoa_codes_live_side_by_side(db_session):
    """A 2021 file where Kettering 003B was split in two (new codes, as ONS gives a changed
    LSOA) and the rest kept their codes: both editions stay, each code once."""
    load_lsoas(KETTERING)
    data = _published()
    features = []
    for item in data["features"]:
        props = {
            "LSOA21CD": item["properties"]["LSOA11CD"],
            "LSOA21NM": item["properties"]["LSOA11NM"],
        }
        if props["LSOA21CD"] != "E01027124":
            features.append(feature(props, item["geometry"]))
            continue
        whole = shape(item["geometry"])
        w, s, e, n = whole.bounds
        for code, half in (
            ("E01035001", (w, s, e, (s + n) / 2)),
            ("E01035002", (w, (s + n) / 2, e, n)),
        ):
            part = whole.intersection(shapely.box(*half))
            features.append(feature({"LSOA21CD": code, "LSOA21NM": code}, mapping(part)))
    result = boundaries.import_boundaries(collection(*features))
    assert (result.fields.edition, result.created, result.changed) == ("2021", 2, 8)
    editions = dict(db_session.execute(select(Area.code, Area.editions)).all())
    assert editions["E01027126"] == ["2011", "2021"]
    assert editions["E01027124"] == ["2011"]
    assert editions["E01035001"] == editions["E01035002"] == ["2021"]
    point = shape(
        json.loads(db_session.scalar(select(Area.geometry).where(Area.code == "E01035001")))
    )
    inside = point.representative_point()
    assert _codes_at(inside.y, inside.x) == {"E01027124", "E01035001"}


def test_a_bad_feature_is_named_and_nothing_is_saved(db_session):
    bowtie = [[[-0.8, 52.4], [-0.79, 52.41], [-0.79, 52.4], [-0.8, 52.41], [-0.8, 52.4]]]
    line = {"type": "LineString", "coordinates": [[-0.8, 52.4], [-0.79, 52.41]]}
    data = collection(
        feature({"LSOA21CD": "E1"}, _square(*NEAR_ROTHWELL)),
        feature({"LSOA21CD": "E2"}, {"type": "Polygon", "coordinates": bowtie}),
        feature({"LSOA21CD": "E3"}, {"type": "Polygon", "coordinates": []}),
        feature({}, _square(*NEAR_ROTHWELL)),
        feature({"LSOA21CD": "E1"}, _square(*NEAR_ROTHWELL)),
        feature({"LSOA21CD": "E6"}, line),
        feature({"LSOA21CD": "E7"}, _square(52.41, -0.81, 52.42, -0.80)),  # lat and lon swapped
        "not a feature",
    )
    with pytest.raises(ImportFailed) as failure:
        boundaries.import_boundaries(data)
    found = [(p.field, str(p)) for p in failure.value.problems]
    assert [field for field, _ in found] == [
        "geometry", "LSOA21CD", "LSOA21CD", "geometry", "geometry", None,
    ]  # fmt: skip
    assert "feature 3 (E3)" in found[0][1] and "feature 4" in found[1][1]
    assert "feature 5 (E1)" in found[2][1] and "not in the UK" in found[4][1]
    assert db_session.scalar(select(func.count(Area.id))) == 0


def test_self_intersecting_boundaries_are_repaired(db_session):
    bowtie = [[[-0.8, 52.4], [-0.79, 52.41], [-0.79, 52.4], [-0.8, 52.41], [-0.8, 52.4]]]
    data = collection(feature({"LSOA21CD": "E2"}, {"type": "Polygon", "coordinates": bowtie}))
    result = boundaries.import_boundaries(data)
    assert result.repaired == 1
    assert shape(json.loads(db_session.scalar(select(Area.geometry)))).is_valid


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b'{"features": 7}', b'{"type": "FeatureCollection", "features": []}',
     b"\xff\xfe\x00{", b'{"features": [{"properties": {"LSOA21CD": "E1"}, "geometry": 5}]}',
     b'{"features": [' + b'[' * 5000 + b']' * 5000 + b"]}", b"\x00" * 100, b"x" * 100_000],
)  # fmt: skip
def test_anything_that_is_not_a_boundary_file_is_refused_not_a_crash(db_session, content):
    with pytest.raises(ImportFailed):
        boundaries.import_boundary_file(io.BytesIO(content))
    assert db_session.scalar(select(func.count(Area.id))) == 0


def test_names_with_nul_bytes_are_refused(db_session):
    data = collection(
        feature({"LSOA21CD": "E1", "LSOA21NM": "Rothwell\x00"}, _square(*NEAR_ROTHWELL))
    )
    with pytest.raises(ImportFailed):
        boundaries.import_boundary_file(as_bytes(data))


def test_parents_are_found_by_containment_and_kept_when_none_are_loaded(db_session):
    create_geography()
    result = boundaries.import_boundaries(
        collection(feature({"LSOA21CD": "E01000001"}, _square(-0.89, 52.36, -0.88, 52.37)))
    )
    assert result.created == 1
    area = db_session.scalar(select(Area).where(Area.code == "E01000001"))
    assert area.parent.code == "T-W1"


def test_a_big_file_is_written_in_batches(db_session, monkeypatch):
    monkeypatch.setattr(boundaries, "FLUSH_EVERY", 2)
    with KETTERING.open("rb") as stream:
        assert boundaries.import_boundary_file(stream).created == 9
    assert db_session.scalar(select(func.count(Area.id))) == 9


def test_the_point_lookup_is_rebuilt_when_areas_change(db_session):
    assert _codes_at(*ROTHWELL) == set()
    load_lsoas(KETTERING)
    assert _codes_at(*ROTHWELL) == {"E01027126"}
    moved = collection(feature({"LSOA11CD": "E01027126"}, _square(-0.5, 52.0, -0.4, 52.1)))
    boundaries.import_boundaries(moved)
    assert _codes_at(*ROTHWELL) == set()


def test_cli_area_import_places_locations_again(runner, db_session):
    create_geography()
    service = create_service("Club")  # in Rothwell
    location = service.locations[0]
    result = runner.invoke(args=["areas", "import", str(KETTERING)])
    assert result.exit_code == 0, result.output
    assert "LSOA (2011) from LSOA11CD/LSOA11NM, read in WGS84: 9 areas created" in result.output
    db_session.refresh(location)
    assert {a.code for a in location.areas} >= {"E01027126", "T-LAP"}


def test_cli_reports_a_refused_file_and_exits_non_zero(runner, tmp_path):
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps(_to_grid(_published(), declare=False)))
    result = runner.invoke(args=["areas", "import", str(path)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "--crs EPSG:27700" in result.output
    assert runner.invoke(args=["areas", "import", str(path), "--crs", "EPSG:27700"]).exit_code == 0
