"""Our voting rules give exactly pabutools' outcomes, on every ballot type and on the awkward
cases: ties, zero-cost, unaffordable and unsupported projects, empty ballots, one voter and
budgets smaller than every project."""

import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.budgeting.rules import (
    Election,
    Satisfaction,
    VoteType,
    equal_shares,
    equal_shares_add1,
    greedy,
)
from tests.budgeting.reference import reference

OURS = {
    "greedy": lambda e, s: greedy(e, s).selected,
    "mes": lambda e, s: equal_shares(e, s).selected,
    "add1": lambda e, s: equal_shares_add1(e, s).selected,
}


@st.composite
def approval_elections(draw):
    count = draw(st.integers(1, 7))
    ids = [f"p{i}" for i in draw(st.permutations(range(count)))]
    costs = {pid: Fraction(draw(st.sampled_from([0, 1, 2, 3, 5, 8, 10, 20, 50]))) for pid in ids}
    budget = Fraction(draw(st.sampled_from([1, 4, 10, 15, 30, 60, 100])))
    ballots = draw(st.lists(st.sets(st.sampled_from(ids), max_size=count), min_size=1, max_size=9))
    return Election(costs, budget, [dict.fromkeys(b, Fraction(1)) for b in ballots])


@st.composite
def cumulative_elections(draw):
    count = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(count)]
    costs = {pid: Fraction(draw(st.sampled_from([0, 1, 2, 5, 10, 20]))) for pid in ids}
    budget = Fraction(draw(st.sampled_from([1, 5, 10, 25, 50])))
    ballots = draw(
        st.lists(
            st.dictionaries(st.sampled_from(ids), st.integers(1, 5).map(Fraction), max_size=count),
            min_size=1,
            max_size=8,
        )
    )
    return Election(costs, budget, ballots, VoteType.CUMULATIVE)


COMMON = settings(
    max_examples=int(os.environ.get("RULE_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@COMMON
@given(
    approval_elections(),
    st.sampled_from([Satisfaction.COST, Satisfaction.CARDINALITY]),
    st.sampled_from(sorted(OURS)),
)
def test_approval_rules_match_pabutools(election, sat, rule):
    assert sorted(OURS[rule](election, sat)) == reference(election, rule, sat)


@COMMON
@given(cumulative_elections(), st.sampled_from(["greedy", "mes"]))
def test_cumulative_rules_match_pabutools(election, rule):
    assert sorted(OURS[rule](election, Satisfaction.POINTS)) == reference(
        election, rule, Satisfaction.POINTS
    )


def _election(costs, budget, ballots):
    return Election(
        {k: Fraction(v) for k, v in costs.items()},
        Fraction(budget),
        [dict.fromkeys(b, Fraction(1)) for b in ballots],
    )


def test_greedy_skips_what_no_longer_fits_and_explains_it():
    election = _election({"a": 60, "b": 50, "c": 30}, 100, [["a", "b"], ["a", "b"], ["a", "c"]])
    outcome = greedy(election, Satisfaction.COST)
    assert outcome.selected == ["a", "c"]
    steps = {s.project: s for s in outcome.steps}
    assert steps["b"].funded is False and steps["b"].votes == 2
    assert outcome.cost == 90


def test_mes_shares_the_budget_equally_and_records_payments():
    # 4 voters with £25 each; a and b each have two supporters who can pay £50 between them.
    election = _election({"a": 50, "b": 50, "c": 50}, 100, [["a"], ["a"], ["b"], ["b", "c"]])
    outcome = equal_shares(election, Satisfaction.COST)
    assert outcome.share == 25
    assert sorted(outcome.selected) == ["a", "b"]
    first = outcome.steps[0]
    assert first.supporters == 2 and first.paid_share == 2
    unfunded = {u.project: u for u in outcome.unfunded}
    assert unfunded["c"].money_left == 0 and unfunded["c"].cost == 50


def test_mes_ties_are_broken_by_project_id():
    election = _election({"b": 10, "a": 10}, 10, [["a", "b"]])
    assert equal_shares(election, Satisfaction.COST).selected == ["a"]


def test_add1_spends_what_plain_mes_leaves():
    election = _election({"a": 60, "b": 40, "c": 30}, 100, [["a"], ["a"], ["b", "c"]])
    plain = equal_shares(election, Satisfaction.COST)
    add1 = equal_shares_add1(election, Satisfaction.COST)
    assert add1.cost >= plain.cost
    assert add1.cost <= 100


@pytest.mark.parametrize("rule", sorted(OURS))
def test_no_voters_and_budgets_below_every_cost(rule):
    none = _election({"a": 5}, 10, [])
    assert OURS[rule](none, Satisfaction.COST) == reference(none, rule, Satisfaction.COST)
    poor = _election({"a": 50, "b": 60}, 10, [["a", "b"]])
    assert OURS[rule](poor, Satisfaction.COST) == []
