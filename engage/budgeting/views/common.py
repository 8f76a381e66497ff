"""What every budgeting page shares: the blueprint, and finding a round, pot or bid from the
address (a 404 for an id that is not there, or not for this person to see)."""

from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from engage.accounts.models import User
from engage.budgeting import pots
from engage.budgeting.actions import OFFICERS, is_officer
from engage.budgeting.models import Bid, Phase, Pot, Round
from engage.extensions import db

bp = Blueprint("budgeting", __name__, url_prefix="/participatory-budgeting")
MOST_ID = 2**62  # past this no row has the id, and the database could not even be asked

__all__ = ["OFFICERS", "bp", "find_bid", "find_pot", "find_pot_with_theirs", "find_round", "viewer"]


def viewer() -> User | None:
    """The person signed in, or None."""
    return current_user if current_user.is_authenticated else None


def _get(model, record_id: int, *options):
    return db.session.get(model, record_id, options=options) if 0 < record_id < MOST_ID else None


def find_round(round_id: int) -> Round:
    return _shown(_get(Round, round_id))


def _shown(funding_round: Round | None) -> Round:
    """The round, if the viewer may see it (a draft is for officers alone); otherwise 404."""
    if funding_round is None or (funding_round.phase == Phase.DRAFT and not is_officer(viewer())):
        abort(404)
    return funding_round


def _in_round(model, round_id: int, record_id: int):
    record = _get(model, record_id, joinedload(model.round))  # one read for both
    if record is None or record.round_id != round_id:
        abort(404)
    find_round(round_id)
    return record


def find_pot(round_id: int, pot_id: int) -> Pot:
    return _in_round(Pot, round_id, pot_id)


def find_pot_with_theirs(round_id: int, pot_id: int, user: User) -> tuple[Pot, list[Pot]]:
    """The pot, as `find_pot` finds it, and the round's pots `user` votes in, from the same read
    (every ballot needs both: 1,000 ambassadors may vote in the same minute). The ids come
    through the routes' converter, so they fit the columns."""
    pot, theirs = pots.pot_and_eligible_pots(user, round_id, pot_id)
    if pot is None:
        abort(404)
    _shown(pot.round)
    return pot, theirs


def find_bid(round_id: int, bid_id: int) -> Bid:
    return _in_round(Bid, round_id, bid_id)
