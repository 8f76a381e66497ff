"""What a person may do with a round right now, decided here from its phase and their role so
that the pages only show it."""

from dataclasses import dataclass

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.logic import next_phase, shortlisted
from engage.budgeting.models import Bid, BidStatus, Phase, Pot, Round
from engage.budgeting.pots import eligible_pots
from engage.budgeting.review import is_reviewer

OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)
RESULTS_SHOWN = (Phase.PUBLISHED, Phase.CLOSED)


def is_officer(user: User | None) -> bool:
    return user is not None and user.role in OFFICERS


@dataclass(frozen=True)
class MyBid:
    bid: Bid
    may_change: bool  # change or withdraw: while bidding is open and it is not withdrawn


@dataclass(frozen=True)
class RoundActions:
    """What the round's public page offers the person looking at it."""

    may_bid: bool
    may_vote: bool  # an ambassador, while voting is open (the vote page says where)
    vote_pots: list[Pot]  # the pots they vote in, while voting is open
    may_review: bool
    results_shown: bool
    may_manage: bool
    my_bids: list[MyBid]
    shortlist: list[Bid]
    split: bool  # the round has more than one pot


def round_actions(user: User | None, funding_round: Round) -> RoundActions:
    """`user` is None for someone not signed in."""
    phase = Phase(funding_round.phase)
    role = user.role if user is not None else None
    bidding = phase == Phase.BIDDING
    mine = [b for b in funding_round.bids if user is not None and b.submitted_by_id == user.id]
    return RoundActions(
        may_bid=bidding and role == Role.VCSE_PROVIDER,
        may_vote=phase == Phase.VOTING and role == Role.YOUTH_AMBASSADOR,
        vote_pots=(
            eligible_pots(user, funding_round) if user is not None and phase == Phase.VOTING else []
        ),
        may_review=phase == Phase.REVIEW and user is not None and is_reviewer(user, funding_round),
        results_shown=phase in RESULTS_SHOWN and funding_round.result is not None,
        may_manage=is_officer(user),
        my_bids=[MyBid(b, bidding and b.status == BidStatus.SUBMITTED) for b in mine],
        shortlist=shortlisted(funding_round),
        split=len(funding_round.pots) > 1,
    )


@dataclass(frozen=True)
class ManageActions:
    """What the officers' page for a round offers, in its current phase."""

    next_phase: Phase | None
    may_split: bool  # add area pots (while a draft)
    may_remove_pots: bool  # remove area pots (while a draft, once split by area)
    may_appoint: bool  # until voting opens
    show_scores: bool  # once review has started
    may_rescore: bool
    may_shortlist: bool
    shortlist_bids: list[Bid]  # the bids the shortlist is chosen from
    may_count: bool
    counted: bool
    may_enter_paper: bool
    may_compare_rules: bool  # the "what if": only once voting has closed
    split: bool


def manage_actions(funding_round: Round) -> ManageActions:
    phase = Phase(funding_round.phase)
    draft = phase == Phase.DRAFT
    return ManageActions(
        next_phase=next_phase(funding_round),
        may_split=draft,
        may_remove_pots=draft and bool(funding_round.pots[0].areas),
        may_appoint=not phase.reached(Phase.VOTING),
        show_scores=phase.reached(Phase.REVIEW),
        may_rescore=phase == Phase.REVIEW,
        may_shortlist=phase == Phase.REVIEW,
        shortlist_bids=[b for b in funding_round.bids if b.status != BidStatus.WITHDRAWN],
        may_count=phase == Phase.COUNTING,
        counted=funding_round.result is not None,
        may_enter_paper=phase in (Phase.VOTING, Phase.COUNTING),
        may_compare_rules=phase.reached(Phase.COUNTING),
        split=len(funding_round.pots) > 1,
    )


def may_see_results(user: User | None, funding_round: Round) -> bool:
    """Everyone once published; officers also while checking the count before publishing."""
    if funding_round.result is None:
        return False
    return Phase(funding_round.phase) in RESULTS_SHOWN or is_officer(user)
