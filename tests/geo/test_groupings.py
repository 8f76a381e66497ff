"""Local Area Partnerships from ward codes: the boundary is the union of the wards, drawn
again when they change; bad rows are named by line and nothing is saved."""

import io
import json

import pytest
from shapely.geometry import shape
from sqlalchemy import func, select

from engage.geo import boundaries
from engage.geo.groupings import import_groupings
from engage.geo.lookup import area_index
from engage.geo.models import Area
from engage.importing import ImportFailed
from tests.factories import _square
from tests.geo.fixtures import ROTHWELL, collection, feature, load_lsoas

WARDS = collection(
    feature(
        {"WD24CD": "E05000001", "WD24NM": "Rothwell West"}, _square(-0.83, 52.40, -0.80, 52.44)
    ),
    feature(
        {"WD24CD": "E05000002", "WD24NM": "Rothwell East"}, _square(-0.80, 52.40, -0.77, 52.44)
    ),
    feature({"WD24CD": "E05000003", "WD24NM": "Desborough"}, _square(-0.84, 52.44, -0.80, 52.46)),
)


def _csv(text):
    return io.BytesIO(text.encode())


def _lap(db_session, name):
    return db_session.scalar(select(Area).where(Area.level == "lap", Area.name == name))


def test_a_partnership_is_the_union_of_its_wards(db_session):
    boundaries.import_boundaries(WARDS)
    result = import_groupings(_csv("ward_code,area_name\nE05000001,Rothwell\nE05000002,Rothwell\n"))
    assert (result.created, result.members, result.left_out) == (1, 2, ["Desborough"])
    lap = _lap(db_session, "Rothwell")
    assert lap.code == "LAP-ROTHWELL" and lap.from_children
    assert shape(json.loads(lap.geometry)).area == pytest.approx(0.06 * 0.04)
    assert {c.code for c in lap.children} == {"E05000001", "E05000002"}
    assert {s.code for s in area_index().areas_at(ROTHWELL[1], ROTHWELL[0])} == {
        "E05000001",
        "LAP-ROTHWELL",
    }


def test_lsoas_loaded_afterwards_find_their_ward_and_partnership(db_session):
    boundaries.import_boundaries(WARDS)
    import_groupings(_csv("ward_code,area_name\nE05000001,Rothwell\nE05000002,Rothwell\n"))
    load_lsoas()
    lsoa = db_session.scalar(select(Area).where(Area.code == "E01027126"))
    assert lsoa.parent.code in {"E05000001", "E05000002"}  # by its representative point
    assert lsoa.parent.parent.code == "LAP-ROTHWELL"


def test_the_partnership_is_redrawn_when_a_ward_changes(db_session):
    boundaries.import_boundaries(WARDS)
    import_groupings(_csv("ward_code,area_name\nE05000001,Rothwell\nE05000002,Rothwell\n"))
    bigger = collection(feature({"WD24CD": "E05000002"}, _square(-0.80, 52.40, -0.74, 52.44)))
    boundaries.import_boundaries(bigger)
    lap = _lap(db_session, "Rothwell")
    assert shape(json.loads(lap.geometry)).area == pytest.approx(0.09 * 0.04)


def test_real_lsoas_can_be_grouped_where_no_wards_are_loaded(db_session):
    load_lsoas()
    rows = "\n".join(f"E0102712{n},Rothwell" for n in (3, 4, 5, 6))
    result = import_groupings(_csv("lsoa_code,area_name\n" + rows + "\nE01026949,Corby\n"))
    assert (result.member_level, result.created, result.members) == ("lsoa", 2, 5)
    assert len(result.left_out) == 8
    codes = {s.code for s in area_index().areas_at(ROTHWELL[1], ROTHWELL[0])}
    assert codes == {"E01027126", "LAP-ROTHWELL"}
    load_lsoas()  # loading the LSOAs again keeps the grouping
    assert (
        db_session.scalar(select(Area).where(Area.code == "E01027126")).parent.code
        == "LAP-ROTHWELL"
    )


def test_bad_rows_are_named_by_line_and_nothing_is_saved(db_session):
    boundaries.import_boundaries(WARDS)
    load_lsoas()
    text = (
        "ward_code,area_name\nE05000001,Rothwell\nE09999999,Nowhere\nE05000001,Rothwell\n"
        "E01027124,Rothwell\nE05000002,\nE05000003\nE05000003," + "x" * 121 + "\n"
    )
    with pytest.raises(ImportFailed) as failure:
        import_groupings(_csv(text))
    assert [(p.line, p.field) for p in failure.value.problems] == [
        (3, "ward_code"), (4, "ward_code"), (5, "ward_code"), (6, "area_name"), (7, "area_name"),
        (8, "ward_code"), (8, "area_name"),
    ]  # fmt: skip
    assert db_session.scalar(select(func.count(Area.id)).where(Area.level == "lap")) == 0


def test_cli_groups_wards_and_lists_those_left_out(runner, db_session, tmp_path):
    boundaries.import_boundaries(WARDS)
    path = tmp_path / "laps.csv"
    path.write_text("ward_code,area_name\nE05000001,Rothwell\nE05000002,Rothwell\n")
    result = runner.invoke(args=["areas", "partnerships", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 areas created and 0 redrawn from 2 wards" in result.output
    assert "1 not in any of them: Desborough" in result.output
