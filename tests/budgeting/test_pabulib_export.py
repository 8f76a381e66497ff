"""Every pot's `.pb` file passes pabulib's own checker (`pabulib-checker`) with no error and no
warning, for every ballot type and counting rule, in a round split into area pots; the one
finding left is the checker's own limit: it re-counts equal shares for approval ballots only."""

import contextlib
import io

import pytest
from pabulib.checker import Checker

from engage.budgeting import counting, exchange, logic, voting
from engage.budgeting.rules.pabulib import META_ORDER, parse
from tests.budgeting.test_pots import _ambassador, _split_round, _voting

NORTH = [("Boxing", 12000), ("Bus", 18000), ("Music", 9000), ("Ignored", 7500)]
WEST = [("Football", 8000), ("Mentors", 15000), ("Cooking", 6000)]
# Ballots by ballot type: (North ballots, West ballots), each a list of {title: points}.
TICKS = {
    "approval": (
        [["Boxing", "Bus"], ["Boxing", "Music"], ["Bus"], ["Boxing", "Bus", "Music"], ["Music"]],
        [["Football", "Mentors"], ["Mentors"], ["Football", "Cooking"], ["Cooking"]],
    ),
    "k_approval": (
        [["Boxing", "Bus"], ["Boxing", "Music"], ["Bus"], ["Music", "Bus"], ["Music"]],
        [["Football", "Mentors"], ["Mentors"], ["Football", "Cooking"], ["Cooking"]],
    ),
    "knapsack": (
        [["Boxing", "Bus"], ["Boxing", "Music"], ["Bus"], ["Music", "Bus"], ["Music"]],
        [["Football", "Cooking"], ["Mentors"], ["Mentors"], ["Cooking"]],
    ),
    "choose_1": (
        [["Boxing"], ["Bus"], ["Bus"], ["Music"], ["Boxing"]],
        [["Football"], ["Mentors"], ["Cooking"]],
    ),
}
POINTS = (
    [{"Boxing": 6, "Bus": 4}, {"Music": 10}, {"Boxing": 3, "Bus": 3, "Music": 4}, {"Bus": 10}],
    [{"Football": 5, "Mentors": 5}, {"Cooking": 10}, {"Mentors": 7, "Cooking": 3}],
)
SETTINGS = {
    "approval": {"ballot_type": "approval"},
    "k_approval": {"ballot_type": "k_approval", "max_choices": 2},
    "knapsack": {"ballot_type": "knapsack"},
    "choose_1": {"ballot_type": "k_approval", "max_choices": 1},
    "points": {"ballot_type": "points", "points": 10},
}
# The checker re-counts equal shares only on approval ballots, and says so with a warning.
UNCHECKED = {"equalshares unsupported vote_type"}


def findings(text: str) -> dict[str, dict]:
    """The checker's errors and warnings for one file (its progress lines silenced)."""
    with contextlib.redirect_stdout(io.StringIO()):
        results = Checker().process_files([text])
    return results[1]["results"]


def _counted_round(officer, provider, org, places, kind: str, rule: str):
    funding_round = _split_round(officer, places, rule=rule, **SETTINGS[kind])
    bids = _voting(officer, provider, org, funding_round, {"North": NORTH, "West": WEST})
    north, west = funding_round.pots
    ballots = POINTS if kind == "points" else TICKS[kind]
    for pot, area, pot_ballots in ((north, "north", ballots[0]), (west, "west", ballots[1])):
        for ballot in pot_ballots:
            points = ballot if isinstance(ballot, dict) else dict.fromkeys(ballot, 1)
            voting.cast_ballot(
                _ambassador(officer, places[area]),
                pot,
                {bids[title].id: value for title, value in points.items()},
            )
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    return funding_round


@pytest.mark.parametrize("rule", ["greedy", "mes"])
@pytest.mark.parametrize("kind", sorted(SETTINGS))
def test_every_pot_file_passes_pabulibs_checker(people, places, kind, rule):
    officer, provider, org = people
    funding_round = _counted_round(officer, provider, org, places, kind, rule)
    for pot in funding_round.pots:
        text = exchange.export_pb(pot)
        found = findings(text)
        expected_warnings = UNCHECKED if rule == "mes" and kind in ("points", "choose_1") else set()
        assert found["errors"] == {}, (text, found)
        assert set(found["warnings"]) == expected_warnings, (text, found)
        election = parse(text)
        assert election.meta["subunit"] == pot.name
        assert list(election.meta) == [k for k in META_ORDER if k in election.meta]
        selected = {pid for pid, m in election.project_meta.items() if m["selected"] == "1"}
        assert selected == set(funding_round.counted.pot(pot.id).selected)


def test_the_file_says_what_pabulib_asks_for(people, places):
    officer, provider, org = people
    funding_round = _counted_round(officer, provider, org, places, "approval", "mes")
    north = parse(exchange.export_pb(funding_round.pots[0]))
    meta = north.meta
    assert (meta["country"], meta["currency"], meta["language"]) == ("United Kingdom", "GBP", "en")
    assert meta["rule"] == "equalshares/add1" and meta["vote_type"] == "approval"
    assert meta["instance"] == meta["date_begin"][-4:]
    assert meta["comment"].startswith("#1: 1 shortlisted projects that no one voted for")
    titles = {m["name"] for m in north.project_meta.values()}
    assert "Ignored" not in titles and "Boxing" in titles
    assert all({"votes", "selected"} <= set(m) for m in north.project_meta.values())


def test_a_pot_where_everything_voted_for_fits_is_marked_fully_funded(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places, rule="mes")
    bids = _voting(officer, provider, org, funding_round, {"North": NORTH, "West": WEST})
    west = funding_round.pots[1]
    for title in ("Football", "Cooking"):
        voting.cast_ballot(_ambassador(officer, places["west"]), west, {bids[title].id: 1})
    voting.cast_ballot(
        _ambassador(officer, places["north"]), funding_round.pots[0], {bids["Bus"].id: 1}
    )
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    text = exchange.export_pb(west)
    assert findings(text) == {"errors": {}, "warnings": {}}
    meta = parse(text).meta
    assert (meta["fully_funded"], meta["rule"]) == ("1", "greedy")
    assert "counted with mes" in meta["comment"]


def test_names_with_semicolons_and_quotes_survive_the_file(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places, rule="greedy")
    odd = 'Boxing; "Saturday" club'
    bids = _voting(
        officer,
        provider,
        org,
        funding_round,
        {"North": [(odd, 12000), ("Bus", 19000)], "West": WEST},
    )
    north = funding_round.pots[0]
    for title in (odd, "Bus"):
        voting.cast_ballot(_ambassador(officer, places["north"]), north, {bids[title].id: 1})
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    text = exchange.export_pb(north)
    assert findings(text)["errors"] == {}
    assert {m["name"] for m in parse(text).project_meta.values()} == {odd, "Bus"}


def test_no_file_while_people_are_still_voting(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    _voting(officer, provider, org, funding_round, {"North": NORTH, "West": WEST})
    with pytest.raises(logic.RoundError, match="once voting has closed"):
        exchange.export_pb(funding_round.pots[0])
