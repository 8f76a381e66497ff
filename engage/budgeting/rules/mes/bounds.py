"""Add1's raises that are thrown away, run on floats with proven error bounds: a choice is
settled only when the bounds prove it, otherwise the raise is run exactly (`_Undecided`)."""

import numpy as np
from gmpy2 import mpq as Q

from engage.budgeting.rules.election import Election
from engage.budgeting.rules.mes.prices import _float_price
from engage.budgeting.rules.mes.wallets import (
    SWEEP_AFTER,
    ULP,
    WINDOW,
    ZERO,
    _Groups,
    _in_range,
    _Project,
    _Sweep,
)


class _Undecided(Exception):
    """The floats of a bounded run cannot settle a choice: the raise is run exactly instead."""


class _Unaffordable(Exception):
    """The project's supporters certainly no longer have its cost between them."""


FLOOR = 1e-300  # absolute widening, for products that may fall below the floats' range


class _Bounds:
    """Wallets held only as floats, for a raise whose outcome is not kept (Add1): each amount
    has an error bound (`errors`, by amount id) on how far it is from the exact amount MES
    would hold there. Sums of them are then within a relative (groups + 16) × ULP and an
    absolute sum of the errors of the groups that may pay all they have (a float sum of n
    non-negative terms is off by at most n × ULP / 2 of it; each term, a least of two
    rounded values, by its money's error and 2 × ULP of itself), so a spending, a price or an
    affordability is settled only when its float bounds leave no doubt."""

    def __init__(self, voters: int, share: float) -> None:
        self.of_voter = np.ones(voters, dtype=np.int64)
        self.amounts_f = np.zeros(64)
        self.amounts_f[1] = self.share = share
        self.errors = np.zeros(64)
        self.errors[1] = share * ULP
        self.size = 2

    def groups(self, project: _Project) -> _Groups:
        """As `_Wallets.groups`, with the counts as floats (exact: they are below 2^53)."""
        keys = self.of_voter[project.voters]
        if project.uniform is not None:
            counts = np.bincount(keys)
            money = np.flatnonzero(counts)
            sat = np.zeros(len(money), dtype=np.int64)
            return _Groups(
                keys,
                money,
                counts[money].astype(np.float64),
                money,
                sat,
                self.amounts_f[money],
                np.full(len(money), project.sat_f[0]),
            )
        keys = keys * project.width + project.sat_index
        counts = np.bincount(keys)
        present = np.flatnonzero(counts)
        money, sat = np.divmod(present, project.width)
        counts = counts[present].astype(np.float64)
        return _Groups(keys, present, counts, money, sat, self.amounts_f[money], project.sat_f[sat])

    def errors_of(self, groups: _Groups) -> tuple[np.ndarray, np.ndarray]:
        """Each group's money's error bound, widened past its own rounding, and that times
        the group's size."""
        errors = self.errors[groups.money] * (1 + 1e-9) + FLOOR
        return errors, errors * groups.counts

    def spending(
        self, groups: _Groups, errors: tuple[np.ndarray, np.ndarray], prices: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Bounds on what the supporters would pay at each price (all they have at inf). Only
        the groups that may pay all they have carry their money's error: the others pay
        price × satisfaction, off by roundings only."""
        dues = prices[:, None] * groups.sat_f
        spent = np.minimum(groups.money_f, dues) @ groups.counts
        doubt = (groups.money_f - errors[0] <= dues * (1 + 4 * ULP)) @ errors[1]
        rel = (len(groups.counts) + 16) * ULP
        return spent * (1 - rel) - doubt * (1 + 1e-9), spent * (1 + rel) + doubt * (1 + 1e-9)

    def price(
        self,
        project: _Project,
        groups: _Groups,
        errors: tuple[np.ndarray, np.ndarray],
        ratio: np.ndarray,
        guess: float,
    ) -> tuple[float, float]:
        """(low, high) with low < the exact price <= high: at low the supporters certainly
        pay less than the cost, at high at least the cost. The float guess is widened by
        about the doubt on the spending there (an estimate: the bounds are checked)."""
        paying = ratio >= guess
        weight = float(groups.sat_f[paying] @ groups.counts[paying])
        if not weight > 0:
            raise _Undecided
        doubt = float(errors[1][~paying].sum())
        rel = (len(groups.counts) + 16) * ULP
        width = 3 * (rel * project.cost_f + doubt) / (guess * weight) + 16 * ULP
        cost_low, cost_high = project.cost_f * (1 - 4 * ULP), project.cost_f * (1 + 4 * ULP)
        for _ in range(4):
            low, high = guess * (1 - width), guess * (1 + width)
            least, most = self.spending(groups, errors, np.asarray([low, high]))
            if most[0] < cost_low and least[1] >= cost_high:
                return low, high
            width *= 8
        raise _Undecided

    def contest(
        self, project: _Project, groups: _Groups, best_high: float | None
    ) -> tuple[float, float | None]:
        """The bounds of the project's price; when it is certainly above `best_high` (its
        supporters would pay less than its cost a little under the float guess, which is
        above best_high), a lower bound and None. Raises _Unaffordable when they certainly no
        longer have its cost."""
        errors = self.errors_of(groups)
        available = float(groups.money_f @ groups.counts)
        doubt = float(errors[1].sum()) * (1 + 1e-9)
        rel = (len(groups.counts) + 16) * ULP
        cost_low, cost_high = project.cost_f * (1 - 4 * ULP), project.cost_f * (1 + 4 * ULP)
        if available * (1 + rel) + doubt < cost_low:
            raise _Unaffordable
        if available * (1 - rel) - doubt < cost_high:
            raise _Undecided
        with np.errstate(all="ignore"):
            ratio = groups.money_f / groups.sat_f
            guess = _float_price(groups, ratio, project.cost_f)
        if not 0 < guess < float("inf"):
            raise _Undecided
        bound = guess * (1 - WINDOW)
        if (
            best_high is not None
            and bound > best_high
            and self.spending(groups, errors, np.asarray([bound]))[1][0] < cost_low
        ):
            return bound, None
        return self.price(project, groups, errors, ratio, guess)

    def available(self, voters: np.ndarray) -> np.ndarray:
        """Each voter's money, raised by its error: at least the exact amount."""
        ids = self.of_voter[voters]
        money: np.ndarray = self.amounts_f[ids] * (1 + 4 * ULP) + self.errors[ids] * (1 + 1e-9)
        return money + FLOOR

    def pay(self, project: _Project, groups: _Groups, low: float, high: float) -> None:
        """Supporters pay a price between low and high (the exact one is there): each amount
        then moves by at most (high - low) × satisfaction from the exact one, plus roundings
        of at most a few ULP of the share (a supporter paying all it has ends near 0, and
        this bound covers it whether it was short or not). Groups certainly short even at
        low (their money, raised by its error, below low × satisfaction) pay all they have
        and hold exactly nothing: they join id 0."""
        price = (low + high) / 2
        left = np.maximum(groups.money_f - price * groups.sat_f, 0.0)
        error = self.errors[groups.money] + (high - low) * groups.sat_f
        error = error * (1 + 1e-9) + 8 * ULP * self.share + FLOOR
        errors = self.errors[groups.money] * (1 + 1e-9) + FLOOR
        positive = groups.money_f + errors >= low * groups.sat_f * (1 - 4 * ULP)
        start, end = self.size, self.size + int(positive.sum())
        if end > len(self.amounts_f):
            self.amounts_f = np.resize(self.amounts_f, 2 * end)
            self.errors = np.resize(self.errors, 2 * end)
        self.amounts_f[start:end] = left[positive]
        self.errors[start:end] = error[positive]
        self.size = end
        ids = np.zeros(len(left), dtype=np.int64)
        ids[positive] = np.arange(start, end)
        mapping = np.zeros(int(groups.present[-1]) + 1, dtype=np.int64)
        mapping[groups.present] = ids
        self.of_voter[project.voters] = mapping[groups.keys]


