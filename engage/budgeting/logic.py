"""Funding rounds: set-up, phases, bids and the shortlist. Voting and counting are in voting.py."""

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, ParamSpec, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.asset_map.editing import is_member
from engage.asset_map.models import Organisation
from engage.budgeting.models import (
    BallotType,
    Bid,
    BidStatus,
    CountingRule,
    FundedProject,
    Phase,
    PhaseChange,
    Pot,
    Round,
)
from engage.database import transactional
from engage.errors import UserError
from engage.extensions import db

ROUND_FIELDS = (
    "title",
    "description",
    "priorities",
    "eligibility",
    "pot",
    "max_bid",
    "ballot_type",
    "max_choices",
    "points",
    "rule",
    "schedule",
)
NO_POLISH = {"title_pl": "", "summary_pl": ""}  # the Polish versions are optional
LOCKED_FIELDS = ("pot", "ballot_type", "max_choices", "points", "rule")
BID_FIELDS = (
    "pot_id",
    "theme",
    "title",
    "summary",
    "title_pl",
    "summary_pl",
    "cost",
    "area",
    "prevention_level",
    "minimum_age",
    "maximum_age",
    "reach",
    "evidence",
)


class RoundError(UserError):
    """Something that cannot be done to a round or bid; the message says why."""


P = ParamSpec("P")
R = TypeVar("R")


