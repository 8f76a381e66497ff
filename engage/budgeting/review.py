"""The review panel: appointed reviewers score eligible bids against the published criteria;
the officer sees the spread and can ask for a re-score. A reviewer with a conflict of interest
can neither score a bid nor see its scores. A conflict is declared by the reviewer, or
automatic: anyone who looks after (or has asked to look after) the organisation that made a
bid is conflicted with it. Officers see both kinds."""

from dataclasses import dataclass, field
from statistics import mean

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accounts.models import User
from engage.asset_map.models import OrganisationMember
from engage.budgeting.logic import RoundError, once_more_on_clash
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
LINKED = ("approved", "pending")  # a claim to look after an organisation, decided or not


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


@once_more_on_clash
@transactional
def appoint(officer: User, funding_round: Round, email: str) -> Reviewer:
    person = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if person is None or not person.active:
        raise RoundError(_("No one with that email address has an account"), "email")
    if is_reviewer(person, funding_round):
        raise RoundError(_("%(name)s is already on the panel", name=person.display_name), "email")
    reviewer = Reviewer(round_id=funding_round.id, user=person)
    db.session.add(reviewer)
    db.session.flush()
    return reviewer


def declared_bid_ids(user: User, funding_round: Round) -> set[int]:
    return set(
        db.session.scalars(
            select(Conflict.bid_id)
            .join(Bid, Bid.id == Conflict.bid_id)
            .where(Bid.round_id == funding_round.id, Conflict.user_id == user.id)
        )
    )


def automatic_bid_ids(user: User, funding_round: Round) -> set[int]:
    """Bids made by an organisation the person looks after or has asked to."""
    return set(
        db.session.scalars(
            select(Bid.id)
            .join(OrganisationMember, OrganisationMember.organisation_id == Bid.organisation_id)
            .where(
                Bid.round_id == funding_round.id,
                OrganisationMember.user_id == user.id,
                OrganisationMember.status.in_(LINKED),
            )
        )
    )


def conflicted_bid_ids(user: User, funding_round: Round) -> set[int]:
    return declared_bid_ids(user, funding_round) | automatic_bid_ids(user, funding_round)


def _reviewable(user: User, bid: Bid) -> None:
    if not is_reviewer(user, bid.round):
        raise RoundError(_("You are not on this round's review panel"))
    if bid.round.phase != Phase.REVIEW:
        raise RoundError(_("Bids are scored during the review phase"))
    if bid.status == BidStatus.WITHDRAWN:
        raise RoundError(_("This bid has been withdrawn"))


@once_more_on_clash
@transactional
def declare_conflict(user: User, bid: Bid, note: str) -> None:
    """Step back from a bid; any score already given for it is removed."""
    _reviewable(user, bid)
    if bid.id in declared_bid_ids(user, bid.round):
        return
    db.session.add(Conflict(bid_id=bid.id, user_id=user.id, note=note.strip()))
    existing = _score_of(user, bid)
    if existing is not None:
        db.session.delete(existing)
    db.session.flush()


def _score_of(user: User, bid: Bid) -> Score | None:
    return db.session.scalar(select(Score).where(Score.bid_id == bid.id, Score.user_id == user.id))


@once_more_on_clash
@transactional
def score_bid(user: User, bid: Bid, marks: dict[str, int], comment: str) -> Score:
    """Give or change the reviewer's one score for a bid (two clicks at once give one)."""
    _reviewable(user, bid)
    if bid.id in automatic_bid_ids(user, bid.round):
        raise RoundError(
            _("You look after the organisation that made this bid, so you cannot score it")
        )
    if bid.id in declared_bid_ids(user, bid.round):
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
    db.session.flush()
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
    hidden: bool  # the viewer is conflicted: scores are not shown to them
    declared: list[str] = field(default_factory=list)  # reviewers who stepped back
    automatic: list[str] = field(default_factory=list)  # reviewers linked to the bidder

    @property
    def conflicts(self) -> int:
        return len(self.declared) + len(self.automatic)

    @property
    def average(self) -> float | None:
        return round(mean(s.total for s in self.scores), 1) if self.scores else None

    @property
    def spread(self) -> int | None:
        totals = [s.total for s in self.scores]
        return max(totals) - min(totals) if totals else None


def _panel_links(funding_round: Round) -> dict[int, dict[int, str]]:
    """Per bid, the panel members (id: name) who look after the organisation that made it."""
    rows = db.session.execute(
        select(Bid.id, User.id, User.display_name)
        .join(OrganisationMember, OrganisationMember.organisation_id == Bid.organisation_id)
        .join(Reviewer, Reviewer.user_id == OrganisationMember.user_id)
        .join(User, User.id == Reviewer.user_id)
        .where(
            Bid.round_id == funding_round.id,
            Reviewer.round_id == funding_round.id,
            OrganisationMember.status.in_(LINKED),
        )
    )
    links: dict[int, dict[int, str]] = {}
    for bid_id, user_id, name in rows:
        links.setdefault(bid_id, {})[user_id] = name
    return links


def moderation(viewer: User, funding_round: Round) -> list[BidScores]:
    """Scores per bid for the officer, highest average first, with who is conflicted and why;
    hidden where the viewer is conflicted. A score by someone now linked to the bidder is left
    out."""
    mine = conflicted_bid_ids(viewer, funding_round)
    links = _panel_links(funding_round)
    rows = []
    for bid in funding_round.bids:
        if bid.status == BidStatus.WITHDRAWN:
            continue
        declared = list(
            db.session.scalars(
                select(User.display_name)
                .join(Conflict, Conflict.user_id == User.id)
                .where(Conflict.bid_id == bid.id)
            )
        )
        linked = links.get(bid.id, {})
        scores = [
            s
            for s in db.session.scalars(select(Score).where(Score.bid_id == bid.id))
            if s.user_id not in linked
        ]
        hidden = bid.id in mine
        rows.append(
            BidScores(bid, [] if hidden else scores, hidden, declared, sorted(linked.values()))
        )
    return sorted(rows, key=lambda r: (r.hidden, -(r.average or -1)))


@dataclass(frozen=True)
class MyReview:
    bid: Bid
    score: Score | None
    conflicted: bool
    automatic: bool  # conflicted because they look after the bidder


def my_reviews(user: User, funding_round: Round) -> list[MyReview]:
    """Each bid the panel looks at, with the reviewer's own score or why they cannot score it."""
    declared = declared_bid_ids(user, funding_round)
    automatic = automatic_bid_ids(user, funding_round)
    return [
        MyReview(
            bid,
            None if bid.id in declared | automatic else _score_of(user, bid),
            bid.id in declared | automatic,
            bid.id in automatic,
        )
        for bid in funding_round.bids
        if bid.status != BidStatus.WITHDRAWN
    ]
