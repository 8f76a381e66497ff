"""The page of results worked out in SQL (ranked.search_page) lists exactly what the plain
computation (search.find_hits, every hit in memory) lists, in the same order, page by page:
near and far places, listings not checked for a year, services with two places, services
covering the area, helplines, in the map view and everywhere, with filters."""

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from engage.asset_map.logic import SupportSearch, where_of
from engage.asset_map.models import Location
from engage.asset_map.ranked import search_page
from engage.asset_map.search import SearchFilters, Where, find_hits, load_page
from engage.extensions import db
from engage.geo.models import Area
from tests.factories import create_geography, create_service

MONDAY_7PM = datetime(2026, 11, 23, 19, 0)
TODAY = MONDAY_7PM.date()


@pytest.fixture
def directory(db_session):
    create_geography()
    areas = list(db_session.scalars(select(Area)))
    rng = random.Random(7)
    for n in range(60):
        kind = rng.choice(["place", "place", "place", "two places", "covers", "line"])
        checked = TODAY - timedelta(days=rng.choice([10, 200, 400, 800]))
        fields = {"assured_date": checked, "free": rng.random() < 0.5}
        # Unique names, so that equal distances cannot leave the order to chance.
        name = f"{rng.choice(['Youth', 'Family', 'Sports', 'Arts'])} service {n:02d}"
        if kind in ("place", "two places"):
            lat = 52.4224 + rng.uniform(-0.2, 0.2)
            lon = -0.8004 + rng.uniform(-0.3, 0.3)
            service = create_service(name, lat=lat, lon=lon, **fields)
            if kind == "two places":
                service.locations.append(
                    Location(name="Second", latitude=lat + 0.05, longitude=lon - 0.05)
                )
                db.session.commit()
        elif kind == "covers":
            create_service(name, lat=None, service_areas=[rng.choice(areas)], **fields)
        else:
            create_service(name, lat=None, virtual=True, **fields)
    return areas


def _same_results(where: Where, filters: SearchFilters, page_size: int = 7) -> int:
    hits = find_hits(filters, where, MONDAY_7PM, TODAY)
    pages = max(1, -(-len(hits) // page_size))
    for number in range(1, pages + 2):  # and one past the end, which shows the last
        expected = load_page(hits, number, page_size)
        found = search_page(filters, where, MONDAY_7PM, TODAY, number, page_size)
        assert [(h.service_id, h.reach) for h in found.hits] == [
            (h.service_id, h.reach) for h in expected.hits
        ]
        for got, want in zip(found.hits, expected.hits, strict=True):
            assert got.location_id == want.location_id
            assert got.distance_m == pytest.approx(want.distance_m)
        assert (found.total, found.page, found.pages) == (
            expected.total,
            expected.page,
            expected.pages,
        )
        assert found.totals == expected.totals
        assert found.first_pages == expected.first_pages
        assert [(g.group, len(g.hits)) for g in found.groups] == [
            (g.group, len(g.hits)) for g in expected.groups
        ]
    return len(hits)


def test_around_a_place_the_sql_page_lists_what_the_plain_computation_lists(directory):
    where = where_of(SupportSearch("Rothwell"))
    assert where is not None and where.area_ids
    assert _same_results(where, SearchFilters()) > 20
    assert _same_results(where, SearchFilters(free_only=True))
    assert _same_results(Where(where.lat, where.lon, radius_m=5_000), SearchFilters())


def test_in_a_map_view_and_everywhere_the_sql_page_lists_what_the_plain_one_does(directory):
    assert _same_results(Where(bbox=(-1.0, 52.3, -0.7, 52.5)), SearchFilters()) > 5
    assert _same_results(Where(), SearchFilters()) > 40  # all but those covering an area


def test_a_listing_not_checked_for_a_year_comes_after_fresher_ones_nearby(db_session):
    create_geography()
    create_service("Old club, 100 m", lat=52.4233, lon=-0.8004, assured_date=date(2024, 1, 1))
    create_service("New club, 600 m", lat=52.4278, lon=-0.8004, assured_date=TODAY)
    where = where_of(SupportSearch("Rothwell"))
    page = search_page(SearchFilters(), where, MONDAY_7PM, TODAY, 1)
    assert [h.name for h in page.hits] == ["New club, 600 m", "Old club, 100 m"]
    assert page.hits[1].distance_m == pytest.approx(100, abs=5)


def test_past_the_cap_the_list_shows_the_nearest_then_those_covering_the_area(
    directory, monkeypatch, client
):
    monkeypatch.setattr("engage.asset_map.ranked.CAP", 5)
    where = where_of(SupportSearch("Rothwell"))
    hits = find_hits(SearchFilters(), where, MONDAY_7PM, TODAY)
    visits = [h.service_id for h in hits if h.reach.value == "visit"]
    wider = [h.service_id for h in hits if h.reach.value != "visit"]
    assert len(visits) > 5
    pages = [search_page(SearchFilters(), where, MONDAY_7PM, TODAY, n, 4) for n in (1, 2, 3)]
    assert pages[0].more_than == 5 and pages[0].total == 5 + len(wider)
    listed = [h.service_id for page in pages for h in page.hits]
    assert listed[:5] == visits[:5] and listed[5:] == wider[: len(listed) - 5]
    assert pages[0].first_pages == {"visit": 1, "wider": 2}
    page = client.get("/find-support?q=Rothwell").get_data(as_text=True)
    assert "More than 5 services near Rothwell, North Northamptonshire" in page
    assert "The nearest 5 services you can go to" in page
    polish = client.get("/find-support?q=Rothwell", headers={"Accept-Language": "pl"}).get_data(
        as_text=True
    )
    assert "Ponad 5 usług w pobliżu: Rothwell" in polish
