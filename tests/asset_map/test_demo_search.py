"""The issue's stumbles, on the demo `make run` serves: searching "Rothwell" lists the places
in Rothwell first, not helplines; "NN14 6" and a full postcode are placed in Rothwell; the place
is never named by a statistical code."""

from datetime import datetime

import pytest

from engage.asset_map.logic import SupportSearch, find_support
from engage.asset_map.search import Reach, freshness

MONDAY_7PM = datetime(2026, 11, 23, 19, 0)


@pytest.fixture
def demo(runner, db_session):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def _search(text):
    return find_support(SupportSearch(text), MONDAY_7PM, log=False)


def test_rothwell_lists_its_own_places_first_nearest_first(demo):
    results = _search("Rothwell")
    assert results.place.label == "Rothwell, North Northamptonshire"
    hits = results.page.hits
    first = hits[:5]
    assert all(h.reach is Reach.VISIT for h in first)
    assert any("Rothwell Youth Club" in h.name for h in first)
    fresh = [
        h.distance_m
        for h in hits
        if h.reach is Reach.VISIT and freshness(h.assured_date, MONDAY_7PM.date()) != "out_of_date"
    ]
    assert fresh == sorted(fresh) and fresh[0] < 2000  # listings not checked in a year come lower
    reaches = [h.reach for h in hits]
    assert Reach.REMOTE not in reaches[: reaches.count(Reach.VISIT)]


@pytest.mark.parametrize("text", ["Rothwell, Kettering", "nn14 6", "NN14 6AB"])
def test_rothwell_is_found_as_people_write_it(demo, text):
    results = _search(text)
    assert results.not_found is None
    assert results.place.label.endswith("Rothwell, North Northamptonshire")
    assert not results.place.approximate
    assert results.area is not None and results.area.level != "lsoa"
    assert any("Rothwell Youth Club" in h.name for h in results.page.hits[:5])