def _bounded_choice(
    projects: dict[str, _Project],
    active: set[str],
    lower: dict[str, float],
    wallets: _Bounds,
    sweep: _Sweep,
) -> tuple[str, float, float, _Groups] | None:
    """As `_choose`, on float bounds: the project whose price is certainly below every
    other's, or None if none is affordable; raises _Undecided on a near tie."""
    best: tuple[str, float, float, _Groups] | None = None
    for tried, pid in enumerate(sorted(active, key=lower.__getitem__)):
        if best is not None and lower[pid] > best[2]:
            break
        if tried == SWEEP_AFTER:
            sweep(active, wallets)
        if pid not in active:
            continue
        project = projects[pid]
        groups = wallets.groups(project)
        try:
            low, high = wallets.contest(project, groups, None if best is None else best[2])
        except _Unaffordable:
            active.discard(pid)
            continue
        lower[pid] = max(lower[pid], low)
        if high is None:  # certainly above the best
            continue
        if best is None or high < best[1]:
            best = (pid, low, high, groups)
        elif low <= best[2]:
            raise _Undecided  # the two may cost the same: only the exact run can tell
    return best


def _bounded_run(
    election: Election,
    projects: dict[str, _Project],
    share: Q,
    rank: dict[str, int],
    limit: Q,
) -> list[str]:
    """The projects MES chooses with every voter starting with `share`, in order, found with
    float bounds only (stopping once they cost more than `limit`); raises _Undecided when the
    floats cannot settle a choice. Exact MES would choose the same: each choice is one whose
    price is certainly below every other's."""
    active = {pid for pid, p in projects.items() if p.cost > 0 and p.total > 0}
    if not _in_range(share) or not all(projects[pid].floats for pid in active):
        raise _Undecided
    order = sorted(projects, key=rank.__getitem__)
    chosen = [pid for pid in order if projects[pid].cost == 0 and projects[pid].total > 0]
    lower = {pid: projects[pid].cost_f / float(projects[pid].total) * (1 - 1e-12) for pid in active}
    wallets = _Bounds(len(election.ballots), float(share))
    sweep = _Sweep(projects, active)
    spent = ZERO
    while (best := _bounded_choice(projects, active, lower, wallets, sweep)) is not None:
        pid, low, high, groups = best
        wallets.pay(projects[pid], groups, low, high)
        chosen.append(pid)
        active.discard(pid)
        spent += projects[pid].cost
        if spent > limit:
            break
    return chosen
