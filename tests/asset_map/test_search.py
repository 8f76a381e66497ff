"""Finding services: each filter, distance order, stale listings lower, area-wide services."""

from datetime import date, datetime, timedelta

import pytest

from engage.asset_map.logic import SupportSearch, find_support
from engage.asset_map.search import SearchFilters, freshness
from tests.factories import create_geography, create_service

MONDAY_7PM = datetime(2026, 11, 23, 19, 0)


@pytest.fixture
def place(db_session):
    create_geography()


NO_FILTERS = SearchFilters()


def _names(filters=NO_FILTERS, place_text="Rothwell", now=MONDAY_7PM, bbox=None):
    results = find_support(SupportSearch(place_text, filters, bbox), now, log=False)
    return [h.name for h in results.page.hits]


def test_nearest_first_within_the_radius(place):
    create_service("Far", lat=52.30, lon=-0.80)  # ~13.6 km
    create_service("Near", lat=52.4230, lon=-0.8010)
    create_service("Too far", lat=52.10, lon=-0.80)  # ~36 km
    assert _names() == ["Near", "Far"]


def test_category_age_cost_access_language_and_level_filters(place):
    create_service(
        "Club",
        minimum_age=11,
        maximum_age=18,
        free=True,
        access="self_referral",
        languages=("en", "pl"),
        prevention_level="primary",
    )
    create_service(
        "Counselling",
        categories=("mental-health",),
        minimum_age=18,
        free=False,
        cost_description="£5",
        access="referral",
        prevention_level="secondary",
    )
    assert _names(SearchFilters(category="youth-activities")) == ["Club"]
    assert _names(SearchFilters(age=14)) == ["Club"]
    assert _names(SearchFilters(age=30)) == ["Counselling"]
    assert _names(SearchFilters(free_only=True)) == ["Club"]
    assert _names(SearchFilters(self_referral=True)) == ["Club"]
    assert _names(SearchFilters(language="pl")) == ["Club"]
    assert _names(SearchFilters(level="secondary")) == ["Counselling"]


def test_open_now_and_by_day(place):
    create_service("Evenings", schedules=[("MO", "18:00", "20:00")])
    create_service("Saturday", schedules=[("SA", "10:00", "12:00")])
    assert _names(SearchFilters(day="now")) == ["Evenings"]
    assert _names(SearchFilters(day="now"), now=MONDAY_7PM.replace(hour=21)) == []
    assert _names(SearchFilters(day="SA")) == ["Saturday"]


def test_inactive_services_are_not_found(place):
    create_service("Closed", status="inactive")
    assert _names() == []


def test_out_of_date_listings_rank_below_fresh_ones_nearby(place):
    old = date.today() - timedelta(days=400)
    create_service("Old but nearest", lat=52.4224, lon=-0.8004, assured_date=old)
    create_service("Fresh", lat=52.4260, lon=-0.8004)  # 400 m away
    assert _names() == ["Fresh", "Old but nearest"]


def test_area_wide_and_countywide_virtual_services_are_included(place):
    from sqlalchemy import select

    from engage.extensions import db
    from engage.geo.models import Area

    ward = db.session.scalar(select(Area).where(Area.code == "T-W1"))
    create_service("Outreach", lat=None, service_areas=[ward])
    create_service("Helpline", lat=None, virtual=True)
    create_service(
        "Elsewhere outreach",
        lat=None,
        service_areas=[db.session.scalar(select(Area).where(Area.code == "T-W2"))],
    )
    results = find_support(SupportSearch("Rothwell"), MONDAY_7PM, log=False)
    names = {h.name: h for h in results.page.hits}
    assert set(names) == {"Outreach", "Helpline"}
    assert names["Outreach"].covers_area


def test_map_view_search(place):
    create_service("Inside", lat=52.45, lon=-0.85)
    create_service("Outside", lat=52.45, lon=-0.75)
    assert _names(place_text="", bbox=(-0.9, 52.4, -0.8, 52.5)) == ["Inside"]


def test_unknown_place_finds_nothing_and_says_so(place):
    create_service("Club")
    results = find_support(SupportSearch("Rothwel"), MONDAY_7PM, log=False)
    assert results.not_found.suggestions == ["Rothwell, North Northamptonshire"]
    assert results.page.total == 0


def test_searches_are_logged_without_personal_data(place, db_session):
    from sqlalchemy import select

    from engage.asset_map.models import SearchLog

    find_support(SupportSearch("Rothwell", SearchFilters(age=14)), MONDAY_7PM)
    log = db_session.scalar(select(SearchLog))
    assert (log.query, log.filters, log.result_count) == ("Rothwell", {"age": 14}, 0)
    assert log.area_id is not None
    assert set(SearchLog.__table__.columns.keys()) == {
        "id",
        "created_at",
        "query",
        "area_id",
        "filters",
        "result_count",
        "counts_for_gaps",
    }


def test_freshness_states():
    today = date(2026, 11, 23)
    assert freshness(today - timedelta(days=10), today) == "fresh"
    assert freshness(today - timedelta(days=200), today) == "due"
    assert freshness(today - timedelta(days=400), today) == "out_of_date"
    assert freshness(None, today) == "out_of_date"


def test_sql_nearest_order_agrees_with_great_circle_distances(place):
    import random

    from engage.asset_map.ranked import search_page
    from engage.asset_map.search import Where
    from engage.geo.geometry import haversine_m

    rng = random.Random(7)
    points = {}
    for i in range(40):
        lat, lon = 52.4224 + rng.uniform(-0.08, 0.08), -0.8004 + rng.uniform(-0.12, 0.12)
        points[create_service(f"S{i}", lat=lat, lon=lon).id] = haversine_m(
            52.4224, -0.8004, lat, lon
        )
    inside = sorted((d, sid) for sid, d in points.items() if d <= 5000)
    where = Where(lat=52.4224, lon=-0.8004, radius_m=5000)
    today = date.today()  # every service was checked today: ranked by distance alone
    first = search_page(NO_FILTERS, where, MONDAY_7PM, today, 1, page_size=100)
    ids = [hit.service_id for hit in first.hits]
    assert first.total == len(inside)
    assert ids == [sid for _d, sid in inside]
    page_two = search_page(NO_FILTERS, where, MONDAY_7PM, today, 2, page_size=5)
    assert [hit.service_id for hit in page_two.hits] == ids[5:10]
