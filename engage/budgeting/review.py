"""The review panel: appointed reviewers declare conflicts and score eligible bids against the
published criteria; the officer sees the spread and can ask for a re-score. A reviewer with a
conflict can neither score a bid nor see its scores."""

from dataclasses import dataclass
from statistics import mean

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accounts.models import User
from engage.budgeting.logic import RoundError
from engage.budgeting.models import Bid, BidStatus, Conflict, Phase, Reviewer, Round, Score
from engage.database import transactional
from engage.extensions import db

CRITERIA = {
    "reach": _l("Reach: how many of the right young people it will reach"),
    "evidence": _l("Evidence: how sure we can be that it works"),
    "value_for_money": _l("Value for money"),
    "fit": _l("Fit with the partnership's strategy"),
}
MAX_POINTS = 5


def is_reviewer(user: User, funding_round: Round) -> bool:
    return (
        db.session.scalar(
            select(Reviewer.id).where(
                Reviewer.round_id == funding_round.id, Reviewer.user_id == user.id
            )
        )
        is not None
    )


def reviewers(funding_round: Round) -> list[Reviewer]:
    return list(db.session.scalars(select(Reviewer).where(Reviewer.round_id == funding_round.id)))


@transactional
def appoint(officer: User, funding_round: Round, email: str) -> Reviewer:
    person = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if person is None or not person.active:
        raise RoundError(_("No one with that email address has an account"), "email")
    if is_reviewer(person, funding_round):
        raise RoundError(_("%(name)s is already on the panel", name=person.display_name), "email")
    reviewer = Reviewer(round_id=funding_round.id, user=person)
    db.session.add(reviewer)
    return reviewer


def conflicted_bid_ids(user: User, funding_round: Round) -> set[int]:
    return set(
        db.session.scalars(
            select(Conflict.bid_id)
            .join(Bid, Bid.id == Conflict.bid_id)
            .where(Bid.round_id == funding_round.id, Conflict.user_id == user.id)
        )
    )


def _reviewable(user: User, bid: Bid) -> None:
    if not is_reviewer(user, bid.round):
        raise RoundError(_("You are not on this round's review panel"))
    if bid.round.phase != Phase.REVIEW:
        raise RoundError(_("Bids are scored during the review phase"))
    if bid.status == BidStatus.WITHDRAWN:
        raise RoundError(_("This bid has been withdrawn"))


@transactional
def declare_conflict(user: User, bid: Bid, note: str) -> None:
    """Step back from a bid; any score already given for it is removed."""
    _reviewable(user, bid)
    if bid.id in conflicted_bid_ids(user, bid.round):
        return
    db.session.add(Conflict(bid_id=bid.id, user_id=user.id, note=note.strip()))
    existing = _score_of(user, bid)
    if existing is not None:
        db.session.delete(existing)


def _score_of(user: User, bid: Bid) -> Score | None:
    return db.session.scalar(select(Score).where(Score.bid_id == bid.id, Score.user_id == user.id))


@transactional
def score_bid(user: User, bid: Bid, marks: dict[str, int], comment: str) -> Score:
    _reviewable(user, bid)
    if bid.id in conflicted_bid_ids(user, bid.round):
        raise RoundError(
            _("You declared a conflict of interest with this bid, so you cannot score it")
        )
    if set(marks) != set(CRITERIA) or any(not 0 <= v <= MAX_POINTS for v in marks.values()):
        raise RoundError(_("Give every criterion a score from 0 to %(n)d", n=MAX_POINTS))
    score = _score_of(user, bid) or Score(bid_id=bid.id, user_id=user.id, **marks)
    for key, value in marks.items():
        setattr(score, key, value)
    score.comment, score.rescore_requested = comment.strip(), False
    db.session.add(score)
    return score


@transactional
def ask_rescore(officer: User, score: Score, funding_round: Round) -> None:
    if score.bid_id in conflicted_bid_ids(officer, funding_round):
        raise RoundError(_("You declared a conflict of interest with this bid"))
    score.rescore_requested = True


@dataclass
class BidScores:
    bid: Bid
    scores: list[Score]
    conflicts: int
    hidden: bool  # the viewer declared a conflict: scores are not shown to them

    @property
    def average(self) -> float | None:
        return round(mean(s.total for s in self.scores), 1) if self.scores else None

    @property
    def spread(self) -> int | None:
        totals = [s.total for s in self.scores]
        return max(totals) - min(totals) if totals else None


def moderation(viewer: User, funding_round: Round) -> list[BidScores]:
    """Scores per bid for the officer, highest average first; hidden where they are conflicted."""
    mine = conflicted_bid_ids(viewer, funding_round)
    rows = []
    for bid in funding_round.bids:
        if bid.status == BidStatus.WITHDRAWN:
            continue
        scores = list(db.session.scalars(select(Score).where(Score.bid_id == bid.id)))
        conflicts = len(
            db.session.scalars(select(Conflict.id).where(Conflict.bid_id == bid.id)).all()
        )
        hidden = bid.id in mine
        rows.append(BidScores(bid, [] if hidden else scores, conflicts, hidden))
    return sorted(rows, key=lambda r: (r.hidden, -(r.average or -1)))


def my_reviews(user: User, funding_round: Round) -> list[tuple[Bid, Score | None, bool]]:
    """(bid, the reviewer's own score, conflicted) for each bid the panel looks at."""
    conflicts = conflicted_bid_ids(user, funding_round)
    return [
        (bid, None if bid.id in conflicts else _score_of(user, bid), bid.id in conflicts)
        for bid in funding_round.bids
        if bid.status != BidStatus.WITHDRAWN
    ]
