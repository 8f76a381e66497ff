"""Ballots and counting, pot by pot. A ballot is checked again on the server whatever the page
allowed; it is stored under a keyed hash of the voter so officers see totals, never who chose
what. Counting is repeatable: the same ballots give the same result and the same export.
A shortlisted project that no one voted for is never funded, whichever rule counts."""

import hashlib
import hmac
import io
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
from engage.budgeting.models import Ballot, BallotType, Participation, Phase, Pot, Round
from engage.budgeting.pots import eligible_ambassadors, eligible_pots
from engage.budgeting.rules import Election, Satisfaction, VoteType
from engage.budgeting.rules.mes import MESOutcome
from engage.budgeting.rules.pabulib import write
from engage.budgeting.rules.tally import tally
from engage.database import transactional
from engage.exporting import SafeWriter
from engage.extensions import db

RECEIPT_ATTEMPTS = 5


def voter_key(user: User, funding_round: Round) -> str:
    """The same for each of the round's pots: a ballot is unique per pot and key."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"pb:{funding_round.id}:{user.id}".encode(), hashlib.sha256).hexdigest()


def ballot_of(user: User, pot: Pot) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(
            Ballot.pot_id == pot.id, Ballot.voter_key == voter_key(user, pot.round)
        )
    )


def new_receipt() -> str:
    """A receipt code no other ballot has (8 characters; retried on the rare clash)."""
    for _attempt in range(RECEIPT_ATTEMPTS):
        code = secrets.token_hex(4).upper()
        if db.session.scalar(select(Ballot.id).where(Ballot.receipt == code)) is None:
            return code
    raise RuntimeError("could not find an unused receipt code")


def fresh_receipts(count: int) -> list[str]:
    """`count` receipt codes, all different and unused (for importing many ballots at once)."""
    taken = set(db.session.scalars(select(Ballot.receipt)))
    codes: list[str] = []
    while len(codes) < count:
        code = secrets.token_hex(4).upper()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def check_ballot(pot: Pot, choices: dict[int, int]) -> None:
    """The ballot type's rules, checked here whatever the page allowed."""
    funding_round = pot.round
    bids = {b.id: b for b in shortlisted(funding_round, pot)}
    if any(bid_id not in bids for bid_id in choices):
        raise RoundError(_("You can only vote for shortlisted projects in this pot"))
    if any(value < 0 for value in choices.values()):
        raise RoundError(_("Points cannot be negative"))
    chosen = {bid_id for bid_id, value in choices.items() if value > 0}
    kind = funding_round.ballot_type
    if kind == BallotType.K_APPROVAL and len(chosen) > (funding_round.max_choices or 0):
        raise RoundError(_("Choose up to %(k)d projects", k=funding_round.max_choices))
    if kind == BallotType.KNAPSACK and sum(bids[b].cost for b in chosen) > pot.amount:
        raise RoundError(
            _(
                "The projects you chose cost more than the £%(pot)s in the pot",
                pot=f"{pot.amount:,}",
            )
        )
    if kind == BallotType.POINTS and sum(choices.values()) > (funding_round.points or 0):
        raise RoundError(_("Spread no more than %(n)d points", n=funding_round.points))
    if kind != BallotType.POINTS and any(value > 1 for value in choices.values()):
        raise RoundError(_("Tick each project at most once"))


@transactional
def cast_ballot(user: User, pot: Pot, choices: dict[int, int]) -> Ballot:
    """Record or replace the ambassador's ballot in a pot; returns it (with its receipt)."""
    funding_round = pot.round
    if user.role != Role.YOUTH_AMBASSADOR:
        raise RoundError(_("Only youth ambassadors vote in this round"))
    if funding_round.phase != Phase.VOTING:
        raise RoundError(_("Voting is not open in this round"))
    if pot not in eligible_pots(user, funding_round):
        raise RoundError(_("You do not vote in this pot: it is for ambassadors in other areas"))
    check_ballot(pot, choices)
    stored = {str(b): v for b, v in sorted(choices.items()) if v > 0}
    ballot = ballot_of(user, pot)
    if ballot is None and voted_on_paper(user, pot):
        raise RoundError(_("You voted on paper in this pot, so you cannot also vote online"))
    if ballot is None:
        ballot = Ballot(
            round_id=funding_round.id,
            pot_id=pot.id,
            voter_key=voter_key(user, funding_round),
            choices=stored,
            receipt=new_receipt(),
        )
        with db.session.no_autoflush:  # both rows are written by the guarded flush below
            _participate(user, pot)
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


def participation(user: User, pot: Pot) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(
            Participation.pot_id == pot.id, Participation.user_id == user.id
        )
    )


def voted_on_paper(user: User, pot: Pot) -> bool:
    taken = participation(user, pot)
    return taken is not None and taken.channel == "paper"


def _participate(user: User, pot: Pot) -> None:
    if participation(user, pot) is None:
        db.session.add(Participation(round_id=pot.round_id, pot_id=pot.id, user_id=user.id))


def turnout(pot: Pot) -> tuple[int, int]:
    """(ambassadors who voted in the pot, ambassadors who could)."""
    voted = (
        db.session.scalar(
            select(func.count(Participation.id)).where(Participation.pot_id == pot.id)
        )
        or 0
    )
    return voted, len(eligible_ambassadors(pot))


def _ballots(pot: Pot) -> list[Ballot]:
    query = select(Ballot).where(Ballot.pot_id == pot.id).order_by(Ballot.receipt)
    return list(db.session.scalars(query))


