"""Finding support where you are: places to go to first, nearest first, then services that
cover the area or work by phone or online; places found as people say them."""

from datetime import datetime

import pytest
from sqlalchemy import select

from engage.asset_map.logic import SupportSearch, find_support, where_of
from engage.asset_map.ranked import search_page
from engage.asset_map.search import Group, Reach, SearchFilters, find_hits, load_page
from engage.asset_map.search_words import area_name
from engage.extensions import db
from engage.geo.models import Area, Postcode
from tests.factories import create_geography, create_service

MONDAY_7PM = datetime(2026, 11, 23, 19, 0)


@pytest.fixture
def areas(db_session):
    create_geography()
    return {a.code: a for a in db_session.scalars(select(Area))}


NO_FILTERS = SearchFilters()


def _search(text="Rothwell", filters=NO_FILTERS, page=1):
    return find_support(SupportSearch(text, filters, page=page), MONDAY_7PM, log=False)


def test_places_to_go_come_first_nearest_first_then_area_wide_then_helplines(areas):
    create_service("Helpline", lat=None, virtual=True)
    create_service("Text support", lat=None, virtual=True)
    create_service("Ward outreach", lat=None, service_areas=[areas["T-W1"]])
    create_service("Youth club, 2 km", lat=52.4404, lon=-0.8004)
    create_service("Café, 100 m", lat=52.4233, lon=-0.8004)
    results = _search()
    assert [h.name for h in results.page.hits] == [
        "Café, 100 m",
        "Youth club, 2 km",
        "Ward outreach",
        "Helpline",
        "Text support",
    ]
    assert [h.reach for h in results.page.hits] == [
        Reach.VISIT,
        Reach.VISIT,
        Reach.AREA,
        Reach.REMOTE,
        Reach.REMOTE,
    ]
    assert results.page.hits[1].distance_m == pytest.approx(2000, abs=10)
    assert [(g.group, len(g.hits)) for g in results.page.groups] == [
        (Group.VISIT, 2),
        (Group.WIDER, 3),
    ]


def test_a_service_with_a_place_far_away_that_covers_the_area_is_listed_as_covering_it(areas):
    create_service("County outreach", lat=52.10, lon=-0.80, service_areas=[areas["T-LAP"]])
    (hit,) = _search().page.hits
    assert (hit.reach, hit.distance_m) == (Reach.AREA, None)


def test_filters_narrow_both_parts_of_the_results(areas):
    create_service("Club", minimum_age=11, maximum_age=18)
    create_service("Adult group", minimum_age=18)
    create_service("Teen text line", lat=None, virtual=True, minimum_age=13, maximum_age=19)
    create_service("Adult helpline", lat=None, virtual=True, minimum_age=18)
    create_service(
        "Counselling line", lat=None, virtual=True, categories=("mental-health",), minimum_age=11
    )
    assert [h.name for h in _search(filters=SearchFilters(age=14)).page.hits] == [
        "Club",
        "Counselling line",
        "Teen text line",
    ]
    only_mental_health = _search(filters=SearchFilters(age=14, category="mental-health"))
    assert [h.name for h in only_mental_health.page.hits] == ["Counselling line"]


def test_each_part_knows_its_total_and_the_page_it_starts_on(areas):
    for n in range(5):
        create_service(f"Place {n}", lat=52.4224 + n / 1000, lon=-0.8004)
    for n in range(3):
        create_service(f"Line {n}", lat=None, virtual=True)
    where = where_of(SupportSearch("Rothwell"))
    hits = find_hits(NO_FILTERS, where, MONDAY_7PM, MONDAY_7PM.date())
    in_memory = [load_page(hits, page, page_size=3) for page in (1, 2, 3)]
    in_sql = [
        search_page(NO_FILTERS, where, MONDAY_7PM, MONDAY_7PM.date(), p, 3) for p in (1, 2, 3)
    ]
    for paged in (in_memory, in_sql):
        _check_parts(*paged)


def _check_parts(first, second, third):
    assert first.totals == {Group.VISIT: 5, Group.WIDER: 3}
    assert first.first_pages == {Group.VISIT: 1, Group.WIDER: 2}
    assert [g.group for g in first.groups] == [Group.VISIT]
    assert [(g.group, len(g.hits)) for g in second.groups] == [(Group.VISIT, 2), (Group.WIDER, 1)]
    assert [g.group for g in third.groups] == [Group.WIDER]


def test_the_place_is_named_by_its_ward_never_its_lsoa(areas):
    results = _search()
    assert results.area.code == "T-W1" and results.area.level == "ward"
    assert results.place.label == "Rothwell, North Northamptonshire"


def test_areas_are_named_as_people_say_them_with_their_council(areas):
    ward, lap = areas["T-W1"], areas["T-LAP"]
    assert area_name(ward) == "West Ward, North Northamptonshire"  # never "West Ward ward"
    ward.name = "Rothwell & Mawsley"
    assert area_name(ward) == "Rothwell & Mawsley ward, North Northamptonshire"
    assert area_name(lap) == "Test LAP Local Area Partnership, North Northamptonshire"


def test_a_town_with_its_old_district_is_found(areas):
    create_service("Club")
    results = _search("Rothwell, Kettering")
    assert results.place.name == "Rothwell" and results.page.total == 1


def test_a_full_postcode_is_placed_at_the_postcode_in_the_areas_the_directory_names(areas):
    # A postcode just over the line in the east ward, whose directory entry names the
    # east ward's LSOA: the directory is believed over the point.
    db.session.add(
        Postcode(
            postcode="NN146ZZ",
            latitude=52.4230,
            longitude=-0.7990,
            district="NN14",
            sector="NN14 6",
            ward_code="T-W2",
            lsoa21_code="T-L3",
        )
    )
    db.session.commit()
    create_service("Next door", lat=52.4231, lon=-0.7990)
    create_service("East outreach", lat=None, service_areas=[areas["T-W2"]])
    create_service("West outreach", lat=None, service_areas=[areas["T-W1"]])
    results = _search("nn14 6zz")
    assert (results.place.kind, results.place.latitude) == ("postcode", 52.4230)
    assert results.area.code == "T-W2"
    assert [h.name for h in results.page.hits] == ["Next door", "East outreach"]
    assert results.page.hits[0].distance_m < 20


def test_a_sector_is_placed_at_the_middle_of_its_postcodes(areas):
    for code, lat in (("NN146AA", 52.420), ("NN146AB", 52.424)):
        db.session.add(
            Postcode(postcode=code, latitude=lat, longitude=-0.80, district="NN14", sector="NN14 6")
        )
    db.session.commit()
    results = _search("NN14 6")
    assert (results.place.kind, results.place.latitude) == ("sector", pytest.approx(52.422))
    assert not results.place.approximate
    assert results.place.label == "NN14 6, Rothwell, North Northamptonshire"
