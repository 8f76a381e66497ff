"""Counting, pot by pot. Counting is repeatable: the same ballots give the same result. A
shortlisted project that no one voted for is never funded, whichever rule counts. Until voting
closes nothing here is shown to anyone: officers see turnout only, never a running tally."""

import io
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.budgeting import reasons
from engage.budgeting.logic import RoundError, shortlisted
from engage.budgeting.models import Ballot, BallotType, CountingRule, Phase, Pot, Round
from engage.budgeting.results import (
    GreedyStepRecord,
    MESStepRecord,
    PotResult,
    RoundResult,
    UnfundedRecord,
)
from engage.budgeting.rules import Election, Satisfaction, VoteType
from engage.budgeting.rules.election import TieBreak
from engage.budgeting.rules.greedy import Outcome, greedy
from engage.budgeting.rules.mes import MESOutcome, equal_shares_add1_units
from engage.budgeting.rules.mes.payments import payments
from engage.budgeting.voting import turnout
from engage.database import transactional
from engage.exporting import SafeWriter
from engage.extensions import db


def ballots_of(pot: Pot) -> list[Ballot]:
    """The pot's ballots in an order that says nothing about who cast them or when: by what
    they chose (ballots that chose the same cannot be told apart anyway)."""
    ballots = list(db.session.scalars(select(Ballot).where(Ballot.pot_id == pot.id)))
    return sorted(ballots, key=lambda b: sorted(b.choices.items()))


def election_of(pot: Pot, supported_only: bool = False) -> Election:
    """The pot as an election: shortlisted bids by id, anonymous ballots. Empty ballots (people
    who took part but chose nothing) are not in it: they back nothing and would only hold a
    share no project could use. For counting, and in the published file, projects no one voted
    for are left out (`supported_only`)."""
    funding_round = pot.round
    ballots = [
        {pid: Fraction(v) for pid, v in b.choices.items()} for b in ballots_of(pot) if b.choices
    ]
    supported = {pid for ballot in ballots for pid, v in ballot.items() if v > 0}
    bids = [
        b for b in shortlisted(funding_round, pot) if not supported_only or str(b.id) in supported
    ]
    return Election(
        costs={str(b.id): Fraction(b.cost) for b in bids},
        budget=Fraction(pot.amount),
        ballots=ballots,
        vote_type=(
            VoteType.CUMULATIVE
            if funding_round.ballot_type == BallotType.POINTS
            else VoteType.APPROVAL
        ),
        project_meta={str(b.id): {"name": b.title} for b in bids},
    )


def tie_break(election: Election) -> TieBreak:
    """Lowest cost first, then the most supporters, then the bid number: what the round tells
    its voters (and how pabulib's checker breaks a tie under equal shares)."""
    backers = {pid: 0 for pid in election.costs}
    for ballot in election.ballots:
        for pid, value in ballot.items():
            backers[pid] += value > 0
    return lambda pid: (election.costs[pid], -backers[pid], pid.zfill(12))


@dataclass
class Count:
    rule: CountingRule
    outcome: Outcome | MESOutcome
    other_rule: CountingRule
    other_selected: list[str]
    election: Election

    @property
    def selected(self) -> list[str]:
        return self.outcome.selected

    @property
    def cost(self) -> Fraction:
        return self.outcome.cost


def mes_satisfaction(election: Election) -> Satisfaction:
    """Equal shares values a project by its cost (ticks) or by the points given to it."""
    points = election.vote_type == VoteType.CUMULATIVE
    return Satisfaction.POINTS if points else Satisfaction.COST


def run_rule(election: Election, rule: CountingRule) -> Outcome | MESOutcome:
    """Equal shares with Add1 as pabulib names it, or the greedy rule: most votes (or points)
    first. Both are what pabulib's checker re-counts a published file with."""
    breaker = tie_break(election)
    points = election.vote_type == VoteType.CUMULATIVE
    if rule == CountingRule.MES:
        return equal_shares_add1_units(election, mes_satisfaction(election), breaker)
    sat = Satisfaction.POINTS if points else Satisfaction.CARDINALITY
    return greedy(election, sat, tie_break=breaker, per_cost=False)


def count(pot: Pot, rule: CountingRule | None = None) -> Count:
    """Count a pot's ballots with the round's rule (or another, for a "what if"), and the other
    rule beside it."""
    election = election_of(pot, supported_only=True)
    rule = CountingRule(rule or pot.round.rule)
    other = rule.other
    return Count(
        rule, run_rule(election, rule), other, run_rule(election, other).selected, election
    )