def election_of(pot: Pot, supported_only: bool = False) -> Election:
    """The pot as an election: shortlisted bids by id, ballots in receipt order (anonymous).
    For counting, projects no one voted for are left out (`supported_only`)."""
    funding_round = pot.round
    ballots = [{pid: Fraction(v) for pid, v in b.choices.items()} for b in _ballots(pot)]
    supported = {pid for ballot in ballots for pid, v in ballot.items() if v > 0}
    bids = [
        b for b in shortlisted(funding_round, pot) if not supported_only or str(b.id) in supported
    ]
    meta = {
        "description": funding_round.title,
        "country": "United Kingdom",
        "unit": current_app.config["PARTNERSHIP_NAME"],
        "instance": str(funding_round.id),
        "rule": "equal-shares" if funding_round.rule == "mes" else "greedy",
    }
    if pot.name:
        meta["subunit"] = pot.name
    return Election(
        costs={str(b.id): Fraction(b.cost) for b in bids},
        budget=Fraction(pot.amount),
        ballots=ballots,
        vote_type=(
            VoteType.CUMULATIVE
            if funding_round.ballot_type == BallotType.POINTS
            else VoteType.APPROVAL
        ),
        meta=meta,
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


def count(pot: Pot, rule: str | None = None) -> Count:
    """Count a pot's ballots with the round's rule (or another, for a "what if"), and the other
    rule beside it."""
    election = election_of(pot, supported_only=True)
    rule = rule or pot.round.rule
    breaker = _tie_break(election.costs)
    sat = Satisfaction.POINTS if election.vote_type == VoteType.CUMULATIVE else Satisfaction.COST
    outcome = _run(election, rule, sat, breaker)
    other = "greedy" if rule == "mes" else "mes"
    other_outcome = _run(election, other, sat, breaker)
    return Count(rule, outcome.selected, outcome.cost, outcome, other, other_outcome.selected)


def _run(election: Election, rule: str, sat: Satisfaction, breaker):
    completion = "add1" if rule == "mes" else "none"
    return tally(election, rule, sat, completion, breaker)


def totals(pot: Pot) -> dict[str, int]:
    """Votes (or points) per shortlisted bid in the pot."""
    result = {str(b.id): 0 for b in shortlisted(pot.round, pot)}
    for ballot in _ballots(pot):
        for pid, value in ballot.choices.items():
            result[pid] = result.get(pid, 0) + int(value)
    return result


def _pounds(value: Fraction) -> float:
    return round(float(value), 2)


def result_record(pot: Pot, counted: Count) -> dict[str, Any]:
    """What is published for one pot: plain numbers (pounds to the penny) for the results page."""
    funding_round, outcome, voted = pot.round, counted.outcome, turnout(pot)
    ballots = _ballots(pot)
    record: dict[str, Any] = {
        "pot_id": pot.id,
        "name": pot.name,
        "amount": pot.amount,
        "rule": counted.rule,
        "selected": counted.selected,
        "cost": int(counted.cost),
        "left": pot.amount - int(counted.cost),
        "totals": totals(pot),
        "ballots": len(ballots),
        "voted": voted[0],
        "eligible": voted[1],
        "other_rule": counted.other_rule,
        "other_selected": counted.other_selected,
        "receipts": sorted(b.receipt for b in ballots),
    }
    if isinstance(outcome, MESOutcome):
        record["share"] = _pounds(outcome.share)
        record["equal_share"] = _pounds(Fraction(pot.amount, max(record["ballots"], 1)))
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


def round_result(funding_round: Round, rule: str | None = None) -> dict[str, Any]:
    """Every pot counted: what the results page shows (or a "what if" with another rule)."""
    pots = [result_record(pot, count(pot, rule)) for pot in funding_round.pots]
    return {
        "rule": rule or funding_round.rule,
        "pots": pots,
        "cost": sum(p["cost"] for p in pots),
        "left": sum(p["left"] for p in pots),
        "selected": [pid for p in pots for pid in p["selected"]],
    }


@transactional
def count_and_record(officer: User, funding_round: Round) -> dict[str, Any]:
    """Close voting and count: the result is kept for publishing."""
    if funding_round.phase != Phase.COUNTING:
        raise RoundError(_("Close voting before counting"))
    funding_round.result = round_result(funding_round)
    return funding_round.result


def export_pb(pot: Pot) -> str:
    """The pot's election as a pabulib file, every shortlisted project included."""
    return write(election_of(pot))


def shuffled(bids: list, seed: int) -> list:
    """The shortlist in an order of the voter's own, the same each time they look."""
    import random

    order = list(bids)
    random.Random(seed * 7919 + len(order)).shuffle(order)
    return order


def results_csv(funding_round: Round) -> str:
    """The published result, one row per shortlisted bid, cells safe in spreadsheets."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["bid_id", "pot", "title", "organisation", "cost", "votes_or_points", "funded"])
    pots = {pot.id: pot for pot in funding_round.pots}
    for record in funding_round.result["pots"]:
        for bid in shortlisted(funding_round, pots[record["pot_id"]]):
            writer.writerow(
                [
                    bid.id,
                    record["name"],
                    bid.title,
                    bid.organisation.name,
                    bid.cost,
                    record["totals"].get(str(bid.id), 0),
                    "yes" if str(bid.id) in record["selected"] else "no",
                ]
            )
    return out.getvalue()
