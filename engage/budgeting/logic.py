"""Funding rounds: set-up, phases, bids and the shortlist. Voting and counting are in voting.py."""

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.asset_map.editing import is_member
from engage.asset_map.models import Organisation
from engage.budgeting.models import BallotType, Bid, BidStatus, Phase, PhaseChange, Round
from engage.database import transactional
from engage.extensions import db

ROUND_FIELDS = (
    "title",
    "description",
    "pot",
    "max_bid",
    "ballot_type",
    "max_choices",
    "points",
    "rule",
    "schedule",
)
LOCKED_FIELDS = ("pot", "ballot_type", "max_choices", "points", "rule")
BID_FIELDS = (
    "title",
    "summary",
    "cost",
    "area",
    "prevention_level",
    "minimum_age",
    "maximum_age",
    "reach",
    "evidence",
)


class RoundError(Exception):
    """Something that cannot be done to a round or bid; the message says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_round(values: dict[str, Any]) -> None:
    if values["pot"] <= 0:
        raise RoundError(_("The pot must be more than £0"), "pot")
    if not 0 < values["max_bid"] <= values["pot"]:
        raise RoundError(
            _("The largest bid must be more than £0 and no more than the pot"), "max_bid"
        )
    if values["ballot_type"] == BallotType.K_APPROVAL and not (values.get("max_choices") or 0) >= 1:
        raise RoundError(_("Say how many projects each ambassador may choose"), "max_choices")
    if values["ballot_type"] == BallotType.POINTS and not (values.get("points") or 0) >= 1:
        raise RoundError(_("Say how many points each ambassador spreads"), "points")
    if values["rule"] not in ("greedy", "mes"):
        raise RoundError(_("Choose how the votes are counted"), "rule")


@transactional
def create_round(officer: User, values: dict[str, Any]) -> Round:
    _check_round(values)
    new = Round(created_by_id=officer.id, **{k: values.get(k) for k in ROUND_FIELDS})
    db.session.add(new)
    return new


@transactional
def update_round(officer: User, funding_round: Round, values: dict[str, Any]) -> None:
    """Change a round's settings; the ballot, pot and rule are fixed once voting opens."""
    merged = {k: values.get(k, getattr(funding_round, k)) for k in ROUND_FIELDS}
    if funding_round.locked and any(merged[k] != getattr(funding_round, k) for k in LOCKED_FIELDS):
        raise RoundError(
            _("The pot, ballot and counting rule cannot change once voting has opened")
        )
    _check_round(merged)
    for key, value in merged.items():
        setattr(funding_round, key, value)


def next_phase(funding_round: Round) -> str | None:
    index = Phase.ORDER.index(funding_round.phase)
    return Phase.ORDER[index + 1] if index + 1 < len(Phase.ORDER) else None


@transactional
def advance_phase(officer: User | None, funding_round: Round) -> str:
    """Move the round on one phase, checking it is ready, and log who did it."""
    target = next_phase(funding_round)
    if target is None:
        raise RoundError(_("This round has finished"))
    if target == Phase.VOTING and not shortlisted(funding_round):
        raise RoundError(_("Shortlist at least one bid before voting opens"))
    if target == Phase.REVIEW and not [
        b for b in funding_round.bids if b.status != BidStatus.WITHDRAWN
    ]:
        raise RoundError(_("There are no bids to review yet"))
    if target == Phase.PUBLISHED and not funding_round.result:
        raise RoundError(_("Count the votes before publishing"))
    db.session.add(
        PhaseChange(
            round_id=funding_round.id,
            from_phase=funding_round.phase,
            to_phase=target,
            changed_by_id=officer.id if officer else None,
        )
    )
    funding_round.phase = target
    return target


def advance_due(today: date) -> list[tuple[Round, str]]:
    """Move rounds whose scheduled date for their next phase has come; a round that is not
    ready (no bids, no shortlist, not counted) stays where it is and is reported."""
    moved = []
    for funding_round in db.session.scalars(select(Round).where(Round.phase != Phase.CLOSED)):
        target = next_phase(funding_round)
        due = (funding_round.schedule or {}).get(target or "")
        if target is None or not due or date.fromisoformat(due) > today:
            continue
        try:
            moved.append((funding_round, advance_phase(None, funding_round)))
        except RoundError as error:
            moved.append((funding_round, f"not moved: {error}"))
    return moved


def shortlisted(funding_round: Round) -> list[Bid]:
    return [b for b in funding_round.bids if b.status == BidStatus.SHORTLISTED]


def public_rounds() -> list[Round]:
    query = select(Round).where(Round.phase != Phase.DRAFT).order_by(Round.created_at.desc())
    return list(db.session.scalars(query))


def all_rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.created_at.desc())))


def _check_bid(funding_round: Round, values: dict[str, Any]) -> None:
    cost = values.get("cost")
    if cost is None or cost <= 0:
        raise RoundError(_("Enter the cost in whole pounds, more than £0"), "cost")
    if cost > funding_round.max_bid:
        raise RoundError(
            _("Bids in this round can be up to £%(max)s", max=f"{funding_round.max_bid:,}"), "cost"
        )
    low, high = values.get("minimum_age"), values.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise RoundError(_("The youngest age must not be more than the oldest"), "maximum_age")


def _may_bid(provider: User, funding_round: Round, organisation: Organisation) -> None:
    if funding_round.phase != Phase.BIDDING:
        raise RoundError(_("Bids can only be made or changed while bidding is open"))
    if not is_member(provider, organisation):
        raise RoundError(_("You can only bid for an organisation you look after"), "organisation")


@transactional
def submit_bid(
    provider: User, funding_round: Round, organisation: Organisation, values: dict[str, Any]
) -> Bid:
    _may_bid(provider, funding_round, organisation)
    _check_bid(funding_round, values)
    bid = Bid(
        round=funding_round,
        organisation=organisation,
        submitted_by=provider,
        **{k: values.get(k) for k in BID_FIELDS},
    )
    db.session.add(bid)
    return bid


@transactional
def update_bid(provider: User, bid: Bid, values: dict[str, Any]) -> None:
    _may_bid(provider, bid.round, bid.organisation)
    if bid.status == BidStatus.WITHDRAWN:
        raise RoundError(_("This bid has been withdrawn"))
    _check_bid(bid.round, values)
    for key in BID_FIELDS:
        setattr(bid, key, values.get(key))


@transactional
def withdraw_bid(provider: User, bid: Bid) -> None:
    _may_bid(provider, bid.round, bid.organisation)
    bid.status = BidStatus.WITHDRAWN


@transactional
def set_shortlist(
    officer: User, funding_round: Round, chosen: set[int], reasons: dict[int, str]
) -> None:
    """Shortlist bids for the ballot; every bid not taken forward needs a reason for its bidder."""
    if funding_round.phase != Phase.REVIEW:
        raise RoundError(_("The shortlist is made during the review phase"))
    live = [b for b in funding_round.bids if b.status != BidStatus.WITHDRAWN]
    missing = [b.title for b in live if b.id not in chosen and not reasons.get(b.id, "").strip()]
    if missing:
        raise RoundError(
            _("Give a reason for each bid not taken forward: %(titles)s", titles=", ".join(missing))
        )
    for bid in live:
        taken = bid.id in chosen
        bid.status = BidStatus.SHORTLISTED if taken else BidStatus.NOT_SHORTLISTED
        bid.reason = "" if taken else reasons[bid.id].strip()
