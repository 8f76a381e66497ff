"""The Method of Equal Shares (MES): the budget is split equally between voters; a project is
bought by its supporters, each paying in proportion to how much they value it (`price` per
unit of satisfaction) or everything they have left; at each step the project with the lowest
price is funded. With Add1, the voters' shares are raised 1% at a time while the outcome still
fits the real budget, then the greedy rule fills what is left.

Exact: all money is held as fractions, as the reference implementation (pabutools) does.
Fast: voters with the same money left and the same satisfaction are handled as one group, so
the work per step grows with the number of distinct amounts, not the number of voters."""

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from gmpy2 import mpq as Q

from engage.budgeting.rules.election import (
    Election,
    Satisfaction,
    lexicographic,
    supporters,
    total_cost,
)
from engage.budgeting.rules.greedy import greedy


@dataclass(frozen=True)
class MESStep:
    project: str
    price: Fraction  # what each supporter pays per unit of satisfaction
    cost: Fraction
    supporters: int
    paid_share: int  # supporters who paid their full share (price × satisfaction)
    paid_all_left: int  # supporters who could not, and gave everything they had left


@dataclass(frozen=True)
class Unfunded:
    project: str
    cost: Fraction
    supporters: int
    money_left: Fraction  # what its supporters still had between them at the end


@dataclass
class MESOutcome:
    selected: list[str]
    cost: Fraction
    share: Fraction  # each voter's starting share
    steps: list[MESStep] = field(default_factory=list)
    unfunded: list[Unfunded] = field(default_factory=list)
    completed_by_greedy: list[str] = field(default_factory=list)


@dataclass
class _Project:
    pid: str
    cost: Q
    voters: np.ndarray
    uniform: Q | None  # every supporter's satisfaction, when they all have the same
    sat_index: np.ndarray | None  # otherwise, each supporter's satisfaction as an index
    sat_values: list[Q]
    total: Q


def _prepare(election: Election, satisfaction: Satisfaction) -> dict[str, _Project]:
    prepared = {}
    for pid, support in supporters(election, satisfaction).items():
        cost = Q(election.costs[pid])
        if support.uniform is not None:
            uniform = Q(support.uniform)
            prepared[pid] = _Project(
                pid, cost, support.voters, uniform, None, [], uniform * len(support.voters)
            )
            continue
        values = sorted({Q(s) for s in support.sats})
        position = {value: index for index, value in enumerate(values)}
        index = np.asarray([position[Q(s)] for s in support.sats], dtype=np.int64)
        prepared[pid] = _Project(
            pid, cost, support.voters, None, index, values, sum((Q(s) for s in support.sats), Q(0))
        )
    return prepared


