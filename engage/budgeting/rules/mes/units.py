"""Add1 one unit at a time, as pabulib defines it, without running MES once per unit.

Voters with the same ballot start with the same share and so hold the same money throughout:
they form one group. Given the choices a run makes — at each step, which projects are
affordable, which groups pay all they have for each, and which project is bought — every
amount of money is an affine function of the starting share, and every condition behind those
choices is an affine inequality in it. So if two shares give the same choices, every share
between them does too (an affine inequality that holds at both ends of an interval holds
inside it). The search below only runs MES at shares where that can change: doubling its
stride while the choices stay the same, and halving back to the first share where they do
not. It gives exactly what a run at every unit would."""

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from gmpy2 import mpq as Q

from engage.budgeting.rules.election import Election, Satisfaction

# One step of a run: the project bought, and for each affordable project the groups that would
# pay all they have for it.
Step = tuple[str, tuple[tuple[str, frozenset[int]], ...]]
Trace = tuple[Step, ...]  # the choices a run made, comparable between shares
MOST_WORK = 400_000  # groups × projects past which the plain unit-by-unit search is used


@dataclass
class _Ballots:
    """Distinct ballots (groups) with how many voters cast each, and per project its cost and
    its supporters' groups and satisfactions."""

    counts: list[int]
    costs: dict[str, Q]
    support: dict[str, list[tuple[int, Q]]]  # pid -> [(group, satisfaction)]

    @property
    def work(self) -> int:
        return len(self.counts) * max(len(self.costs), 1)


def group_ballots(election: Election, satisfaction: Satisfaction) -> _Ballots:
    index: dict[tuple[tuple[str, Fraction], ...], int] = {}
    counts: list[int] = []
    support: dict[str, list[tuple[int, Q]]] = {pid: [] for pid in election.costs}
    for ballot in election.ballots:
        key = tuple(sorted((pid, v) for pid, v in ballot.items() if v > 0))
        if key not in index:
            index[key] = len(counts)
            counts.append(0)
            for pid, value in key:
                support[pid].append((index[key], _sat(election, satisfaction, pid, value)))
        counts[index[key]] += 1
    costs = {pid: Q(cost) for pid, cost in election.costs.items()}
    return _Ballots(counts, costs, support)


def _sat(election: Election, satisfaction: Satisfaction, pid: str, value: Fraction) -> Q:
    if satisfaction is Satisfaction.POINTS:
        return Q(value)
    return Q(election.costs[pid]) if satisfaction is Satisfaction.COST else Q(1)


def _price(ballots: _Ballots, pid: str, money: list[Q]) -> tuple[Q, frozenset[int]] | None:
    """The price per unit of satisfaction and the groups that pay all they have, or None if
    the supporters cannot afford the project."""
    cost, supporters = ballots.costs[pid], ballots.support[pid]
    if sum((money[g] * ballots.counts[g] for g, _ in supporters), Q(0)) < cost:
        return None
    paid, weight = Q(0), sum((s * ballots.counts[g] for g, s in supporters), Q(0))
    capped: list[int] = []
    for g, s in sorted(supporters, key=lambda gs: (money[gs[0]] / gs[1], gs[0])):
        price = (cost - paid) / weight
        if price * s <= money[g]:
            return price, frozenset(capped)
        paid += money[g] * ballots.counts[g]
        weight -= s * ballots.counts[g]
        capped.append(g)
    return None  # unreachable when affordable


def traced_run(ballots: _Ballots, share: Q, rank: dict[str, int]) -> tuple[list[str], Trace]:
    """MES with every voter starting with `share`: the projects bought, and its choices."""
    money = [share] * len(ballots.counts)
    chosen = sorted(
        (p for p, c in ballots.costs.items() if c == 0 and ballots.support[p]),
        key=rank.__getitem__,
    )
    left = {p for p, c in ballots.costs.items() if c > 0 and ballots.support[p]}
    trace: list[Step] = []
    while left:
        prices = {pid: _price(ballots, pid, money) for pid in sorted(left)}
        affordable = {pid: found for pid, found in prices.items() if found is not None}
        if not affordable:
            break
        best = min(affordable, key=lambda pid: (affordable[pid][0], rank[pid]))
        trace.append((best, tuple((pid, found[1]) for pid, found in sorted(affordable.items()))))
        price, capped = affordable[best]
        for g, s in ballots.support[best]:
            money[g] = Q(0) if g in capped else money[g] - price * s
        chosen.append(best)
        left.discard(best)
        left -= {pid for pid in left if pid not in affordable}  # money only falls
    return chosen, tuple(trace)


def last_fitting(
    ballots: _Ballots,
    voters: int,
    start: int,
    rank: dict[str, int],
    fits: Callable[[list[str]], bool],
) -> int:
    """How many units (k) each voter's share is raised by, from `start` / voters, at the last
    raise before the first whose outcome does not fit; 0 if the first does not."""

    def run(k: int) -> tuple[list[str], Trace]:
        return traced_run(ballots, Q(start + voters * k, voters), rank)

    first, trace = run(1)
    if not fits(first):
        return 0
    low, stride = 1, 1
    while True:
        high = low + stride
        if run(high)[1] == trace:  # the same choices at both ends: at every unit between too
            low, stride = high, stride * 2
            continue
        while high - low > 1:  # the first unit where the choices change
            middle = (low + high) // 2
            if run(middle)[1] == trace:
                low = middle
            else:
                high = middle
        chosen, trace = run(high)
        if not fits(chosen):
            return low
        low, stride = high, 1