def totals(pot: Pot) -> dict[str, int]:
    """Votes (or points) per shortlisted bid in the pot."""
    result = {str(b.id): 0 for b in shortlisted(pot.round, pot)}
    for ballot in ballots_of(pot):
        for pid, value in ballot.choices.items():
            result[pid] = result.get(pid, 0) + int(value)
    return result


def _pounds(value: Fraction) -> float:
    return round(float(value), 2)


def _mes_details(pot: Pot, counted: Count, outcome: MESOutcome, record: PotResult) -> None:
    points = pot.round.ballot_type == BallotType.POINTS
    paid = payments(counted.election, mes_satisfaction(counted.election), outcome)
    record.share = _pounds(outcome.share)
    record.equal_share = _pounds(Fraction(pot.amount, max(len(counted.election.ballots), 1)))
    record.steps = [
        MESStepRecord(
            s.project,
            s.supporters,
            s.paid_share,
            s.paid_all_left,
            int(s.cost),
            _pounds(s.price * (1 if points else s.cost)),
            reasons.payment_groups(groups),
        )
        for s, groups in zip(outcome.steps, paid.steps, strict=True)
    ]
    record.unfunded = [
        UnfundedRecord(u.project, u.supporters, int(u.cost), _pounds(u.money_left))
        for u in outcome.unfunded
        if u.project not in outcome.selected
    ]
    record.completed_by_greedy = outcome.completed_by_greedy
    assert record.why_not is not None
    record.why_not += reasons.mes_reasons(counted.election, outcome.selected, paid.spending)


def pot_result(pot: Pot, counted: Count) -> PotResult:
    """What is published for one pot: plain numbers (pounds to the penny), and what explains
    them (why each project not funded lost, how many voters backed a winner)."""
    voted, eligible = turnout(pot)
    ballots = ballots_of(pot)
    election = counted.election
    record = PotResult(
        pot_id=pot.id,
        name=pot.name,
        amount=pot.amount,
        rule=counted.rule.value,
        selected=counted.selected,
        cost=int(counted.cost),
        left=pot.amount - int(counted.cost),
        totals=totals(pot),
        ballots=len(ballots),
        voted=voted,
        eligible=eligible,
        other_rule=counted.other_rule.value,
        other_selected=counted.other_selected,
        receipts=sorted(b.receipt for b in ballots),
        why_not=reasons.unvoted([str(b.id) for b in shortlisted(pot.round, pot)], election),
        choosers=len(election.ballots),
        backed_funded=reasons.backed_funded(election, counted.selected),
        other_backed_funded=reasons.backed_funded(election, counted.other_selected),
    )
    if isinstance(counted.outcome, MESOutcome):
        _mes_details(pot, counted, counted.outcome, record)
    else:
        record.steps = [
            GreedyStepRecord(s.project, s.votes, int(s.cost), s.funded, _pounds(s.money_left))
            for s in counted.outcome.steps
        ]
        assert record.why_not is not None
        record.why_not += reasons.greedy_reasons(election, counted.outcome)
    return record


def round_result(funding_round: Round, rule: CountingRule | None = None) -> RoundResult:
    """Every pot counted: what the results page shows (or a "what if" with another rule)."""
    rule = CountingRule(rule or funding_round.rule)
    return RoundResult(
        rule.value, [pot_result(pot, count(pot, rule)) for pot in funding_round.pots]
    )


def what_if(funding_round: Round, rule: CountingRule) -> RoundResult:
    """The ballots counted another way, without publishing: only once voting has closed, so no
    one sees would-be winners while people are still voting."""
    if not Phase(funding_round.phase).reached(Phase.COUNTING):
        raise RoundError(_("Votes can be counted another way once voting has closed"))
    return round_result(funding_round, rule)


@transactional
def count_and_record(officer: User, funding_round: Round) -> RoundResult:
    """Count once voting has closed: the result is kept for publishing."""
    if funding_round.phase != Phase.COUNTING:
        raise RoundError(_("Close voting before counting"))
    counted = round_result(funding_round)
    funding_round.result = counted.to_json()
    return counted


def results_csv(funding_round: Round) -> str:
    """The published result, one row per shortlisted bid, cells safe in spreadsheets. It holds
    totals only: no ballot, voter or receipt."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["bid_id", "pot", "title", "organisation", "cost", "votes_or_points", "funded"])
    pots = {pot.id: pot for pot in funding_round.pots}
    counted = funding_round.counted
    assert counted is not None  # only a published round's results are downloaded
    for record in counted.pots:
        for bid in shortlisted(funding_round, pots[record.pot_id]):
            writer.writerow(
                [
                    bid.id,
                    record.name,
                    bid.title,
                    bid.organisation.name,
                    bid.cost,
                    record.totals.get(str(bid.id), 0),
                    "yes" if str(bid.id) in record.selected else "no",
                ]
            )
    return out.getvalue()
