"""The gaps table puts deprived areas with little provision first."""

from datetime import datetime

from engage.asset_map.gaps import gap_table, gaps_csv
from tests.factories import create_geography, create_service


def test_deprived_areas_without_provision_rank_first(db_session):
    create_geography()
    # Test 001B (decile 9) has a club; Test 001A (decile 2) has none.
    create_service("Club", lat=52.37, lon=-0.85)
    table = gap_table("lsoa", "youth-activities", "all", datetime(2026, 11, 23))
    assert table[0].name == "Test 001A"
    assert table[0].services == 0
    assert 0 < table[0].nearest_km < 10
    reading = table[0].reading("youth activities")
    assert reading.startswith("Test 001A: decile 2, 500 under-25s, nearest youth activities")
    csv_text = gaps_csv(table)
    assert csv_text.splitlines()[0].startswith("area_code,area_name,imd_decile")
    assert len(csv_text.splitlines()) == 5


def test_wards_use_their_small_areas_figures(db_session):
    create_geography()
    table = gap_table("ward", "", "all", datetime(2026, 11, 23))
    assert {g.code for g in table} == {"T-W1", "T-W2"}
    assert all(g.nearest_km is None for g in table)
