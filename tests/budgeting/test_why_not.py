"""What a count did, replayed and explained: every payment in an equal-shares run adds up to
what each project cost, as the run recorded it; every project not funded, under either rule,
gets exactly one reason; and the reasons are right on elections small enough to check by hand."""

from fractions import Fraction

from hypothesis import given

from engage.budgeting import reasons
from engage.budgeting.counting import run_rule
from engage.budgeting.results import WhyNot
from engage.budgeting.rules import Election, Satisfaction
from engage.budgeting.rules.greedy import greedy
from engage.budgeting.rules.mes import MESOutcome, equal_shares_add1_units
from engage.budgeting.rules.mes.payments import payments
from engage.budgeting.vocabulary import CountingRule
from tests.budgeting.test_rules import COMMON, approval_elections, cumulative_elections


def _sat(election: Election) -> Satisfaction:
    return election.default_satisfaction()


def _why(election: Election, rule: CountingRule):
    outcome = run_rule(election, rule)
    if isinstance(outcome, MESOutcome):
        spent = payments(election, _sat(election), outcome).spending
        return outcome, reasons.mes_reasons(election, outcome.selected, spent)
    return outcome, reasons.greedy_reasons(election, outcome)


@COMMON
@given(approval_elections() | cumulative_elections())
def test_replayed_payments_are_what_the_run_paid(election):
    outcome = equal_shares_add1_units(election, _sat(election))
    replay = payments(election, _sat(election), outcome)
    for step, paid in zip(outcome.steps, replay.steps, strict=True):
        assert sum((p.amount * p.voters for p in paid), Fraction(0)) == step.cost
        assert sum(p.voters for p in paid if not p.all_left) == step.paid_share
        assert sum(p.voters for p in paid if p.all_left) == step.paid_all_left
        assert all(p.amount <= outcome.share for p in paid)


@COMMON
@given(approval_elections() | cumulative_elections())
def test_every_project_not_funded_gets_exactly_one_reason(election):
    backed = {pid for b in election.ballots for pid, v in b.items() if v > 0}
    # As a round counts: projects no one voted for are left out, and said so apart.
    counted = Election(
        {pid: c for pid, c in election.costs.items() if pid in backed},
        election.budget,
        election.ballots,
        election.vote_type,
    )
    for rule in CountingRule:
        outcome, why = _why(counted, rule)
        why += reasons.unvoted(sorted(election.costs), counted)
        said = [w.project for w in why]
        assert sorted(said) == sorted(set(election.costs) - set(outcome.selected))
        for w in why:
            assert w.went_to == [] or set(w.went_to) <= set(outcome.selected)
            if w.reason == WhyNot.FREE:
                assert w.cost == 0 and election.default_satisfaction() == Satisfaction.COST
            if w.reason == WhyNot.SPENT:
                assert 0 < w.spenders <= w.backers and w.money < w.cost and w.went_to
            if w.reason == WhyNot.FEW_BACKERS:
                assert w.money < w.cost and w.spenders == 0


def test_a_project_dearer_than_the_pot_says_so_under_both_rules():
    both = {"a": Fraction(1), "b": Fraction(1)}
    election = Election(
        {"a": Fraction(50), "b": Fraction(30)}, Fraction(40), [both, both, {"b": Fraction(1)}]
    )
    for rule in CountingRule:
        _outcome, why = _why(election, rule)
        assert [(w.project, w.reason) for w in why] == [("a", WhyNot.TOO_DEAR)]


def test_backers_who_were_too_few_are_told_apart_from_backers_who_had_spent():
    # 10 voters, £100. Six back x, y (£30 each) and z (£40); two back "few" (£50); two back w
    # (£10). Shares rise to £16 (at £17 the six could buy z too: £110). The six pay £5 each
    # for x, then for y, leaving £36 between them: short of z. The two have £32: short of few.
    six = {"x": Fraction(1), "y": Fraction(1), "z": Fraction(1)}
    election = Election(
        {"x": Fraction(30), "y": Fraction(30), "z": Fraction(40), "few": Fraction(50)}
        | {"w": Fraction(10)},
        Fraction(100),
        [dict(six)] * 6 + [{"few": Fraction(1)}] * 2 + [{"w": Fraction(1)}] * 2,
    )
    outcome, why = _why(election, CountingRule.MES)
    assert (outcome.selected, outcome.share) == (["x", "y", "w"], 16)
    found = {w.project: w for w in why}
    assert (found["few"].reason, found["few"].backers, found["few"].money) == (
        WhyNot.FEW_BACKERS,
        2,
        32,
    )
    assert (found["z"].reason, found["z"].spenders, found["z"].money) == (WhyNot.SPENT, 6, 36)
    assert found["z"].went_to == ["x", "y"]


def test_most_votes_first_names_what_was_funded_before_and_whether_it_tied():
    # big and small have 3 votes each; big comes first (ties by id here) and takes £80 of
    # £100; small (£30) no longer fits; cheap (1 vote, £20) still does.
    election = Election(
        {"big": Fraction(80), "small": Fraction(30), "cheap": Fraction(20)},
        Fraction(100),
        [{"big": Fraction(1), "small": Fraction(1)}] * 3 + [{"cheap": Fraction(1)}],
    )
    outcome = greedy(election, Satisfaction.CARDINALITY, per_cost=False)
    assert outcome.selected == ["big", "cheap"]
    [why] = reasons.greedy_reasons(election, outcome)
    assert (why.project, why.reason, why.went_to, why.tied) == (
        "small",
        WhyNot.NO_ROOM,
        ["big"],
        True,
    )
    assert (why.money, why.cost, why.backers) == (20, 30, 3)
