"""Rounds count equal shares with Add1 as pabulib names it ("equalshares/add1"), and the
result is exactly what pabulib's own checker re-counts from a published file; the search that
skips units gives exactly what running every unit gives."""

import contextlib
import os
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pabulib.checker import Checker

from engage.budgeting.rules import Election, Satisfaction
from engage.budgeting.rules.mes import add1, equal_shares_add1_units
from tests.budgeting.test_rules import cumulative_elections

COMMON = settings(
    max_examples=int(os.environ.get("RULE_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def elections(draw):
    count = draw(st.integers(2, 7))
    ids = [str(i) for i in range(1, count + 1)]
    costs = {pid: Fraction(draw(st.sampled_from([1, 2, 3, 5, 8, 13, 20, 50, 99]))) for pid in ids}
    budget = Fraction(draw(st.sampled_from([4, 10, 15, 30, 60, 100])))
    ballots = draw(st.lists(st.sets(st.sampled_from(ids), max_size=count), min_size=1, max_size=12))
    return Election(costs, budget, [dict.fromkeys(b, Fraction(1)) for b in ballots])


def checker_recount(election: Election) -> set[str] | None:
    """What pabulib's checker says equalshares/add1 selects (None where it cannot break a tie)."""
    checker = Checker()
    checker.file_results = {"errors": {}, "warnings": {}}
    checker.meta = {"budget": str(int(election.budget))}
    checker.projects = {pid: {"cost": str(int(c))} for pid, c in election.costs.items()}
    checker.votes = {str(i): {"vote": ",".join(sorted(b))} for i, b in enumerate(election.ballots)}
    try:
        return set(checker._compute_equalshares_winners(add1=True))
    except ValueError:
        return None


@contextlib.contextmanager
def every_unit():
    """Within it, MES is run at every unit (the tracing search is switched off)."""
    saved, add1.MOST_WORK = add1.MOST_WORK, -1
    try:
        yield
    finally:
        add1.MOST_WORK = saved


def tie_break(election: Election):
    backers = {pid: sum(pid in b for b in election.ballots) for pid in election.costs}
    return lambda pid: (election.costs[pid], -backers[pid], pid.zfill(12))


def supported_total(election: Election) -> Fraction:
    backed = {pid for b in election.ballots for pid in b}
    return sum((c for pid, c in election.costs.items() if pid in backed), Fraction(0))


@COMMON
@given(elections())
def test_equal_shares_with_add1_is_what_pabulibs_checker_recounts(election):
    # The checker never stops raising when everything voted for fits: no rule differs there.
    assume(supported_total(election) > election.budget)
    expected = checker_recount(election)
    assume(expected is not None)
    ours = equal_shares_add1_units(election, Satisfaction.COST, tie_break(election))
    assert set(ours.selected) == expected
    assert ours.cost <= election.budget


@COMMON
@given(elections(), st.sampled_from([Satisfaction.COST, Satisfaction.CARDINALITY]))
def test_skipping_units_gives_what_running_every_unit_gives(election, sat):
    traced = equal_shares_add1_units(election, sat, tie_break(election))
    with every_unit():
        every = equal_shares_add1_units(election, sat, tie_break(election))
    assert traced.selected == every.selected and traced.share == every.share


def test_when_everything_voted_for_fits_it_is_all_bought():
    election = Election(
        {"a": Fraction(10), "b": Fraction(20), "c": Fraction(5)},
        Fraction(100),
        [{"a": Fraction(1)}, {"b": Fraction(1)}],
    )
    assert sorted(equal_shares_add1_units(election, Satisfaction.COST).selected) == ["a", "b"]


def test_a_large_pot_with_few_voters_is_counted_without_a_run_per_pound():
    # 3 voters and £50,000: raising £1 a time would take about 13,000 runs of MES.
    calls = []
    original = add1._run

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    election = Election(
        {"1": Fraction(20000), "2": Fraction(15000), "3": Fraction(12500), "4": Fraction(30000)},
        Fraction(50000),
        [dict.fromkeys(b, Fraction(1)) for b in (["1", "2"], ["2", "3"], ["4"])],
    )
    add1._run = counted
    try:
        outcome = equal_shares_add1_units(election, Satisfaction.COST, tie_break(election))
    finally:
        add1._run = original
    assert sorted(outcome.selected) == sorted(checker_recount(election))
    assert len(calls) == 1  # only the kept raise is run with its wallets, for its steps


@COMMON
@given(cumulative_elections())
def test_skipping_units_is_exact_for_points_ballots_too(election):
    traced = equal_shares_add1_units(election, Satisfaction.POINTS, tie_break(election))
    with every_unit():
        every = equal_shares_add1_units(election, Satisfaction.POINTS, tie_break(election))
    assert traced.selected == every.selected and traced.share == every.share