def once_more_on_clash(func: Callable[P, R]) -> Callable[P, R]:
    """For a `@transactional` function that adds a row a unique rule guards: when two requests
    add it at the same moment (a double click, two officers), the one that lost is rolled back
    and run once more, and then sees the other's row and answers as to a second click."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if db.session.info.get("transactional_depth", 0):
            return func(*args, **kwargs)  # inside another's transaction: that one decides
        try:
            return func(*args, **kwargs)
        except IntegrityError:
            pass
        try:
            return func(*args, **kwargs)
        except IntegrityError as error:
            raise RoundError(
                _("Someone changed this at the same moment. Check it and try again.")
            ) from error

    return wrapper


def _check_round(values: dict[str, Any]) -> None:
    if values["pot"] <= 0:
        raise RoundError(_("The pot must be more than £0"), "pot")
    if not 0 < values["max_bid"] <= values["pot"]:
        raise RoundError(
            _("The largest bid must be more than £0 and no more than the pot"), "max_bid"
        )
    if values["ballot_type"] not in set(BallotType):
        raise RoundError(_("Choose how ambassadors vote"), "ballot_type")
    if values["ballot_type"] == BallotType.K_APPROVAL and not (values.get("max_choices") or 0) >= 1:
        raise RoundError(_("Say how many projects each ambassador may choose"), "max_choices")
    if values["ballot_type"] == BallotType.POINTS and not (values.get("points") or 0) >= 1:
        raise RoundError(_("Say how many points each ambassador spreads"), "points")
    if values["rule"] not in set(CountingRule):
        raise RoundError(_("Choose how the votes are counted"), "rule")


@transactional
def create_round(officer: User, values: dict[str, Any]) -> Round:
    _check_round(values)
    fields = {k: values.get(k) for k in ROUND_FIELDS}
    for text in ("description", "priorities", "eligibility"):
        fields[text] = fields[text] or ""
    new = Round(created_by_id=officer.id, **fields)
    new.pots = [Pot(name="", amount=new.pot)]
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
    if merged["pot"] != funding_round.pot:
        if len(funding_round.pots) > 1:
            raise RoundError(
                _("This round is split into area pots: change the pots' amounts instead"), "pot"
            )
        funding_round.pots[0].amount = merged["pot"]
    for key, value in merged.items():
        setattr(funding_round, key, value)


def next_phase(funding_round: Round) -> Phase | None:
    return Phase(funding_round.phase).next


def _locked(funding_round: Round) -> Round:
    """The round read again and locked until the transaction ends (on PostgreSQL), so that two
    officers acting on it at once act one after the other."""
    query = select(Round).where(Round.id == funding_round.id).with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


@transactional
def advance_phase(
    officer: User | None, funding_round: Round, expected: Phase | None = None
) -> Phase:
    """Move the round on one phase, checking it is ready, and log who did it. `expected` is the
    phase the officer saw: if the round has moved on since (a second click, another officer),
    nothing moves."""
    funding_round = _locked(funding_round)
    if expected is not None and funding_round.phase != expected:
        raise RoundError(
            _(
                "This round has already moved to the %(phase)s phase",
                phase=Phase(funding_round.phase).label,
            )
        )
    target = next_phase(funding_round)
    if target is None:
        raise RoundError(_("This round has finished"))
    if target == Phase.VOTING:
        _check_ready_to_vote(funding_round)
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
    if target == Phase.PUBLISHED:
        _record_funded(funding_round)
    return target


def _check_ready_to_vote(funding_round: Round) -> None:
    if not shortlisted(funding_round):
        raise RoundError(_("Shortlist at least one bid before voting opens"))
    empty = [p.name for p in funding_round.pots if not shortlisted(funding_round, p)]
    if empty:
        raise RoundError(
            _("Shortlist at least one bid in each pot: %(pots)s", pots=", ".join(empty))
        )


def _record_funded(funding_round: Round) -> None:
    """The published winners become funded projects, for reporting what happened next."""
    bids = {str(b.id): b for b in funding_round.bids}
    done = set(
        db.session.scalars(
            select(FundedProject.bid_id).where(FundedProject.round_id == funding_round.id)
        )
    )
    counted = funding_round.counted
    assert counted is not None  # advance_phase publishes only a counted round
    for record in counted.pots:
        for pid in record.selected:
            bid = bids[pid]
            if bid.id not in done:
                db.session.add(
                    FundedProject(bid_id=bid.id, round_id=funding_round.id, amount=bid.cost)
                )


def funded_projects(funding_round: Round | None = None) -> list[FundedProject]:
    query = select(FundedProject).order_by(FundedProject.funded_at.desc(), FundedProject.id)
    if funding_round is not None:
        query = query.where(FundedProject.round_id == funding_round.id)
    return list(db.session.scalars(query))


def advance_due(today: date) -> list[tuple[Round, str]]:
    """Move rounds whose scheduled date for their next phase has come; a round that is not
    ready (no bids, no shortlist, not counted) stays where it is and is reported."""
    moved: list[tuple[Round, str]] = []
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


def shortlisted(funding_round: Round, pot: Pot | None = None) -> list[Bid]:
    """The round's shortlisted bids, or one pot's."""
    return [
        b
        for b in funding_round.bids
        if b.status == BidStatus.SHORTLISTED and (pot is None or b.pot_id == pot.id)
    ]


def public_rounds() -> list[Round]:
    query = select(Round).where(Round.phase != Phase.DRAFT).order_by(Round.created_at.desc())
    return list(db.session.scalars(query))


def all_rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.created_at.desc())))


def _with_pot(funding_round: Round, values: dict[str, Any]) -> dict[str, Any]:
    """A round with one pot needs no choice of pot."""
    if values.get("pot_id") is None and len(funding_round.pots) == 1:
        return {**values, "pot_id": funding_round.pots[0].id}
    return values


def _check_bid(funding_round: Round, values: dict[str, Any], bid: Bid | None = None) -> None:
    pot = next((p for p in funding_round.pots if p.id == values.get("pot_id")), None)
    if pot is None:
        raise RoundError(_("Choose the pot this bid is for"), "pot_id")
    if values.get("theme") and values["theme"] not in funding_round.priority_list:
        raise RoundError(_("Choose one of the round's priorities"), "theme")
    cost = values.get("cost")
    if cost is None or cost <= 0:
        raise RoundError(_("Enter the cost in whole pounds, more than £0"), "cost")
    largest = min(funding_round.max_bid, pot.amount)
    if cost > largest:
        raise RoundError(_("Bids in this pot can be up to £%(max)s", max=f"{largest:,}"), "cost")
    low, high = values.get("minimum_age"), values.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise RoundError(_("The youngest age must not be more than the oldest"), "maximum_age")
    _check_title(funding_round, values, bid)


def _check_title(funding_round: Round, values: dict[str, Any], bid: Bid | None) -> None:
    """An organisation's bids in a round have different titles: a second click on "Send bid"
    finds the first and sends nothing more."""
    organisation_id = bid.organisation_id if bid else values["organisation_id"]
    same = select(Bid.id).where(
        Bid.round_id == funding_round.id,
        Bid.organisation_id == organisation_id,
        Bid.title == values["title"],
    )
    if bid is not None:
        same = same.where(Bid.id != bid.id)
    if db.session.scalar(same) is not None:
        raise RoundError(
            _("Your organisation already has a bid called %(title)s here", title=values["title"]),
            "title",
        )


def _may_bid(provider: User, funding_round: Round, organisation: Organisation) -> None:
    if funding_round.phase != Phase.BIDDING:
        raise RoundError(_("Bids can only be made or changed while bidding is open"))
    if not is_member(provider, organisation):
        raise RoundError(_("You can only bid for an organisation you look after"), "organisation")


@once_more_on_clash
@transactional
def submit_bid(
    provider: User, funding_round: Round, organisation: Organisation, values: dict[str, Any]
) -> Bid:
    _may_bid(provider, funding_round, organisation)
    values = _with_pot(funding_round, {**NO_POLISH, **values, "title": values["title"].strip()})
    _check_bid(funding_round, {**values, "organisation_id": organisation.id})
    bid = Bid(
        round=funding_round,
        organisation=organisation,
        submitted_by=provider,
        **{k: values.get(k) for k in BID_FIELDS},
    )
    db.session.add(bid)
    db.session.flush()
    return bid


@once_more_on_clash
@transactional
def update_bid(provider: User, bid: Bid, values: dict[str, Any]) -> None:
    _may_bid(provider, bid.round, bid.organisation)
    if bid.status == BidStatus.WITHDRAWN:
        raise RoundError(_("This bid has been withdrawn"))
    values = _with_pot(bid.round, {**NO_POLISH, **values, "title": values["title"].strip()})
    _check_bid(bid.round, values, bid)
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
