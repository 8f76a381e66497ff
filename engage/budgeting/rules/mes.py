"""The Method of Equal Shares (MES): the budget is split equally between voters; a project is
bought by its supporters, each paying in proportion to how much they value it (`price` per
unit of satisfaction) or everything they have left; at each step the project with the lowest
price is funded. With Add1, the voters' shares are raised 1% at a time while the outcome still
fits the real budget, then the greedy rule fills what is left.

Exact: all money is held as fractions, as the reference implementation (pabutools) does.
Fast: voters with the same money left and the same satisfaction are handled as one group, so
the work per step grows with the number of distinct amounts, not the number of voters. Each
amount also has a float copy, used only to skip exact work whose outcome is certain: a float
sum of n non-negative terms is within n × 2^-53 of the exact one, so a project whose float
spending is further than TOLERANCE from its cost is certainly short of (or over) it; and every
price comes from exact fractions, its float guess checked exactly before it is trusted.

Add1 re-runs MES for every 1% raise but keeps only one run's outcome; the others only need
which projects they choose. Those runs hold floats only, each amount with a bound on its
distance from the exact one (see `_Bounds`), and settle a choice only when the bounds prove
it: every price is bracketed, and the winner's bracket lies wholly below every other's. When
they cannot (a near or exact tie), that raise is run exactly; the kept raise is always re-run
exactly, for its prices and steps."""

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

TOLERANCE = 1e-9  # relative: more than a float sum of 10^6 groups can be off by
WINDOW = 1e-7  # groups whose float price ratio is this close to the guess are sorted exactly
SLACK = 1e-12  # relative widening of a float bound so that it holds for the exact value
TINY = 1e-280  # absolute widening, for floats near the bottom of their range
RANGE = (1e-30, 1e30)  # floats are used only when costs, satisfactions and shares lie here
SWEEP_AFTER = 6  # projects tried in one step before the unaffordable ones are swept out at once
ZERO = Q(0)


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
        return self.amounts[ids].tolist()

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


def _affordable(project: _Project, groups: _Groups, wallets: _Wallets) -> bool:
    """Whether the supporters have the project's cost between them (exact when it is close)."""
    if project.floats and wallets.floats:
        available = float(groups.money_f @ groups.counts)
        if available < project.cost_f * (1 - TOLERANCE):
            return False
        if available > project.cost_f * (1 + TOLERANCE):
            return True
    return wallets.available(groups) >= project.cost


def _float_price(groups: _Groups, ratio: np.ndarray, cost: float) -> float:
    """The price as pabutools finds it (groups by money per satisfaction), in floats."""
    order = np.argsort(ratio)
    money, sat = groups.money_f[order], groups.sat_f[order]
    counts = groups.counts[order]
    spent = money * counts
    paid = np.cumsum(spent) - spent
    weight = np.cumsum((sat * counts)[::-1])[::-1]
    prices = (cost - paid) / weight
    fits = prices * sat <= money
    return float(prices[np.argmax(fits)]) if fits.any() else float("nan")


def _weight(project: _Project, groups: _Groups, mask: np.ndarray) -> Q:
    """The total satisfaction of the groups in `mask`, exactly."""
    counts = np.bincount(groups.sat[mask], weights=groups.counts[mask], minlength=project.width)
    return sum(
        (value * int(count) for value, count in zip(project.sat_values, counts, strict=True)), ZERO
    )


def _bounds_hold(ratio: np.ndarray, capped: np.ndarray, above: np.ndarray, price: Q) -> bool:
    """Every group in `capped` has at most `price` per unit of satisfaction, every one in
    `above` at least: their float ratios, widened past any rounding, bound the exact ones."""
    if capped.any():
        low = float(ratio[capped].max()) * (1 + SLACK) + TINY
        if Q(low) > price:
            return False
    if above.any():
        high = float(ratio[above].min()) * (1 - SLACK) - TINY
        if Q(high) < price:
            return False
    return True


