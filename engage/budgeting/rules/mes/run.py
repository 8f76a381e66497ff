"""One exact run of MES: the affordable project with the lowest price is bought, again and
again, until none is left that its supporters can afford."""

from dataclasses import dataclass, field
from fractions import Fraction
from typing import overload

from gmpy2 import mpq as Q

from engage.budgeting.rules.election import (
    Election,
    Satisfaction,
    TieBreak,
    lexicographic,
    total_cost,
)
from engage.budgeting.rules.mes.outcome import MESOutcome, MESStep, Unfunded
from engage.budgeting.rules.mes.prices import _affordable, _contest
from engage.budgeting.rules.mes.wallets import (
    SWEEP_AFTER,
    ZERO,
    _Groups,
    _prepare,
    _Project,
    _Sweep,
    _Wallets,
)


@dataclass
class _Best:
    price: Q
    pid: str
    groups: _Groups


def _choose(
    projects: dict[str, _Project],
    active: set[str],
    lower: dict[str, Q],
    wallets: _Wallets,
    rank: dict[str, int],
    sweep: _Sweep,
) -> _Best | None:
    """The affordable project with the lowest price (ties to the lowest rank), trying projects
    by the lower bounds of their prices (prices only rise) until no other can be cheaper;
    projects found unaffordable leave `active` (all at once, by `sweep`, when many are tried)."""
    best = None
    for tried, pid in enumerate(sorted(active, key=lower.__getitem__)):
        if best is not None and lower[pid] > best.price:
            break
        if tried == SWEEP_AFTER:
            sweep(active, wallets)
        if pid not in active:
            continue
        project = projects[pid]
        groups = wallets.groups(project)
        if not _affordable(project, groups, wallets):
            active.discard(pid)
            continue
        price = _contest(project, groups, wallets, None if best is None else best.price, lower)
        if price is None:
            continue
        if (
            best is None
            or price < best.price
            or (price == best.price and rank[pid] < rank[best.pid])
        ):
            best = _Best(price, pid, groups)
    return best


@dataclass
class _Run:
    """One run of MES: what it chose, its steps, and the wallets at the end."""

    share: Q
    chosen: list[str] = field(default_factory=list)
    steps: list[MESStep] = field(default_factory=list)
    wallets: _Wallets | None = None


@overload
def _run(
    election: Election, projects: dict[str, _Project], share: Q, rank: dict[str, int]
) -> _Run: ...
@overload
def _run(
    election: Election, projects: dict[str, _Project], share: Q, rank: dict[str, int], limit: Q
) -> _Run | None: ...
def _run(
    election: Election,
    projects: dict[str, _Project],
    share: Q,
    rank: dict[str, int],
    limit: Q | None = None,
) -> _Run | None:
    """MES with every voter starting with `share`; None as soon as it spends more than
    `limit`."""
    order = sorted(projects, key=rank.__getitem__)
    run = _Run(share, [pid for pid in order if projects[pid].cost == 0 and projects[pid].total > 0])
    active = {pid for pid, p in projects.items() if p.cost > 0 and p.total > 0}
    lower = {pid: projects[pid].cost / projects[pid].total for pid in active}
    run.wallets = wallets = _Wallets(len(election.ballots), share, True)
    sweep = _Sweep(projects, active)
    spent = ZERO
    while (best := _choose(projects, active, lower, wallets, rank, sweep)) is not None:
        project = projects[best.pid]
        in_full, all_left = wallets.pay(project, best.groups, best.price)
        run.steps.append(
            MESStep(
                best.pid,
                _fraction(best.price),
                election.costs[best.pid],
                len(project.voters),
                in_full,
                all_left,
            )
        )
        run.chosen.append(best.pid)
        active.discard(best.pid)
        spent += project.cost
        if limit is not None and spent > limit:
            return None
    return run


def _outcome(
    election: Election, projects: dict[str, _Project], run: _Run, order: list[str]
) -> MESOutcome:
    """The run as an outcome, with what the supporters of each unfunded project had left."""
    wallets = run.wallets
    if wallets is None:  # settled by float bounds, which hold no exact money
        raise ValueError("only an exact run of MES has an outcome")
    chosen = set(run.chosen)
    unfunded = [
        Unfunded(
            pid,
            election.costs[pid],
            len(projects[pid].voters),
            _fraction(wallets.total(projects[pid])),
        )
        for pid in order
        if pid not in chosen and len(projects[pid].voters)
    ]
    cost = total_cost(election.costs, run.chosen)
    return MESOutcome(run.chosen, cost, _fraction(run.share), run.steps, unfunded)


def _fraction(value: Q) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


def _ranks(projects: dict[str, _Project], tie_break: TieBreak) -> dict[str, int]:
    return {pid: index for index, pid in enumerate(sorted(projects, key=tie_break))}


def equal_shares(
    election: Election,
    satisfaction: Satisfaction | None = None,
    budget: Fraction | None = None,
    tie_break: TieBreak = lexicographic,
    prepared: dict[str, _Project] | None = None,
) -> MESOutcome:
    """MES with every voter starting with budget / voters (the round's budget by default)."""
    satisfaction = satisfaction or election.default_satisfaction()
    budget = election.budget if budget is None else budget
    voters = len(election.ballots)
    if voters == 0:
        return MESOutcome([], Fraction(0), Fraction(0))
    projects = prepared if prepared is not None else _prepare(election, satisfaction)
    rank = _ranks(projects, tie_break)
    run = _run(election, projects, Q(budget) / voters, rank)
    return _outcome(election, projects, run, sorted(projects, key=rank.__getitem__))


def is_exhaustive(election: Election, chosen: list[str]) -> bool:
    """No project left out would still fit in the budget."""
    left = election.budget - total_cost(election.costs, chosen)
    taken = set(chosen)
    return all(pid in taken or cost > left for pid, cost in election.costs.items())
