"""The fast gap table (provision remembered until the directory changes, searches counted in
one grouped query) gives the same areas and figures as the straight computation, for every
level and filter, and a change shows at once."""

from dataclasses import astuple
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from engage.asset_map.gaps import gap_table, gaps_csv
from engage.asset_map.gaps_straight import straight_gap_table
from engage.asset_map.models import SearchLog
from engage.extensions import db
from engage.geo.models import Area
from tests.factories import create_geography, create_service

NOW = datetime(2026, 11, 23, 12)
CHOICES = [
    (level, category, age)
    for level in ("lap", "ward", "lsoa")
    for category in ("", "youth-activities", "sport")
    for age in ("all", "under_18", "18_to_24")
]


def _area(code: str) -> Area:
    return db.session.scalars(select(Area).where(Area.code == code)).one()


def _directory() -> None:
    create_geography()
    create_service("Club", lat=52.37, lon=-0.85)
    create_service("Gym", lat=52.43, lon=-0.75, categories=("sport",), minimum_age=18)
    create_service("Kickabout", lat=52.41, lon=-0.88, categories=("sport", "youth-activities"),
                   maximum_age=17)  # fmt: skip
    create_service("Nowhere", lat=None, lon=None)
    outreach = create_service("Outreach", lat=None, lon=None)
    outreach.service_areas = [_area("T-LAP"), _area("T-W2")]  # counted for both, as before
    db.session.commit()


def _searches(*codes: str, days_ago: int = 1, counts: bool = True) -> None:
    for code in codes:
        db.session.add(SearchLog(
            query="youth club", area_id=_area(code).id, filters={}, result_count=0,
            counts_for_gaps=counts, created_at=NOW - timedelta(days=days_ago),
        ))  # fmt: skip
    db.session.commit()


def _same(fast, straight) -> None:
    assert [g.code for g in fast] == [g.code for g in straight]
    for ours, theirs in zip(fast, straight, strict=True):
        for mine, expected in zip(astuple(ours), astuple(theirs), strict=True):
            assert mine == (pytest.approx(expected, rel=1e-9) if isinstance(mine, float)
                            else expected), (ours.code, mine, expected)  # fmt: skip
    assert gaps_csv(fast) == gaps_csv(straight)


def test_the_fast_table_has_the_straight_figures_for_every_choice(db_session):
    _directory()
    _searches("T-L1", "T-L1", "T-L3", "T-W1", "T-LAP")
    _searches("T-L2", days_ago=120)  # too long ago
    _searches("T-L4", counts=False)  # a repeat, or someone signed in
    for level, category, age in CHOICES:
        fast = gap_table(level, category, age, NOW)
        _same(fast, straight_gap_table(level, category, age, NOW))
        _same(gap_table(level, category, age, NOW), fast)  # and again, remembered
    wards = {g.code: g for g in gap_table("ward", "", "all", NOW)}
    assert wards["T-W1"].thin_searches == 3 and wards["T-W2"].services >= 1


def test_a_new_service_shows_at_once(db_session):
    _directory()
    before = {g.code: g.services for g in gap_table("lsoa", "youth-activities", "all", NOW)}
    create_service("New club", lat=52.44, lon=-0.72)
    after = gap_table("lsoa", "youth-activities", "all", NOW)
    _same(after, straight_gap_table("lsoa", "youth-activities", "all", NOW))
    assert sum(g.services for g in after) == sum(before.values()) + 1


def test_new_searches_show_at_once(db_session):
    _directory()
    before = {g.code: g.thin_searches for g in gap_table("ward", "", "all", NOW)}
    _searches("T-L1", "T-L2")
    after = gap_table("ward", "", "all", NOW)
    _same(after, straight_gap_table("ward", "", "all", NOW))
    assert {g.code: g.thin_searches for g in after} == {**before, "T-W1": before["T-W1"] + 2}


def test_a_changed_area_shows_at_once(db_session):
    _directory()
    gap_table("ward", "", "all", NOW)
    _area("T-L3").imd_decile = 1
    db.session.commit()
    _same(gap_table("ward", "", "all", NOW), straight_gap_table("ward", "", "all", NOW))


def test_every_areas_decile_comes_from_one_query_as_from_walking_its_children(db_session):
    from engage.asset_map.gaps_straight import mean_decile
    from engage.geo.hierarchy import deciles

    create_geography()
    _area("T-W2").imd_decile = 4  # a ward's own decile counts in its LAP's mean, as before
    db.session.commit()
    found = deciles()
    for area in db.session.scalars(select(Area)):
        assert found[area.id] == pytest.approx(area.imd_decile or mean_decile(area), rel=1e-12)


@pytest.mark.parametrize("n_points", [1, 7, 5_000])
def test_the_nearest_place_is_found_as_by_measuring_every_one(n_points):
    import numpy as np

    from engage.asset_map.directory_index import unit_vectors
    from engage.asset_map.gaps import nearest_km
    from engage.asset_map.gaps_straight import _nearest_km

    rng = np.random.default_rng(n_points)
    points = np.column_stack([rng.uniform(52.0, 52.7, n_points), rng.uniform(-1.2, -0.3, n_points)])
    points[: n_points // 2, 0] = 52.35  # many on one line of latitude
    centres = {i: (float(lat), float(lon)) for i, (lat, lon) in enumerate(
        zip(rng.uniform(51.9, 52.8, 60), rng.uniform(-1.3, -0.2, 60), strict=True))}  # fmt: skip
    centres[999] = (float(points[0, 0]), float(points[0, 1]))  # on a place itself
    ordered = points[np.argsort(points[:, 0])]  # as the directory index keeps them
    lat, lon = np.radians(ordered[:, 0]), np.radians(ordered[:, 1])
    fast = nearest_km(centres, lat, lon, unit_vectors(lat, lon))
    straight = _nearest_km(centres, points)
    assert fast.keys() == straight.keys()
    for area_id, km in straight.items():
        assert fast[area_id] == pytest.approx(km, rel=1e-9, abs=1e-9)


def test_the_officers_page_and_csv_show_a_change_at_once(client, auth, db_session):
    from engage.accounts.roles import Role
    from tests.factories import create_user

    _directory()
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))

    def lsoa_rows() -> dict[str, list[str]]:
        text = client.get("/asset-map/manage/gaps.csv?level=lsoa").get_data(as_text=True)
        return {line.split(",")[0]: line.split(",") for line in text.splitlines()[1:]}

    before = lsoa_rows()
    assert client.get("/asset-map/manage/gaps?level=lsoa").status_code == 200  # remembered
    create_service("Another club", lat=52.37, lon=-0.85)
    db.session.add(SearchLog(query="boxing", area_id=_area("T-L3").id, filters={},
                             result_count=0, counts_for_gaps=True))  # fmt: skip
    db.session.commit()
    after = lsoa_rows()
    services, searches = 4, 7  # the CSV's columns
    assert int(after["T-L2"][services]) == int(before["T-L2"][services]) + 1
    assert int(after["T-L3"][searches]) == int(before["T-L3"][searches]) + 1
