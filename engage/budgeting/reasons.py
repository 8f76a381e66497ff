"""Why each shortlisted project was or was not funded, and who paid for those that were: read
from the count's own record (its steps, and for equal shares its payments replayed), kept with
the result as typed records. Plain Python: the words are chosen when the result is shown."""

from collections import defaultdict
from fractions import Fraction

from engage.budgeting.results import PaymentGroup, WhyNot, WhyNotRecord
from engage.budgeting.rules import Election
from engage.budgeting.rules.greedy import Outcome
from engage.budgeting.rules.mes.payments import GroupPayment, Spending

MOST_GROUPS = 3  # payment amounts shown one by one (per kind of payer); the rest as a range


def _pounds(value: Fraction) -> float:
    return round(float(value), 2)


def backers(election: Election) -> dict[str, int]:
    """How many ballots back each project."""
    counts = dict.fromkeys(election.costs, 0)
    for ballot in election.ballots:
        for pid, value in ballot.items():
            counts[pid] += value > 0
    return counts


def backed_funded(election: Election, selected: list[str]) -> int:
    """How many ballots back at least one of the projects selected."""
    chosen = set(selected)
    return sum(any(v > 0 and pid in chosen for pid, v in b.items()) for b in election.ballots)


def unvoted(shortlist: list[str], election: Election) -> list[WhyNotRecord]:
    """The shortlisted projects no one voted for (they are left out of the count)."""
    return [
        WhyNotRecord(pid, WhyNot.NO_VOTES, 0, 0, 0.0)
        for pid in shortlist
        if pid not in election.costs
    ]


def mes_reasons(
    election: Election, selected: list[str], spending: dict[str, Spending]
) -> list[WhyNotRecord]:
    """Equal shares: each project not bought either cost more than the pot, or its backers'
    shares never added up to it, or they had spent them on projects bought before it (or it
    cost nothing: valued by cost, as ticks are, it is worth nothing to the rule)."""
    found = []
    for pid, spent in spending.items():
        if pid in selected:
            continue
        cost = int(spent.cost)
        if spent.cost == 0:
            reason = WhyNot.FREE
        elif spent.cost > election.budget:
            reason = WhyNot.TOO_DEAR
        elif spent.steps == 0:
            reason = WhyNot.FEW_BACKERS
        else:
            reason = WhyNot.SPENT
        went_to = sorted(spent.paid_to, key=lambda bought: (-spent.paid_to[bought], bought))
        found.append(
            WhyNotRecord(
                pid, reason, spent.backers, cost, _pounds(spent.money), spent.spenders, went_to
            )
        )
    return found


def greedy_reasons(election: Election, outcome: Outcome) -> list[WhyNotRecord]:
    """Most votes first: each project skipped cost more than the pot, or more than was left
    once the projects ahead of it (as many votes or more) were funded."""
    found = []
    ahead: list[tuple[str, Fraction | float]] = []
    for step in outcome.steps:
        if step.funded:
            ahead.append((step.project, step.score))
            continue
        reason = WhyNot.TOO_DEAR if step.cost > election.budget else WhyNot.NO_ROOM
        found.append(
            WhyNotRecord(
                step.project,
                reason,
                step.votes,
                int(step.cost),
                _pounds(step.money_left),
                went_to=[pid for pid, _score in ahead],
                tied=any(score == step.score for _pid, score in ahead),
            )
        )
    return found


def payment_groups(paid: list[GroupPayment]) -> list[PaymentGroup]:
    """Who paid what for one project: supporters who paid the same amount together, full parts
    first; past MOST_GROUPS amounts of a kind, the smaller groups as one range."""
    alike: dict[tuple[bool, Fraction], int] = defaultdict(int)
    for payment in paid:
        alike[(payment.all_left, payment.amount)] += payment.voters
    groups = []
    for all_left in (False, True):
        kind = sorted(
            ((amount, people) for (left, amount), people in alike.items() if left == all_left),
            key=lambda item: (-item[1], -item[0]),
        )
        shown = [[one] for one in kind[:MOST_GROUPS]] + (
            [kind[MOST_GROUPS:]] if kind[MOST_GROUPS:] else []
        )
        for part in shown:
            amounts = [amount for amount, _people in part]
            groups.append(
                PaymentGroup(
                    sum(people for _amount, people in part),
                    _pounds(min(amounts)),
                    _pounds(max(amounts)),
                    _pounds(sum((amount * people for amount, people in part), Fraction(0))),
                    all_left,
                )
            )
    return groups
