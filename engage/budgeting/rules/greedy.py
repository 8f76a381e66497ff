"""The greedy rule: projects in order of satisfaction per pound (with cost satisfaction, simply
most votes first), or of total satisfaction (`per_cost=False`: most points first, as pabulib
names "greedy" for points ballots); each is funded if it still fits, otherwise skipped."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from engage.budgeting.rules.election import (
    Election,
    Satisfaction,
    TieBreak,
    lexicographic,
    supporters,
    total_cost,
)

INFINITE = float("inf")


@dataclass(frozen=True)
class GreedyStep:
    project: str
    score: Fraction | float  # total satisfaction per unit of cost
    votes: int
    cost: Fraction
    funded: bool
    money_left: Fraction  # after this step


@dataclass
class Outcome:
    selected: list[str]
    cost: Fraction
    steps: list[GreedyStep] = field(default_factory=list)


def density(total: Fraction, cost: Fraction) -> Fraction | float:
    if total > 0:
        return total / cost if cost > 0 else INFINITE
    return Fraction(0)


def greedy(
    election: Election,
    satisfaction: Satisfaction | None = None,
    already: Sequence[str] = (),
    tie_break: TieBreak = lexicographic,
    per_cost: bool = True,
) -> Outcome:
    """Fund projects by satisfaction per pound (or in total), skipping what no longer fits;
    `already` are funded first (completing another rule's outcome)."""
    satisfaction = satisfaction or election.default_satisfaction()
    support = supporters(election, satisfaction)
    chosen = list(already)
    left = election.budget - total_cost(election.costs, chosen)
    candidates = sorted((pid for pid in election.costs if pid not in chosen), key=tie_break)
    rank = {pid: index for index, pid in enumerate(candidates)}
    scores = {
        pid: density(support[pid].total, election.costs[pid]) if per_cost else support[pid].total
        for pid in candidates
    }
    steps = []
    for pid in sorted(candidates, key=lambda p: (-scores[p], rank[p])):
        cost = election.costs[pid]
        funded = cost <= left
        if funded:
            chosen.append(pid)
            left -= cost
        steps.append(GreedyStep(pid, scores[pid], len(support[pid].voters), cost, funded, left))
    return Outcome(chosen, election.budget - left, steps)