def _walk(close: list[tuple[Q, Q, int]], cost: Q, paid: Q, weight: Q) -> tuple[Q | None, int]:
    """pabutools' search over the groups near the price, sorted exactly: the price and how many
    of them pay all they have (None if no one is left to pay a share)."""
    for index, (money, sat, count) in enumerate(close):
        price = (cost - paid) / weight
        if price * sat <= money:
            return price, index
        paid += money * count
        weight -= sat * count
    return ((cost - paid) / weight if weight > 0 else None), len(close)


def _guided_price(project: _Project, groups: _Groups, amounts: np.ndarray) -> Q | None:
    """The exact price, found from a float guess: groups far below it certainly pay all they
    have, groups far above it their share, and those near it are sorted exactly. The result is
    checked exactly (every group paying all has at most the price per unit of satisfaction,
    every other at least: then it is the one price at which they pay the cost); None if the
    guess was too poor for that (then the plain exact search is used)."""
    with np.errstate(all="ignore"):
        ratio = groups.money_f / groups.sat_f
        guess = _float_price(groups, ratio, project.cost_f)
    if not 0 < guess < float("inf"):
        return None
    capped = ratio < guess * (1 - WINDOW)
    above = ratio > guess * (1 + WINDOW)
    paid = Q(amounts[groups.money[capped]] @ groups.counts[capped])
    near = ~(capped | above)
    close = [
        (money, project.sat_values[s], c)
        for money, s, c in zip(
            amounts[groups.money[near]].tolist(),
            groups.sat[near].tolist(),
            groups.counts[near].tolist(),
            strict=True,
        )
    ]
    close.sort(key=lambda g: g[0] / g[1])
    price, split = _walk(close, project.cost, paid, _weight(project, groups, ~capped))
    if price is None:
        return None
    below_ok = all(money <= price * sat for money, sat, _ in close[:split])
    above_ok = all(money >= price * sat for money, sat, _ in close[split:])
    if below_ok and above_ok and _bounds_hold(ratio, capped, above, price):
        return price
    return None


def _exact_price(project: _Project, groups: _Groups, wallets: _Wallets) -> Q:
    """The price of a project its supporters can afford, exactly."""
    if project.floats and wallets.floats:
        found = _guided_price(project, groups, wallets.amounts)
        if found is not None:
            return found
    found = _price(groups.exact(project, wallets.amounts), project.cost)
    assert found is not None  # they can afford it
    return found


def _lower_bound(project: _Project, groups: _Groups, best: Q) -> Q:
    """A price below the project's own, which is known to be above `best`: a little under the
    float guess when the floats prove the supporters would fall short there, else `best`."""
    with np.errstate(all="ignore"):
        guess = _float_price(groups, groups.money_f / groups.sat_f, project.cost_f)
    bound = guess * (1 - WINDOW)
    if not 0 < bound < float("inf") or Q(bound) <= best:
        return best
    if groups.spend_f(bound) < project.cost_f * (1 - TOLERANCE):
        return Q(bound)
    return best


def _contest(
    project: _Project, groups: _Groups, wallets: _Wallets, best: Q | None, lower: dict[str, Q]
) -> Q | None:
    """The project's exact price if it may be at most `best`, else None; either way records a
    lower bound of its price in `lower`. The floats settle most projects that cost more: at
    `best` their supporters would pay less than the cost."""
    floats = best is not None and project.floats and wallets.floats
    if floats and groups.spend_f(float(best)) < project.cost_f * (1 - TOLERANCE):
        lower[project.pid] = _lower_bound(project, groups, best)
        return None
    price = _exact_price(project, groups, wallets)
    lower[project.pid] = price
    return price


@dataclass
class _Best:
    price: Q
    pid: str
    groups: _Groups


