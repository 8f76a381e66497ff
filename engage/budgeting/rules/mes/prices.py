"""The price at which a project's supporters can buy it: exact, found from a float guess
where the floats can be trusted to guide."""

import numpy as np
from gmpy2 import mpq as Q

from engage.budgeting.rules.mes.wallets import (
    SLACK,
    TINY,
    TOLERANCE,
    WINDOW,
    ZERO,
    _Groups,
    _Project,
    _Wallets,
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


def _affordable(project: _Project, groups: _Groups, wallets: _Wallets) -> bool:
    """Whether the supporters have the project's cost between them (exact when it is close)."""
    if project.floats and wallets.floats:
        available = float(groups.money_f @ groups.counts)
        if available < project.cost_f * (1 - TOLERANCE):
            return False
        if available > project.cost_f * (1 + TOLERANCE):
            return True
    return bool(wallets.available(groups) >= project.cost)


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
    floats = project.floats and wallets.floats
    if (
        best is not None
        and floats
        and groups.spend_f(float(best)) < project.cost_f * (1 - TOLERANCE)
    ):
        lower[project.pid] = _lower_bound(project, groups, best)
        return None
    price = _exact_price(project, groups, wallets)
    lower[project.pid] = price
    return price