class _Wallets:
    """Each voter's money left, as an id into the list of distinct amounts (voters with the
    same amount share an id)."""

    def __init__(self, voters: int, share: Q) -> None:
        self.of_voter = np.zeros(voters, dtype=np.int64)
        self.amounts: list[Q] = [share]
        self.ids: dict[Q, int] = {share: 0}

    def _id(self, amount: Q) -> int:
        if amount not in self.ids:
            self.ids[amount] = len(self.amounts)
            self.amounts.append(amount)
        return self.ids[amount]

    def _keys(self, project: _Project) -> tuple[np.ndarray, int]:
        classes = self.of_voter[project.voters]
        if project.uniform is not None:
            return classes, 1
        width = len(project.sat_values)
        return classes * width + project.sat_index, width

    def groups(self, project: _Project) -> list[tuple[Q, Q, int]]:
        """(money, satisfaction, how many) for the project's supporters, one per distinct pair."""
        keys, width = self._keys(project)
        counts = np.bincount(keys)
        present = np.flatnonzero(counts)
        if project.uniform is not None:
            return [(self.amounts[k], project.uniform, int(counts[k])) for k in present.tolist()]
        return [
            (self.amounts[k // width], project.sat_values[k % width], int(counts[k]))
            for k in present.tolist()
        ]

    def pay(self, project: _Project, price: Q) -> tuple[int, int]:
        """Supporters pay price × satisfaction, or all they have; returns (in full, all left)."""
        keys, width = self._keys(project)
        counts = np.bincount(keys)
        mapping = np.zeros(len(counts), dtype=np.int64)
        all_left = 0
        for k in np.flatnonzero(counts).tolist():
            money = self.amounts[k // width]
            sat = project.uniform if project.uniform is not None else project.sat_values[k % width]
            due = price * sat
            if money < due:
                all_left += int(counts[k])
            mapping[k] = self._id(money - min(money, due))
        self.of_voter[project.voters] = mapping[keys]
        return len(keys) - all_left, all_left

    def total(self, project: _Project) -> Q:
        counts = np.bincount(self.of_voter[project.voters])
        return sum(
            (self.amounts[k] * int(counts[k]) for k in np.flatnonzero(counts).tolist()), Q(0)
        )


def _price(groups: list[tuple[Q, Q, int]], cost: Q) -> Q | None:
    """The lowest price at which the supporters can buy the project, or None if they can't."""
    available, weight = Q(0), Q(0)
    for money, sat, count in groups:
        available += money * count
        weight += sat * count
    if available < cost:
        return None
    paid = Q(0)
    for money, sat, count in sorted(groups, key=lambda g: g[0] / g[1]):
        price = (cost - paid) / weight
        if price * sat <= money:
            return price
        paid += money * count
        weight -= sat * count
    return None  # unreachable: the group with the most money can always pay


def _fraction(value: Q) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


def equal_shares(
    election: Election,
    satisfaction: Satisfaction | None = None,
    budget: Fraction | None = None,
    tie_break: Callable[[str], object] = lexicographic,
    prepared: dict[str, _Project] | None = None,
) -> MESOutcome:
    """MES with every voter starting with budget / voters (the round's budget by default)."""
    satisfaction = satisfaction or election.default_satisfaction()
    budget = election.budget if budget is None else budget
    voters = len(election.ballots)
    if voters == 0:
        return MESOutcome([], Fraction(0), Fraction(0))
    projects = prepared if prepared is not None else _prepare(election, satisfaction)
    share = Q(budget) / voters
    chosen = [
        pid
        for pid in sorted(projects, key=tie_break)
        if projects[pid].cost == 0 and projects[pid].total > 0
    ]
    active = {pid for pid, p in projects.items() if p.cost > 0 and p.total > 0}
    price = {pid: projects[pid].cost / projects[pid].total for pid in active}
    wallets = _Wallets(voters, share)
    steps = []
    while True:
        best, tied = None, []
        for pid in sorted(active, key=lambda p: price[p]):
            if best is not None and price[pid] > best:
                break
            found = _price(wallets.groups(projects[pid]), projects[pid].cost)
            if found is None:
                active.discard(pid)
                continue
            price[pid] = found
            if best is None or found < best:
                best, tied = found, [pid]
            elif found == best:
                tied.append(pid)
        if best is None or not tied:
            break
        winner = min(tied, key=tie_break)
        in_full, all_left = wallets.pay(projects[winner], best)
        steps.append(
            MESStep(
                winner,
                _fraction(best),
                election.costs[winner],
                len(projects[winner].voters),
                in_full,
                all_left,
            )
        )
        chosen.append(winner)
        active.discard(winner)
    unfunded = [
        Unfunded(
            pid,
            election.costs[pid],
            len(projects[pid].voters),
            _fraction(wallets.total(projects[pid])),
        )
        for pid in sorted(projects, key=tie_break)
        if pid not in chosen and len(projects[pid].voters)
    ]
    return MESOutcome(chosen, total_cost(election.costs, chosen), _fraction(share), steps, unfunded)


def is_exhaustive(election: Election, chosen: list[str]) -> bool:
    """No project left out would still fit in the budget."""
    spent = total_cost(election.costs, chosen)
    taken = set(chosen)
    return all(
        pid in taken or spent + cost > election.budget for pid, cost in election.costs.items()
    )


def equal_shares_add1(
    election: Election,
    satisfaction: Satisfaction | None = None,
    tie_break: Callable[[str], object] = lexicographic,
) -> MESOutcome:
    """MES, then raise the voters' budget 1% at a time while the outcome fits the real budget
    and is not yet exhaustive; then complete with the greedy rule (as pabutools'
    completion_by_rule_combination with exhaustion_by_budget_increase does)."""
    satisfaction = satisfaction or election.default_satisfaction()
    step = election.budget / 100
    bound = election.budget * (len(election.ballots) + 1)
    virtual = election.budget
    result = MESOutcome([], Fraction(0), Fraction(0))
    prepared = _prepare(election, satisfaction)
    while virtual <= bound:
        outcome = equal_shares(election, satisfaction, virtual, tie_break, prepared)
        if outcome.cost > election.budget:
            break
        result = outcome
        if is_exhaustive(election, outcome.selected):
            return outcome
        virtual += step
    if is_exhaustive(election, result.selected):
        return result
    completion = greedy(election, satisfaction, already=result.selected, tie_break=tie_break)
    result.completed_by_greedy = completion.selected[len(result.selected) :]
    result.selected, result.cost = completion.selected, completion.cost
    return result
