"""Ballots and counting. A ballot is checked again on the server whatever the page allowed;
it is stored under a keyed hash of the voter so officers see totals, never who chose what.
Counting is repeatable: the same ballots give the same result and the same export."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.logic import RoundError, shortlisted
from engage.budgeting.models import Ballot, BallotType, Participation, Phase, Round
from engage.budgeting.rules import Election, Satisfaction, VoteType
from engage.budgeting.rules.mes import MESOutcome
from engage.budgeting.rules.pabulib import write
from engage.budgeting.rules.tally import tally
from engage.database import transactional
from engage.extensions import db


def voter_key(user: User, funding_round: Round) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"pb:{funding_round.id}:{user.id}".encode(), hashlib.sha256).hexdigest()


def ballot_of(user: User, funding_round: Round) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(
            Ballot.round_id == funding_round.id, Ballot.voter_key == voter_key(user, funding_round)
        )
    )


def check_ballot(funding_round: Round, choices: dict[int, int]) -> None:
    """The ballot type's rules, checked here whatever the page allowed."""
    bids = {b.id: b for b in shortlisted(funding_round)}
    if any(bid_id not in bids for bid_id in choices):
        raise RoundError(_("You can only vote for shortlisted projects in this round"))
    if any(value < 0 for value in choices.values()):
        raise RoundError(_("Points cannot be negative"))
    chosen = {bid_id for bid_id, value in choices.items() if value > 0}
    kind = funding_round.ballot_type
    if kind == BallotType.K_APPROVAL and len(chosen) > (funding_round.max_choices or 0):
        raise RoundError(_("Choose up to %(k)d projects", k=funding_round.max_choices))
    if kind == BallotType.KNAPSACK and sum(bids[b].cost for b in chosen) > funding_round.pot:
        raise RoundError(
            _(
                "The projects you chose cost more than the £%(pot)s in the pot",
                pot=f"{funding_round.pot:,}",
            )
        )
    if kind == BallotType.POINTS and sum(choices.values()) > (funding_round.points or 0):
        raise RoundError(_("Spread no more than %(n)d points", n=funding_round.points))
    if kind != BallotType.POINTS and any(value > 1 for value in choices.values()):
        raise RoundError(_("Tick each project at most once"))


@transactional
def cast_ballot(user: User, funding_round: Round, choices: dict[int, int]) -> Ballot:
    """Record or replace the ambassador's ballot; returns it (with its receipt code)."""
    if user.role != Role.YOUTH_AMBASSADOR:
        raise RoundError(_("Only youth ambassadors vote in this round"))
    if funding_round.phase != Phase.VOTING:
        raise RoundError(_("Voting is not open in this round"))
    check_ballot(funding_round, choices)
    stored = {str(b): v for b, v in sorted(choices.items()) if v > 0}
    ballot = ballot_of(user, funding_round)
    if ballot is None and _voted_on_paper(user, funding_round):
        raise RoundError(_("You voted on paper in this round, so you cannot also vote online"))
    if ballot is None:
        ballot = Ballot(
            round_id=funding_round.id,
            voter_key=voter_key(user, funding_round),
            choices=stored,
            receipt=secrets.token_hex(4).upper(),
        )
        with db.session.no_autoflush:  # both rows are written by the guarded flush below
            _participate(user, funding_round)
        db.session.add(ballot)
    else:
        ballot.choices = stored
    try:
        db.session.flush()
    except IntegrityError as error:  # the same ambassador, twice at once: one ballot wins
        raise RoundError(
            _("Your ballot was being saved in another window. Check it and try again.")
        ) from error
    return ballot


def _voted_on_paper(user: User, funding_round: Round) -> bool:
    """A participation with no online ballot behind it was a paper vote."""
    return (
        db.session.scalar(
            select(Participation.id).where(
                Participation.round_id == funding_round.id, Participation.user_id == user.id
            )
        )
        is not None
    )


def _participate(user: User, funding_round: Round) -> None:
    exists = db.session.scalar(
        select(Participation.id).where(
            Participation.round_id == funding_round.id, Participation.user_id == user.id
        )
    )
    if exists is None:
        db.session.add(Participation(round_id=funding_round.id, user_id=user.id))


def turnout(funding_round: Round) -> tuple[int, int]:
    """(ambassadors who voted, ambassadors who could)."""
    voted = (
        db.session.scalar(
            select(func.count(Participation.id)).where(Participation.round_id == funding_round.id)
        )
        or 0
    )
    eligible = (
        db.session.scalar(
            select(func.count(User.id)).where(
                User.role == Role.YOUTH_AMBASSADOR.value, User.active.is_(True)
            )
        )
        or 0
    )
    return voted, eligible


