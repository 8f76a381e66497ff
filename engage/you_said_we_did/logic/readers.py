"""Was it a good answer? Readers' verdicts on a response, and drafts of messages or campaigns
put to the ambassadors or to anyone with a link before they go out. Comments are feedback like
any other: moderated, redacted and scanned for safeguarding."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.logic import NewItem, check_text, guess_language, record_item
from engage.feedback.models import FeedbackItem, ItemStatus
from engage.feedback.safeguarding import scanner
from engage.once import claim
from engage.you_said_we_did.models import Answer, Consultation, Rating, Reaction, Response, Stage


class ReaderError(UserError):
    """A verdict or reaction that cannot be taken as given."""


RATING_PROMPT = "Did this answer what people said?"


@transactional
def rate(
    response: Response, answer: str, comment: str, locale: str, once_key: str | None = None
) -> Rating:
    """A reader's verdict; a comment is stored as feedback, so it is moderated, redacted and
    scanned for safeguarding like any other."""
    if response.stage != Stage.PUBLISHED:
        raise ReaderError(_("This response is not published"))
    if answer not in set(Answer):
        raise ReaderError(_("Choose yes, partly or no"), "answer")
    claim(once_key)
    rating = Rating(response_id=response.id, answer=answer)
    if comment.strip():
        rating.item = _comment(comment, f"{RATING_PROMPT} ({response.title})", locale)
    db.session.add(rating)
    return rating


def _comment(text: str, prompt: str, locale: str, ambassador: User | None = None) -> FeedbackItem:
    new = NewItem(
        text=check_text(text, "comment"),
        source="online",
        received_on=utcnow().date(),
        prompt=prompt[:300],
        language=guess_language(text, locale),
        by_ambassador=ambassador is not None,
        young_person=True if ambassador is not None else None,
    )
    item = record_item(new, ItemStatus.PENDING, ambassador, scanner(), None)
    return item


def satisfaction(response: Response | None = None) -> dict[str, int]:
    query = select(Rating.answer, func.count()).group_by(Rating.answer)
    if response is not None:
        query = query.where(Rating.response_id == response.id)
    counts = dict(db.session.execute(query).tuples().all())
    return {answer.value: counts.get(answer.value, 0) for answer in Answer}


@transactional
def save_consultation(officer: User, values: dict[str, Any]) -> Consultation:
    for name in ("title", "draft", "option_a", "option_b"):
        if not (values.get(name) or "").strip():
            raise ReaderError(_("Fill in every part of the draft"), name)
    if values.get("audience") not in ("ambassadors", "link"):
        raise ReaderError(_("Choose who is asked"), "audience")
    consultation = Consultation(
        title=values["title"].strip()[:160],
        draft=values["draft"].strip(),
        option_a=values["option_a"].strip()[:300],
        option_b=values["option_b"].strip()[:300],
        audience=values["audience"],
        created_by_id=officer.id,
    )
    db.session.add(consultation)
    return consultation


def consultations(open_only: bool = False, audience: str | None = None) -> list[Consultation]:
    query = select(Consultation).order_by(Consultation.created_at.desc())
    if open_only:
        query = query.where(Consultation.open.is_(True))
    if audience:
        query = query.where(Consultation.audience == audience)
    return list(db.session.scalars(query))


@transactional
def react(
    consultation: Consultation,
    choice: str,
    comment: str,
    user: User | None,
    locale: str,
    once_key: str | None = None,
) -> Reaction:
    """One reaction per ambassador (they can change it); anyone with a link's reaction counts."""
    if not consultation.open:
        raise ReaderError(_("This question has closed"))
    if choice not in ("a", "b"):
        raise ReaderError(_("Choose one of the two"), "choice")
    if consultation.audience == "ambassadors" and (
        user is None or user.role != Role.YOUTH_AMBASSADOR
    ):
        raise ReaderError(_("Only youth ambassadors are asked this"))
    claim(once_key)
    reaction = None
    if user is not None:
        reaction = db.session.scalar(
            select(Reaction).where(
                Reaction.consultation_id == consultation.id, Reaction.user_id == user.id
            )
        )
    reaction = reaction or Reaction(consultation=consultation, user_id=user.id if user else None)
    reaction.choice = choice
    if comment.strip():
        ambassador = user if user is not None and user.role == Role.YOUTH_AMBASSADOR else None
        reaction.item = _comment(comment, consultation.title, locale, ambassador)
    db.session.add(reaction)
    try:
        db.session.flush()
    except IntegrityError as error:  # an ambassador's first answer from two tabs at once
        raise ReaderError(_("Your answer was being saved in another window. Check it.")) from error
    return reaction


@dataclass
class Tally:
    a: int
    b: int
    comments: list[FeedbackItem]


def tally(consultation: Consultation) -> Tally:
    """What officers see beside the draft: the choices, and the comments once approved."""
    counts = {"a": 0, "b": 0}
    comments = []
    for reaction in consultation.reactions:
        counts[reaction.choice] += 1
        if reaction.item is not None and reaction.item.status == ItemStatus.APPROVED:
            comments.append(reaction.item)
    return Tally(counts["a"], counts["b"], comments)


@transactional
def set_open(officer: User, consultation: Consultation, is_open: bool) -> None:
    consultation.open = is_open
