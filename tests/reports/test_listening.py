"""Where we have not yet listened: voices per 1,000 against need, ranked, in plain words."""

from datetime import date

import pytest

from engage.reports.listening import table
from tests.reports.conftest import NOW


def test_voices_are_counted_per_area_against_need(partnership):
    rows = {r.area.code: r for r in table("ward", NOW.date())}
    west, east = rows["T-W1"], rows["T-W2"]
    # Items in the last 12 months from each ward (approved or waiting; LAP items are not placed).
    assert (west.items, east.items) == (3, 2)
    assert (west.young_items, east.young_items) == (1, 2)
    # Session one: 12 placed in West, 8 shared; session two: 10 shared; session three: 5 shared.
    assert west.attendance == pytest.approx(12 + 4 + 5 + 2.5)
    assert east.attendance == pytest.approx(4 + 5 + 2.5)
    assert west.per_1000 == pytest.approx((3 + 23.5) * 1000 / 3000)
    young_first = 14 / 20  # under 16 and 16-24, of those whose age was counted
    young_west = 12 * young_first + 4 * young_first + 5 * 1.0 + 2.5 * 1.0  # youth forum: all young
    assert west.young_per_1000 == pytest.approx((1 + young_west) * 1000 / 1000)
    assert west.decile == pytest.approx(5.5) and west.last_session == date(2026, 9, 10)


def test_the_least_heard_area_with_need_comes_first_with_a_plain_reading(partnership):
    rows = table("ward", NOW.date())
    assert [r.area.code for r in rows] == ["T-W2", "T-W1"]
    assert rows[0].reading() == (
        "East Ward: decile 5.5, 1,000 under-25s, 3 sessions in 12 months, 2 items"
    )


def test_an_area_with_no_session_says_so(app):
    from tests.factories import create_geography

    create_geography()
    row = table("lsoa", NOW.date())[0]
    assert row.reading() == "Test 001A: decile 2, 500 under-25s, no session in 12 months, 0 items"
