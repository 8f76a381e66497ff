"""Casting ballots, pot by pot. A ballot is checked again on the server whatever the page
allowed; it is stored under a keyed hash of the voter, with a random id and no time, so officers
see turnout and, once voting closes, totals: never who chose what. Counting is in counting.py."""

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import date
from typing import cast

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Table, and_, bindparam, func, insert, select, update

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.logic import RoundError, once_more_on_clash
from engage.budgeting.models import (
    Ballot,
    BallotType,
    Bid,
    BidStatus,
    Channel,
    Participation,
    Phase,
    Pot,
    Round,
    random_ballot_id,
)
from engage.budgeting.pots import eligible_ambassadors, eligible_pots
from engage.database import transactional
from engage.extensions import db

RECEIPT_ATTEMPTS = 5
_BALLOTS = cast(Table, Ballot.__table__)
_PARTICIPATIONS = cast(Table, Participation.__table__)


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


def receipt_code() -> str:
    """A random receipt code of 8 characters (its ballot's unique rule refuses a clash)."""
    return secrets.token_hex(4).upper()


def new_receipt() -> str:
    """A receipt code no other ballot has (retried on the rare clash)."""
    for _attempt in range(RECEIPT_ATTEMPTS):
        code = receipt_code()
        if db.session.scalar(select(Ballot.id).where(Ballot.receipt == code)) is None:
            return code
    raise RuntimeError("could not find an unused receipt code")


def fresh_receipts(count: int) -> list[str]:
    """`count` receipt codes, all different and unused (for importing many ballots at once)."""
    taken = set(db.session.scalars(select(Ballot.receipt)))
    codes: list[str] = []
    while len(codes) < count:
        code = receipt_code()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def is_empty(choices: dict[int, int]) -> bool:
    """A ballot that chooses nothing: saved only once the voter has said that is what they mean."""
    return not any(value > 0 for value in choices.values())


def check_ballot(
    pot: Pot, choices: dict[int, int], empty: bool = False, costs: dict[int, int] | None = None
) -> None:
    """The ballot type's rules, checked here whatever the page allowed. An empty ballot is
    refused unless `empty` says the voter confirmed it. `costs`: the pot's shortlisted bids'
    costs, when the caller has just read them."""
    funding_round = pot.round
    costs = _shortlisted_costs(pot) if costs is None else costs
    if any(bid_id not in costs for bid_id in choices):
        raise RoundError(_("You can only vote for shortlisted projects in this pot"))
    if any(value < 0 for value in choices.values()):
        raise RoundError(_("Points cannot be negative"))
    chosen = {bid_id for bid_id, value in choices.items() if value > 0}
    if not chosen and not empty:
        raise RoundError(_("Choose at least one project"))
    kind = funding_round.ballot_type
    if kind == BallotType.K_APPROVAL and len(chosen) > (funding_round.max_choices or 0):
        limit = funding_round.max_choices or 0
        raise RoundError(
            ngettext("Choose up to %(num)d project", "Choose up to %(num)d projects", limit)
        )
    if kind == BallotType.KNAPSACK and sum(costs[b] for b in chosen) > pot.amount:
        raise RoundError(
            _(
                "The projects you chose cost more than the £%(pot)s in the pot",
                pot=f"{pot.amount:,}",
            )
        )
    if kind == BallotType.POINTS and sum(choices.values()) > (funding_round.points or 0):
        raise RoundError(
            ngettext(
                "Spread no more than %(num)d point",
                "Spread no more than %(num)d points",
                funding_round.points or 0,
            )
        )
    if kind != BallotType.POINTS and any(value > 1 for value in choices.values()):
        raise RoundError(_("Tick each project at most once"))


# What every ballot runs is built once: built for each ballot, the statements' construction
# and cache keys cost more than running them. Parameters: round, pot, user, key (voter_key).
_SHORTLISTED = and_(
    Bid.round_id == bindparam("round"),
    Bid.pot_id == bindparam("pot"),
    Bid.status == BidStatus.SHORTLISTED.value,
)
_COSTS = select(Bid.id, Bid.cost).where(_SHORTLISTED)
_VOTER = select(
    select(Participation.channel)
    .where(Participation.pot_id == bindparam("pot"), Participation.user_id == bindparam("user"))
    .scalar_subquery()
    .label("channel"),
    select(Ballot.id)
    .where(Ballot.pot_id == bindparam("pot"), Ballot.voter_key == bindparam("key"))
    .scalar_subquery()
    .label("ballot"),
).subquery()
# One row of the voter's standing, joined to the bids: a row even when no bid is shortlisted.
_STANDING = select(_VOTER.c.channel, _VOTER.c.ballot, Bid.id, Bid.cost).select_from(
    _VOTER.outerjoin(Bid, _SHORTLISTED)
)
_NEW_BALLOT = insert(_BALLOTS)
_NEW_PARTICIPATION = insert(_PARTICIPATIONS)