class _Sweep:
    """One pass over every supporter of the `active` projects (those whose cost and
    satisfactions lie in RANGE) that drops the projects whose supporters certainly no longer
    have the cost between them: money only falls, so they never will again."""

    def __init__(self, projects: dict[str, _Project], active: set[str]) -> None:
        self.pids = [pid for pid in sorted(active) if projects[pid].floats]
        sizes = [len(projects[pid].voters) for pid in self.pids]
        self.voters = np.concatenate([projects[pid].voters for pid in self.pids] or [[]])
        self.starts = (np.cumsum(sizes) - sizes).astype(np.int64)
        self.sizes = np.asarray(sizes, dtype=np.float64)
        self.costs = np.asarray([projects[pid].cost_f for pid in self.pids]) * (1 - TOLERANCE)

    def __call__(self, active: set[str], wallets: "_Wallets | _Bounds") -> None:
        if not self.pids or not getattr(wallets, "floats", True):
            return
        if isinstance(wallets, _Bounds):  # each amount raised past its error, sum widened
            money = wallets.available(self.voters.astype(np.int64))
            available = np.add.reduceat(money, self.starts) * (1 + (self.sizes + 4) * ULP)
        else:
            money = wallets.amounts_f[wallets.of_voter[self.voters.astype(np.int64)]]
            available = np.add.reduceat(money, self.starts)
        for index in np.flatnonzero(available < self.costs).tolist():
            active.discard(self.pids[index])


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


class _Undecided(Exception):
    """The floats of a bounded run cannot settle a choice: the raise is run exactly instead."""


class _Unaffordable(Exception):
    """The project's supporters certainly no longer have its cost between them."""


ULP = 2.0**-52  # a float's relative rounding error is at most half of this
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
        return self.amounts_f[ids] * (1 + 4 * ULP) + self.errors[ids] * (1 + 1e-9) + FLOOR

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
    best = None
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
            bounds = wallets.contest(project, groups, None if best is None else best[2])
        except _Unaffordable:
            active.discard(pid)
            continue
        lower[pid] = max(lower[pid], bounds[0])
        if bounds[1] is None:  # certainly above the best
            continue
        if best is None or bounds[1] < best[1]:
            best = (pid, *bounds, groups)
        elif bounds[0] <= best[2]:
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


@dataclass
class _Run:
    """One run of MES: what it chose, its steps, and the wallets at the end."""

    share: Q
    chosen: list[str] = field(default_factory=list)
    steps: list[MESStep] = field(default_factory=list)
    wallets: _Wallets | None = None


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


def _outcome(election: Election, projects: dict[str, _Project], run: _Run, order: list[str]):
    """The run as an outcome, with what the supporters of each unfunded project had left."""
    chosen = set(run.chosen)
    unfunded = [
        Unfunded(
            pid,
            election.costs[pid],
            len(projects[pid].voters),
            _fraction(run.wallets.total(projects[pid])),
        )
        for pid in order
        if pid not in chosen and len(projects[pid].voters)
    ]
    cost = total_cost(election.costs, run.chosen)
    return MESOutcome(run.chosen, cost, _fraction(run.share), run.steps, unfunded)


def _fraction(value: Q) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


def _ranks(projects: dict[str, _Project], tie_break: Callable[[str], object]) -> dict[str, int]:
    return {pid: index for index, pid in enumerate(sorted(projects, key=tie_break))}


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
    rank = _ranks(projects, tie_break)
    run = _run(election, projects, Q(budget) / voters, rank)
    return _outcome(election, projects, run, sorted(projects, key=rank.__getitem__))


def is_exhaustive(election: Election, chosen: list[str]) -> bool:
    """No project left out would still fit in the budget."""
    left = election.budget - total_cost(election.costs, chosen)
    taken = set(chosen)
    return all(pid in taken or cost > left for pid, cost in election.costs.items())


def equal_shares_add1(
    election: Election,
    satisfaction: Satisfaction | None = None,
    tie_break: Callable[[str], object] = lexicographic,
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
    election: Election, satisfaction: Satisfaction, tie_break: Callable[[str], object]
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
