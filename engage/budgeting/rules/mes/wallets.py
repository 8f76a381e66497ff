"""The exact state of one MES run: each project's supporters and satisfactions, and each
voter's money left, grouped so that voters with the same money and satisfaction are handled
once. Floats ride along to guide the exact work (see the package's notes)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from gmpy2 import mpq as Q

from engage.budgeting.rules.election import Election, Satisfaction, supporters

if TYPE_CHECKING:
    from engage.budgeting.rules.mes.bounds import _Bounds

TOLERANCE = 1e-9  # relative: more than a float sum of 10^6 groups can be off by
WINDOW = 1e-7  # groups whose float price ratio is this close to the guess are sorted exactly
SLACK = 1e-12  # relative widening of a float bound so that it holds for the exact value
TINY = 1e-280  # absolute widening, for floats near the bottom of their range
RANGE = (1e-30, 1e30)  # floats are used only when costs, satisfactions and shares lie here
SWEEP_AFTER = 6  # projects tried in one step before the unaffordable ones are swept out at once
ZERO = Q(0)


def _in_range(*values: Q) -> bool:
    return all(RANGE[0] <= value <= RANGE[1] for value in values)


@dataclass
class _Project:
    pid: str
    cost: Q
    voters: np.ndarray
    uniform: Q | None  # every supporter's satisfaction, when they all have the same
    sat_index: np.ndarray | None  # otherwise, each supporter's satisfaction as an index
    sat_values: list[Q]  # the distinct satisfactions ([uniform] when uniform)
    total: Q
    cost_f: float = 0.0
    sat_f: np.ndarray = field(default_factory=lambda: np.zeros(1))  # zeros unless `floats`
    floats: bool = False  # cost and satisfactions lie in RANGE, so floats may guide

    def __post_init__(self) -> None:
        self.floats = self.cost > 0 and _in_range(self.cost, *self.sat_values)
        self.sat_f = np.zeros(len(self.sat_values))
        if self.floats:
            self.cost_f = float(self.cost)
            self.sat_f = np.asarray([float(s) for s in self.sat_values])

    @property
    def width(self) -> int:
        return len(self.sat_values) if self.uniform is None else 1


def _prepare(election: Election, satisfaction: Satisfaction) -> dict[str, _Project]:
    prepared = {}
    for pid, support in supporters(election, satisfaction).items():
        cost = Q(election.costs[pid])
        if support.uniform is not None:
            uniform = Q(support.uniform)
            prepared[pid] = _Project(
                pid, cost, support.voters, uniform, None, [uniform], uniform * len(support.voters)
            )
            continue
        values = sorted({Q(s) for s in support.sats})
        position = {value: index for index, value in enumerate(values)}
        index = np.asarray([position[Q(s)] for s in support.sats], dtype=np.int64)
        prepared[pid] = _Project(
            pid, cost, support.voters, None, index, values, sum((Q(s) for s in support.sats), Q(0))
        )
    return prepared


@dataclass
class _Groups:
    """A project's supporters at one moment, one group per distinct (money, satisfaction):
    each supporter's group key, and per group its key, size, money id and satisfaction index,
    with the money and satisfaction as floats."""

    keys: np.ndarray
    present: np.ndarray
    counts: np.ndarray
    money: np.ndarray
    sat: np.ndarray
    money_f: np.ndarray
    sat_f: np.ndarray

    def spend_f(self, price: float) -> float:
        """What the supporters would pay at `price`, in floats."""
        return float(np.minimum(self.money_f, price * self.sat_f) @ self.counts)

    def exact(self, project: _Project, amounts: np.ndarray) -> list[tuple[Q, Q, int]]:
        """(money, satisfaction, how many) for each group, exactly."""
        return [
            (money, project.sat_values[s], c)
            for money, s, c in zip(
                amounts[self.money].tolist(), self.sat.tolist(), self.counts.tolist(), strict=True
            )
        ]


class _Wallets:
    """Each voter's money left, as an id into an array of amounts: id 0 is nothing left, and
    voters who have paid the same so far share an id. Each amount is also held as a float
    (when `floats`: the share lies in RANGE)."""

    def __init__(self, voters: int, share: Q, floats: bool) -> None:
        self.of_voter = np.ones(voters, dtype=np.int64)
        self.size = 2
        self.amounts = np.empty(64, dtype=object)
        self.amounts[:2] = [ZERO, share]
        self.floats = floats and _in_range(share)
        self.amounts_f = np.zeros(64)
        self.amounts_f[1] = float(share) if self.floats else 0.0

    def _append(self, values: np.ndarray) -> np.ndarray:
        """New ids for `values` (an object array of amounts)."""
        start, end = self.size, self.size + len(values)
        if end > len(self.amounts):
            self.amounts = np.resize(self.amounts, 2 * end)
            self.amounts_f = np.resize(self.amounts_f, 2 * end)
        self.amounts[start:end] = values
        if self.floats:
            self.amounts_f[start:end] = values.astype(np.float64)
        self.size = end
        return np.arange(start, end)

    def exact(self, ids: np.ndarray) -> list[Q]:
        amounts: list[Q] = self.amounts[ids].tolist()
        return amounts

    def groups(self, project: _Project) -> _Groups:
        keys = self.of_voter[project.voters]
        if project.uniform is None:
            keys = keys * project.width + project.sat_index
        counts = np.bincount(keys)
        present = np.flatnonzero(counts)
        money, sat = np.divmod(present, project.width)
        return _Groups(
            keys, present, counts[present], money, sat, self.amounts_f[money], project.sat_f[sat]
        )

    def available(self, groups: _Groups) -> Q:
        return Q(self.amounts[groups.money] @ groups.counts)

    def pay(self, project: _Project, groups: _Groups, price: Q) -> tuple[int, int]:
        """Supporters pay price × satisfaction, or all they have; returns (in full, all left)."""
        moneys = self.amounts[groups.money]
        if project.uniform is not None:
            dues = price * project.uniform
        else:
            dues = np.empty(project.width, dtype=object)
            dues[:] = [price * sat for sat in project.sat_values]
            dues = dues[groups.sat]
        short = moneys < dues
        ids = np.zeros(len(moneys), dtype=np.int64)
        ids[~short] = self._append((moneys - dues)[~short])
        mapping = np.zeros(int(groups.present[-1]) + 1, dtype=np.int64)
        mapping[groups.present] = ids
        self.of_voter[project.voters] = mapping[groups.keys]
        all_left = int(groups.counts[short].sum())
        return len(groups.keys) - all_left, all_left

    def total(self, project: _Project) -> Q:
        counts = np.bincount(self.of_voter[project.voters])
        present = np.flatnonzero(counts)
        return Q(self.amounts[present] @ counts[present])


class _Sweep:
    """One pass over every supporter of the `active` projects (those whose cost and
    satisfactions lie in RANGE) that drops the projects whose supporters certainly no longer
    have the cost between them: money only falls, so they never will again."""

    def __init__(self, projects: dict[str, _Project], active: set[str]) -> None:
        self.pids = [pid for pid in sorted(active) if projects[pid].floats]
        sizes = [len(projects[pid].voters) for pid in self.pids]
        self.voters = np.concatenate(
            [projects[pid].voters for pid in self.pids] or [np.zeros(0, dtype=np.int64)]
        )
        self.starts = (np.cumsum(sizes) - sizes).astype(np.int64)
        self.sizes = np.asarray(sizes, dtype=np.float64)
        self.costs = np.asarray([projects[pid].cost_f for pid in self.pids]) * (1 - TOLERANCE)

    def __call__(self, active: set[str], wallets: "_Wallets | _Bounds") -> None:
        if not self.pids or (isinstance(wallets, _Wallets) and not wallets.floats):
            return
        if isinstance(wallets, _Wallets):
            money = wallets.amounts_f[wallets.of_voter[self.voters.astype(np.int64)]]
            available = np.add.reduceat(money, self.starts)
        else:  # float bounds: each amount raised past its error
            money = wallets.available(self.voters.astype(np.int64))
            available = np.add.reduceat(money, self.starts) * (1 + (self.sizes + 4) * ULP)
        for index in np.flatnonzero(available < self.costs).tolist():
            active.discard(self.pids[index])


ULP = 2.0**-52  # a float's relative rounding error is at most half of this
