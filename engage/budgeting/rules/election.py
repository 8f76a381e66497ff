"""An election: projects with costs, a budget, and ballots; and the satisfaction a voter gets
from a project, which is what the rules add up."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from engage.budgeting.rules.bulk import ONE, ApprovalBallots

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

# A sort key for project ids: the order in which ties between them are broken.
TieBreak = Callable[[str], "SupportsRichComparison"]


class VoteType(StrEnum):
    APPROVAL = "approval"
    CHOOSE_1 = "choose-1"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"


class Satisfaction(StrEnum):
    COST = "cost"  # approval: a voter values a project by what it costs
    CARDINALITY = "cardinality"  # approval: every approved project counts 1
    POINTS = "points"  # cumulative: the points the voter gave it (additive cardinal)


@dataclass
class Election:
    """Projects by id (costs as exact fractions), the budget, and one mapping per ballot from
    project id to the voter's points (1 for an approval)."""

    costs: dict[str, Fraction]
    budget: Fraction
    ballots: Sequence[dict[str, Fraction]]  # a list, or ApprovalBallots as parsed in bulk
    vote_type: VoteType = VoteType.APPROVAL
    meta: dict[str, str] = field(default_factory=dict)
    project_meta: dict[str, dict[str, str]] = field(default_factory=dict)
    ballot_meta: Sequence[dict[str, str]] = field(default_factory=list)

    @property
    def project_ids(self) -> list[str]:
        return sorted(self.costs)

    def default_satisfaction(self) -> Satisfaction:
        if self.vote_type in (VoteType.CUMULATIVE, VoteType.SCORING):
            return Satisfaction.POINTS
        return Satisfaction.COST


@dataclass
class Supporters:
    """For one project: who supports it (voter indices) and how much each values it."""

    voters: np.ndarray  # int64 voter indices
    sats: list[Fraction]  # per supporter
    uniform: Fraction | None  # the one satisfaction every supporter has, when it is one

    @property
    def total(self) -> Fraction:
        if self.uniform is not None:
            return self.uniform * len(self.voters)
        return sum(self.sats, Fraction(0))


def supporters(election: Election, satisfaction: Satisfaction) -> dict[str, Supporters]:
    """Each project's supporters with their satisfaction, for the chosen measure."""
    if isinstance(election.ballots, ApprovalBallots):
        return _approvers(election, election.ballots, satisfaction)
    voters: dict[str, list[int]] = {pid: [] for pid in election.costs}
    points: dict[str, list[Fraction]] = {pid: [] for pid in election.costs}
    keep_points = satisfaction is Satisfaction.POINTS
    positive = None  # the last value seen to be positive: parsed ballots share one object
    for index, ballot in enumerate(election.ballots):
        for pid, value in ballot.items():
            if value is positive or value > 0:
                positive = value
                voters[pid].append(index)
                if keep_points:
                    points[pid].append(value)
    result = {}
    for pid, cost in election.costs.items():
        array = np.asarray(voters[pid], dtype=np.int64)
        if satisfaction is Satisfaction.POINTS:
            sats = points[pid]
            uniform = sats[0] if sats and all(s == sats[0] for s in sats) else None
            result[pid] = Supporters(array, sats, uniform)
        else:
            value = cost if satisfaction is Satisfaction.COST else Fraction(1)
            result[pid] = Supporters(array, [], value)
    return result


def _approvers(
    election: Election, ballots: ApprovalBallots, satisfaction: Satisfaction
) -> dict[str, Supporters]:
    """As `supporters`, from the voters each project already holds (every value is 1)."""
    result = {}
    for pid, cost in election.costs.items():
        array = ballots.voters.get(pid, np.zeros(0, dtype=np.int64))
        if satisfaction is Satisfaction.POINTS:
            result[pid] = Supporters(array, [ONE] * len(array), ONE if len(array) else None)
        else:
            value = cost if satisfaction is Satisfaction.COST else Fraction(1)
            result[pid] = Supporters(array, [], value)
    return result


def total_cost(costs: Mapping[str, Fraction], chosen: Sequence[str]) -> Fraction:
    return sum((costs[pid] for pid in chosen), Fraction(0))


def lexicographic(pid: str) -> str:
    """The tie-break the reference (pabutools) uses: project ids in string order."""
    return pid