def election_of(funding_round: Round) -> Election:
    """The round as an election: shortlisted bids by id, ballots in receipt order (anonymous)."""
    bids = shortlisted(funding_round)
    ballots = db.session.scalars(
        select(Ballot).where(Ballot.round_id == funding_round.id).order_by(Ballot.receipt)
    ).all()
    points = funding_round.ballot_type == BallotType.POINTS
    return Election(
        costs={str(b.id): Fraction(b.cost) for b in bids},
        budget=Fraction(funding_round.pot),
        ballots=[{pid: Fraction(v) for pid, v in ballot.choices.items()} for ballot in ballots],
        vote_type=VoteType.CUMULATIVE if points else VoteType.APPROVAL,
        meta={
            "description": funding_round.title,
            "country": "United Kingdom",
            "unit": current_app.config["PARTNERSHIP_NAME"],
            "instance": str(funding_round.id),
            "rule": "equal-shares" if funding_round.rule == "mes" else "greedy",
        },
        project_meta={str(b.id): {"name": b.title} for b in bids},
    )


def _tie_break(costs: dict[str, Fraction]):
    """Lowest cost first, then the bid number: what the round tells its voters."""
    return lambda pid: (costs[pid], pid.zfill(12))


@dataclass
class Count:
    rule: str
    selected: list[str]
    cost: Fraction
    outcome: Any
    other_rule: str
    other_selected: list[str]


def count(funding_round: Round, rule: str | None = None) -> Count:
    """Count the ballots with the round's rule (or another, for a "what if"), and the other rule
    beside it."""
    election = election_of(funding_round)
    rule = rule or funding_round.rule
    breaker = _tie_break(election.costs)
    sat = Satisfaction.POINTS if election.vote_type == VoteType.CUMULATIVE else Satisfaction.COST
    outcome = _run(election, rule, sat, breaker)
    other = "greedy" if rule == "mes" else "mes"
    other_outcome = _run(election, other, sat, breaker)
    return Count(rule, outcome.selected, outcome.cost, outcome, other, other_outcome.selected)


def _run(election: Election, rule: str, sat: Satisfaction, breaker):
    completion = "add1" if rule == "mes" else "none"
    return tally(election, rule, sat, completion, breaker)


def totals(funding_round: Round) -> dict[str, int]:
    """Votes (or points) per shortlisted bid."""
    result = {str(b.id): 0 for b in shortlisted(funding_round)}
    for ballot in db.session.scalars(select(Ballot).where(Ballot.round_id == funding_round.id)):
        for pid, value in ballot.choices.items():
            result[pid] = result.get(pid, 0) + int(value)
    return result


def _pounds(value: Fraction) -> float:
    return round(float(value), 2)


def result_record(funding_round: Round, counted: Count) -> dict[str, Any]:
    """What is published: plain numbers (pounds to the penny) for the results page."""
    outcome, voted = counted.outcome, turnout(funding_round)
    record: dict[str, Any] = {
        "rule": counted.rule,
        "selected": counted.selected,
        "cost": int(counted.cost),
        "left": funding_round.pot - int(counted.cost),
        "totals": totals(funding_round),
        "ballots": len(election_of(funding_round).ballots),
        "voted": voted[0],
        "eligible": voted[1],
        "other_rule": counted.other_rule,
        "other_selected": counted.other_selected,
        "receipts": sorted(
            db.session.scalars(select(Ballot.receipt).where(Ballot.round_id == funding_round.id))
        ),
    }
    if isinstance(outcome, MESOutcome):
        record["share"] = _pounds(outcome.share)
        record["equal_share"] = _pounds(Fraction(funding_round.pot, max(record["ballots"], 1)))
        record["steps"] = [
            {
                "project": s.project,
                "supporters": s.supporters,
                "paid_share": s.paid_share,
                "paid_all_left": s.paid_all_left,
                "cost": int(s.cost),
                "each": _pounds(
                    s.price * (s.cost if funding_round.ballot_type != BallotType.POINTS else 1)
                ),
            }
            for s in outcome.steps
        ]
        record["unfunded"] = [
            {
                "project": u.project,
                "supporters": u.supporters,
                "cost": int(u.cost),
                "money_left": _pounds(u.money_left),
            }
            for u in outcome.unfunded
            if u.project not in counted.selected
        ]
        record["completed_by_greedy"] = outcome.completed_by_greedy
    else:
        record["steps"] = [
            {
                "project": s.project,
                "votes": s.votes,
                "cost": int(s.cost),
                "funded": s.funded,
                "money_left": _pounds(s.money_left),
            }
            for s in outcome.steps
        ]
    return record


@transactional
def count_and_record(officer: User, funding_round: Round) -> dict[str, Any]:
    """Close voting and count: the result is kept for publishing."""
    if funding_round.phase != Phase.COUNTING:
        raise RoundError(_("Close voting before counting"))
    funding_round.result = result_record(funding_round, count(funding_round))
    return funding_round.result


def export_pb(funding_round: Round) -> str:
    return write(election_of(funding_round))


def shuffled(bids: list, seed: int) -> list:
    """The shortlist in an order of the voter's own, the same each time they look."""
    import random

    order = list(bids)
    random.Random(seed * 7919 + len(order)).shuffle(order)
    return order
