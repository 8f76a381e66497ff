"""Who paid what in a run of MES, and where the money of each project's backers went when it
was not bought: so that a result can say why, from the run itself.

A run is fixed by its starting share and the price it bought each project at (both kept in its
outcome): replaying them gives every supporter's payment exactly as the run made it. Voters who
cast the same ballot pay the same throughout, so the replay works per ballot group."""

from dataclasses import dataclass, field
from fractions import Fraction

from gmpy2 import mpq as Q

from engage.budgeting.rules.election import Election, Satisfaction
from engage.budgeting.rules.mes.outcome import MESOutcome
from engage.budgeting.rules.mes.units import group_ballots


@dataclass(frozen=True)
class GroupPayment:
    """What each voter of one ballot group paid for one project."""

    group: int
    voters: int
    amount: Fraction
    all_left: bool  # they could not pay their full part, and gave everything they had left


@dataclass(frozen=True)
class Spending:
    """A project not bought: when its backers stopped having its cost between them, and where
    their money had gone by then."""

    project: str
    backers: int
    cost: Fraction
    steps: int  # projects bought before its backers fell short (0: they never had enough)
    money: Fraction  # what its backers had between them at that point
    spenders: int  # backers who had paid towards a project bought by then
    paid_to: dict[str, Fraction]  # project bought -> what its backers had paid for it by then


@dataclass
class Payments:
    steps: list[list[GroupPayment]] = field(default_factory=list)  # in the order bought
    spending: dict[str, Spending] = field(default_factory=dict)  # per project not bought


class _Watch:
    """The projects not bought whose backers still have their cost between them."""

    def __init__(self, election: Election, backs: dict[str, list[int]], sizes: list[int]):
        self.election, self.backs, self.sizes = election, backs, sizes
        self.paid: list[dict[str, Q]] = [{} for _ in sizes]  # per group: project -> each paid
        self.found: dict[str, Spending] = {}

    def check(self, pids: set[str], money: list[Q], steps: int, last: bool = False) -> None:
        """Record the projects whose backers now have less than their cost (every one left, at
        the `last` step: a finished run stops only when none is affordable)."""
        for pid in sorted(pids):
            total = sum((money[g] * self.sizes[g] for g in self.backs[pid]), Q(0))
            if last or total < self.election.costs[pid]:
                self.found[pid] = self._spending(pid, total, steps)

    def _spending(self, pid: str, money: Q, steps: int) -> Spending:
        paid_to: dict[str, Q] = {}
        spenders = 0
        for g in self.backs[pid]:
            spenders += self.sizes[g] if self.paid[g] else 0
            for bought, amount in self.paid[g].items():
                paid_to[bought] = paid_to.get(bought, Q(0)) + amount * self.sizes[g]
        return Spending(
            pid,
            sum(self.sizes[g] for g in self.backs[pid]),
            self.election.costs[pid],
            steps,
            _fraction(money),
            spenders,
            {bought: _fraction(amount) for bought, amount in paid_to.items()},
        )


def payments(election: Election, satisfaction: Satisfaction, outcome: MESOutcome) -> Payments:
    """Each step of `outcome` paid again (supporters pay price × satisfaction, or all they have
    left when that is less, as the run's wallets do), watching each project not bought."""
    ballots = group_ballots(election, satisfaction)
    backs = {pid: [g for g, _sat in support] for pid, support in ballots.support.items()}
    watch = _Watch(election, backs, ballots.counts)
    money = [Q(outcome.share)] * len(ballots.counts)
    waiting = {pid for pid in election.costs if backs[pid] and pid not in outcome.selected}
    watching: dict[int, set[str]] = {}
    for pid in waiting:
        for g in backs[pid]:
            watching.setdefault(g, set()).add(pid)
    result = Payments()
    watch.check(waiting, money, 0)
    for number, step in enumerate(outcome.steps, start=1):
        price, paid, touched = Q(step.price), [], set()
        for group, sat in ballots.support[step.project]:
            due = price * sat
            short = money[group] < due
            amount = money[group] if short else due
            money[group] -= amount
            watch.paid[group][step.project] = amount
            touched |= watching.get(group, set())
            paid.append(GroupPayment(group, ballots.counts[group], _fraction(amount), short))
        result.steps.append(paid)
        watch.check(touched - set(watch.found), money, number)
    watch.check(waiting - set(watch.found), money, len(outcome.steps), last=True)
    result.spending = {pid: watch.found[pid] for pid in sorted(watch.found)}
    return result


def _fraction(value: Q) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))
