"""Add1: the voters' shares raised step by step while MES's outcome still fits the budget."""

from fractions import Fraction

from gmpy2 import mpq as Q

from engage.budgeting.rules.election import (
    Election,
    Satisfaction,
    TieBreak,
    lexicographic,
    total_cost,
)
from engage.budgeting.rules.greedy import greedy
from engage.budgeting.rules.mes.bounds import _bounded_run, _Undecided
from engage.budgeting.rules.mes.outcome import MESOutcome
from engage.budgeting.rules.mes.run import _outcome, _ranks, _Run, _run, is_exhaustive
from engage.budgeting.rules.mes.units import MOST_WORK, group_ballots, last_fitting
from engage.budgeting.rules.mes.wallets import _prepare, _Project


def equal_shares_add1(
    election: Election,
    satisfaction: Satisfaction | None = None,
    tie_break: TieBreak = lexicographic,
) -> MESOutcome:
    """MES, then raise the voters' budget 1% at a time while the outcome fits the real budget
    and is not yet exhaustive; then complete with the greedy rule (as pabutools'
    completion_by_rule_combination with exhaustion_by_budget_increase does). Each raise re-runs
    MES from the start, but a run is dropped as soon as it spends more than the budget, and
    only the run kept is turned into an outcome."""
    satisfaction = satisfaction or election.default_satisfaction()
    result = _raise_budget(election, satisfaction, tie_break)
    if is_exhaustive(election, result.selected):
        return result
    completion = greedy(election, satisfaction, already=result.selected, tie_break=tie_break)
    result.completed_by_greedy = completion.selected[len(result.selected) :]
    result.selected, result.cost = completion.selected, completion.cost
    return result


def _raise_budget(
    election: Election, satisfaction: Satisfaction, tie_break: TieBreak
) -> MESOutcome:
    """The last outcome, raising the voters' budget 1% at a time, that fits the budget: the
    first exhaustive one, or the one before the first that spends too much."""
    voters = len(election.ballots)
    if voters == 0:
        return MESOutcome([], Fraction(0), Fraction(0))
    step = election.budget / 100
    bound = election.budget * (voters + 1)
    virtual = election.budget
    projects = _prepare(election, satisfaction)
    rank = _ranks(projects, tie_break)
    order = sorted(projects, key=rank.__getitem__)
    limit = Q(election.budget)
    kept = None
    while virtual <= bound:
        share = Q(virtual) / voters
        run = _attempt(election, projects, share, rank, limit)
        if run is None:
            break
        kept = run
        if is_exhaustive(election, run.chosen):
            break
        virtual += step
    if kept is None:
        return MESOutcome([], Fraction(0), Fraction(0))
    if kept.wallets is None:  # found with float bounds: now run exactly, for its steps
        kept = _run(election, projects, kept.share, rank)
    return _outcome(election, projects, kept, order)


def _attempt(
    election: Election, projects: dict[str, _Project], share: Q, rank: dict[str, int], limit: Q
) -> _Run | None:
    """One raise: None if it spends more than `limit`, else its run (without wallets when it
    was settled by float bounds). Float bounds are tried first; exact MES when they can't
    settle every choice."""
    try:
        chosen = _bounded_run(election, projects, share, rank, limit)
    except _Undecided:
        return _run(election, projects, share, rank, limit)
    if total_cost(election.costs, chosen) > limit:
        return None
    return _Run(share, chosen)


def equal_shares_add1_units(
    election: Election,
    satisfaction: Satisfaction | None = None,
    tie_break: TieBreak = lexicographic,
) -> MESOutcome:
    """MES with Add1 as pabulib names it ("equalshares/add1") and its checker re-counts it:
    MES with the budget; then, starting from the budget rounded down to a whole unit per voter,
    every voter's share raised by one unit (£1) at a time for as long as the outcome still fits
    the budget, keeping the last that did. No completion. When every project with a supporter
    fits in the budget they are all bought (the raises would never stop)."""
    satisfaction = satisfaction or election.default_satisfaction()
    voters = len(election.ballots)
    projects = _prepare(election, satisfaction)
    rank = _ranks(projects, tie_break)
    order = sorted(projects, key=rank.__getitem__)
    if voters == 0:
        return MESOutcome([], Fraction(0), Fraction(0))
    supported = [pid for pid in order if projects[pid].total > 0]
    if total_cost(election.costs, supported) <= election.budget:
        everything = Q(max(total_cost(election.costs, supported), election.budget, 1))
        return _outcome(election, projects, _run(election, projects, everything, rank), order)
    start = (int(election.budget) // voters) * voters
    ballots = group_ballots(election, satisfaction)
    if ballots.work <= MOST_WORK:
        units = last_fitting(ballots, voters, start, rank, lambda chosen: fits(election, chosen))
    else:
        units = _unit_by_unit(election, projects, voters, start, rank)
    share = Q(start + voters * units, voters) if units else Q(election.budget) / voters
    return _outcome(election, projects, _run(election, projects, share, rank), order)


def fits(election: Election, chosen: list[str]) -> bool:
    return total_cost(election.costs, chosen) <= election.budget


def _unit_by_unit(
    election: Election, projects: dict[str, _Project], voters: int, start: int, rank: dict[str, int]
) -> int:
    """The same search one unit at a time (for elections too large to trace: many voters,
    so each unit is a larger step of the whole budget and few are needed)."""
    units, limit = 0, Q(election.budget)
    while _attempt(election, projects, Q(start + voters * (units + 1), voters), rank, limit):
        units += 1
    return units
