"""Postcodes from the files they are published in (ONS Postcode Directory, NSPL before and
after the 2025 renaming, OS Code-Point Open): each places a full postcode at that postcode and
in its LSOA; sectors and districts are derived; broken rows are named and nothing is kept."""

import io

import pytest
from sqlalchemy import func, select

from engage.geo.lookup import area_index, gazetteer, postcode_point
from engage.geo.models import Postcode
from engage.geo.places import Place, PlaceNotFound
from engage.geo.postcodes import load_postcodes
from engage.importing import ImportFailed
from tests.geo.fixtures import FIXTURES, load_lsoas

DIRECTORIES = [
    "ONSPD_FEB_2023_UK_extract.csv",
    "NSPL_MAY_2025_UK_extract.csv",
    "NSPL_AUG_2025_UK_extract.csv",
]


def _load(name, everywhere=False):
    with (FIXTURES / name).open("rb") as stream:
        return load_postcodes(stream, everywhere)


@pytest.mark.parametrize("name", DIRECTORIES)
def test_postcode_directories_as_published_place_each_postcode_in_its_lsoa(db_session, name):
    load_lsoas()
    result = _load(name)
    assert (result.layout, result.kept, result.terminated, result.no_location) == (
        "directory",
        5,
        1,
        1,
    )
    assert result.far_away == 2  # London, far from the areas; Jersey, outside the UK
    point = postcode_point("nn14 6aa")
    assert (point.postcode, point.ward_code, point.lsoa21_code) == (
        "NN14 6AA",
        "E05999901",
        "E01027124",
    )
    assert {s.code for s in area_index().areas_at(point.longitude, point.latitude)} == {"E01027124"}
    assert db_session.get(Postcode, "NN146ZZ") is None  # terminated
    assert db_session.get(Postcode, "NN146AA").sector == "NN14 6"


def test_code_point_open_grid_references_are_reprojected(db_session):
    load_lsoas()
    result = _load("codepo_gb_nn.csv")
    assert (result.layout, result.kept) == ("code_point", 5)
    for postcode, lsoa in [
        ("NN146AA", "E01027124"),
        ("NN146DD", "E01027125"),
        ("NN171AA", "E01026949"),
    ]:
        point = postcode_point(postcode)
        assert {s.code for s in area_index().areas_at(point.longitude, point.latitude)} == {lsoa}
        assert point.ward_code is not None and point.lsoa21_code is None


def test_the_same_postcode_from_grid_and_from_latitude_agrees_within_a_few_metres(db_session):
    _load("codepo_gb_nn.csv", everywhere=True)
    grid = postcode_point("NN14 6BB")
    _load("NSPL_AUG_2025_UK_extract.csv", everywhere=True)
    listed = postcode_point("NN14 6BB")
    assert (
        abs(grid.latitude - listed.latitude) < 5e-5
        and abs(grid.longitude - listed.longitude) < 5e-5
    )


def test_with_no_areas_loaded_every_uk_postcode_is_kept(db_session):
    result = _load(DIRECTORIES[0], everywhere=False)
    assert (result.kept, result.far_away) == (6, 1)  # London kept, Jersey still out
    assert db_session.get(Postcode, "EC1A1BB") is not None


def test_sectors_and_districts_are_found_at_the_centre_of_their_postcodes(db_session):
    load_lsoas()
    _load(DIRECTORIES[2])
    points = [postcode_point(p) for p in ("NN14 6AA", "NN14 6AB", "NN14 6BB", "NN14 6DD")]
    sector = gazetteer().find("nn14 6")
    assert isinstance(sector, Place) and (sector.kind, sector.name) == ("sector", "NN14 6")
    assert sector.latitude == pytest.approx(sum(p.latitude for p in points) / 4)
    assert gazetteer().find("NN146").name == "NN14 6"
    district = gazetteer().find("NN14")
    assert district.kind == "district" and district.latitude == pytest.approx(sector.latitude)
    full = gazetteer().find("NN14 6DD")
    assert (full.kind, full.latitude) == ("postcode", points[3].latitude)
    newer = gazetteer().find("NN14 6XY")  # not in the file: its sector's centre
    assert (newer.kind, newer.latitude) == ("sector", sector.latitude)


def test_without_postcodes_a_sector_falls_back_to_its_district(db_session):
    found = gazetteer().find("NN14 6")
    assert found.kind == "district" and "NN14 6" in found.name
    assert isinstance(gazetteer().find("ZZ9 9"), PlaceNotFound)


def test_a_broken_row_is_named_and_no_postcode_is_kept(db_session, monkeypatch):
    import engage.geo.postcodes as postcodes

    monkeypatch.setattr(postcodes, "BATCH", 2)
    text = (FIXTURES / DIRECTORIES[1]).read_text()
    lines = text.splitlines()
    lines[4] = lines[4].replace("52.4", "fifty-two", 1)
    with pytest.raises(ImportFailed) as failure:
        load_postcodes(io.BytesIO("\n".join(lines).encode()), everywhere=True)
    assert failure.value.problems[0].line == 5
    assert db_session.scalar(select(func.count()).select_from(Postcode)) == 0


@pytest.mark.parametrize(
    "content",
    [b"", b"pcds,lat\n", b"\x00\x00\x00", "NN14 6AA,²,3,4,5,6,7,8,9,10\n".encode(), b"x" * 100_000],
)
def test_anything_that_is_not_a_postcode_file_is_refused_not_a_crash(db_session, content):
    with pytest.raises(ImportFailed):
        load_postcodes(io.BytesIO(content))


def test_cli_imports_postcodes_and_says_what_it_left_out(runner, db_session):
    load_lsoas()
    result = runner.invoke(args=["geo", "postcodes", str(FIXTURES / DIRECTORIES[0])])
    assert result.exit_code == 0, result.output
    assert (
        "5 postcodes imported; left out: 1 terminated, 1 with no location, 2 far from"
        in result.output
    )