def _shortlisted_costs(pot: Pot) -> dict[int, int]:
    """The pot's shortlisted bids' costs by id: all a ballot is checked against (every ballot
    reads them, so two columns, not every bid of the round)."""
    rows = db.session.execute(_COSTS, {"round": pot.round_id, "pot": pot.id})
    return {bid_id: cost for bid_id, cost in rows.tuples()}


def check_voter(user: User, pot: Pot, eligible: list[Pot] | None = None) -> None:
    """That the person may vote in this pot now. `eligible`: their pots in the round, when the
    caller has just read them (`eligible_pots`), so that one request reads them once."""
    funding_round = pot.round
    if user.role != Role.YOUTH_AMBASSADOR:
        raise RoundError(_("Only youth ambassadors vote in this round"))
    if funding_round.phase != Phase.VOTING:
        raise RoundError(_("Voting is not open in this round"))
    if pot not in (eligible_pots(user, funding_round) if eligible is None else eligible):
        raise RoundError(_("You do not vote in this pot: it is for ambassadors in other areas"))


@dataclass(frozen=True)
class Cast:
    """A ballot as it was saved: its id and the receipt code the voter is shown."""

    id: int
    receipt: str


@once_more_on_clash
@transactional
def cast_ballot(
    user: User,
    pot: Pot,
    choices: dict[int, int],
    empty: bool = False,
    eligible: list[Pot] | None = None,
) -> Cast:
    """Record or replace the ambassador's ballot in a pot. An empty ballot (they took part,
    but back no project) only when `empty` confirms it. Every ambassador may vote in the same
    minute, so this reads what it must and no more (`eligible` as for `check_voter`)."""
    check_voter(user, pot, eligible)
    key = voter_key(user, pot.round)
    channel, ballot_id, costs = _standing(user, pot, key)
    check_ballot(pot, choices, empty, costs)
    stored = {str(b): v for b, v in sorted(choices.items()) if v > 0}
    if ballot_id is not None:  # a change: the ballot is replaced where it stands
        changed = update(Ballot).where(Ballot.id == ballot_id).values(choices=stored)
        receipt = db.session.execute(changed.returning(Ballot.receipt)).scalar_one()
        return Cast(ballot_id, receipt)
    if channel == Channel.PAPER:
        raise RoundError(_("You voted on paper in this pot, so you cannot also vote online"))
    cast = Cast(random_ballot_id(), receipt_code())
    # Written as two plain INSERTs (nothing else in the request needs the rows as objects). A
    # second tab's first ballot at the same moment, or a receipt code another ballot has, is
    # refused here by a unique rule, and the cast is run once more (`once_more_on_clash`).
    in_pot = {"round_id": pot.round_id, "pot_id": pot.id}
    ballot = {"id": cast.id, "voter_key": key, "choices": stored, "receipt": cast.receipt}
    db.session.execute(_NEW_BALLOT, in_pot | ballot)
    if channel is None:
        taking_part = {"user_id": user.id, "channel": Channel.ONLINE}
        db.session.execute(_NEW_PARTICIPATION, in_pot | taking_part)
    return cast


def _standing(user: User, pot: Pot, key: str) -> tuple[Channel | None, int | None, dict[int, int]]:
    """How the voter took part in the pot (if they have), their online ballot's id (if any),
    and the pot's shortlisted bids' costs by id, in one statement: every ballot reads all three."""
    params = {"round": pot.round_id, "pot": pot.id, "user": user.id, "key": key}
    rows = db.session.execute(_STANDING, params).all()
    took_part, ballot_id = rows[0][0], rows[0][1]
    costs = {bid_id: cost for _c, _b, bid_id, cost in rows if bid_id is not None}
    return (Channel(took_part) if took_part is not None else None), ballot_id, costs


def participation(user: User, pot: Pot) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(
            Participation.pot_id == pot.id, Participation.user_id == user.id
        )
    )


def voted_on_paper(user: User, pot: Pot) -> bool:
    taken = participation(user, pot)
    return taken is not None and taken.channel == Channel.PAPER


def turnout(pot: Pot) -> tuple[int, int]:
    """(ambassadors who voted in the pot, ambassadors who could)."""
    voted = (
        db.session.scalar(
            select(func.count(Participation.id)).where(Participation.pot_id == pot.id)
        )
        or 0
    )
    return voted, len(eligible_ambassadors(pot))


def closing_date(funding_round: Round, today: date) -> date | None:
    """The day voting closes, when the round's schedule says and it is still to come."""
    due = (funding_round.schedule or {}).get(Phase.COUNTING.value)
    closes = date.fromisoformat(due) if due else None
    return closes if closes is not None and closes >= today else None


def shuffled(bids: list, seed: int) -> list:
    """The shortlist in an order of the voter's own, the same each time they look."""
    order = list(bids)
    random.Random(seed * 7919 + len(order)).shuffle(order)
    return order
