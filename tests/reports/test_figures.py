"""The report's figures equal a straight count of the records behind them."""

from datetime import date

import pytest

from engage.reports.logic import board_report
from engage.reports.period import Period, last_quarter
from tests.reports.conftest import NOW, SECRET

Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
COUNTED = ("approved", "pending")


def _in(items, period, statuses=COUNTED, area_ids=None):
    return [
        i for i in items
        if i.status in statuses and period.start <= i.received_on <= period.end
        and (area_ids is None or i.area_id in area_ids)
    ]  # fmt: skip


def test_the_default_period_is_the_last_quarter_against_the_one_before():
    period = last_quarter(date(2026, 10, 15))
    assert period == Q3
    assert period.before() == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert Period(date(2026, 9, 1), date(2026, 9, 10)).before() == Period(
        date(2026, 8, 22), date(2026, 8, 31)
    )


def test_what_we_heard_equals_a_straight_count(partnership):
    report = board_report(Q3, None, NOW)
    items, before = _in(partnership.items, Q3), _in(partnership.items, Q3.before())
    assert (report.heard.items, report.heard.items_before) == (len(items), len(before)) == (5, 2)
    by_theme = {r.theme.slug if r.theme else None: (r.now, r.before) for r in report.heard.themes}
    for slug in ("parks", "knives"):
        now = sum(1 for i in items if slug in [t.slug for t in i.themes])
        then = sum(1 for i in before if slug in [t.slug for t in i.themes])
        assert by_theme[slug] == (now, then)
    assert by_theme[None] == (1, 0)
    sessions = [s for s in partnership.sessions if Q3.start <= s.held_on <= Q3.end]
    assert report.heard.sessions == len(sessions) == 2
    quotes = [q for r in report.heard.themes for q in r.quotes]
    approved = {i.public_text for i in items if i.status == "approved"}
    assert quotes and set(quotes) <= approved


def test_who_we_heard_equals_a_straight_count(partnership):
    report = board_report(Q3, None, NOW)
    sessions = [s for s in partnership.sessions if Q3.start <= s.held_on <= Q3.end and s.profile]
    assert report.who.attendees == sum(s.attendees for s in sessions) == 30
    items = _in(partnership.items, Q3)
    known = [i for i in items if i.young_person is not None]
    assert report.who.young_share == pytest.approx(
        100 * sum(i.young_person for i in known) / len(known)
    )
    ages = [s.profile.get("age", {}) for s in sessions]
    young = sum(a.get("under_16", 0) + a.get("16_24", 0) for a in ages)
    assert report.who.young_attendee_share == pytest.approx(
        100 * young / sum(sum(a.values()) for a in ages)
    )
    spoke = {v.area.name if v.area else None: v.items for v in report.who.spoke}
    assert spoke == {"Test LAP": 4, None: 1}


def test_what_we_did_equals_a_straight_count(partnership):
    report = board_report(Q3, None, NOW)
    approved = _in(partnership.items, Q3, ("approved",))
    answered = [i for i in approved if i.id in {partnership.items[0].id, partnership.items[1].id}]
    assert (report.did.loop.overall.answered, report.did.loop.overall.total) == (
        len(answered), len(approved),
    )  # fmt: skip
    assert report.did.published == 1
    waits = sorted((date(2026, 9, 10) - i.received_on).days for i in answered)
    assert report.did.loop.median_days == sum(waits) / 2
    assert dict(report.did.loop.by_partner["council"]) == {"overdue": 1}


def test_what_we_funded_counts_the_returns_accepted_for_the_period(partnership):
    report = board_report(Q3, None, NOW)
    (funded_round,) = report.funded.rounds
    assert (funded_round.voted, funded_round.eligible) == (9, 12)
    ((project, reach),) = funded_round.projects
    assert (reach.participants, reach.in_cohort) == (25, 18)
    assert report.funded.participants == 25 and report.funded.in_cohort == 18
    assert reach.reading() == "72% of participants were 11–17 from West Ward; target 60%"


def test_an_area_narrows_every_section(partnership):
    west = partnership.areas["T-W1"]
    report = board_report(Q3, west, NOW)
    assert report.heard.items == len(_in(partnership.items, Q3, area_ids={west.id})) == 2
    assert report.did.loop.overall.total == 2
    assert [g.area.code for g in report.gaps.listening] == ["T-W1"]
    east = board_report(Q3, partnership.areas["T-W2"], NOW)
    assert east.funded.projects == []


def test_nothing_held_by_the_safeguarding_lead_is_counted_or_quoted(partnership):
    report = board_report(Q3, None, NOW)
    assert SECRET not in repr(report.heard)
    assert all(SECRET not in q for r in report.heard.themes for q in r.quotes)
