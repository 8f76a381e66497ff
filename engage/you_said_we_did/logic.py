"""Responses: officers write "you said, we did", link the feedback it answers, and a second
officer approves it before it is published (four eyes). Published responses get dated
updates. Each publication or update is owed to everyone whose linked feedback left an email
with consent, and to the youth ambassadors whose forum's sessions fed it: those notices are
gathered into one digest email per person per day."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.models import FundedProject, ambassador_areas
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.logic import NewItem, check_text, guess_language, record_item
from engage.feedback.models import Contact, FeedbackItem, ItemStatus, Theme
from engage.feedback.safeguarding import scanner
from engage.feedback.similarity import rank_by_similarity
from engage.geo.models import Area
from engage.notifications.logic import queue_email
from engage.urls import external_url
from engage.you_said_we_did.models import (
    PARTNERS,
    Answer,
    Consultation,
    Follow,
    Notice,
    OptOut,
    Rating,
    Reaction,
    Response,
    ResponseUpdate,
    Stage,
    Status,
)


class ResponseError(UserError):
    """A response that cannot be saved or published as asked; the message says why."""


# Writing and publishing


def _check(values: dict[str, Any]) -> None:
    if not (values.get("title") or "").strip():
        raise ResponseError(_("Give the response a short title"), "title")
    if not (values.get("you_said") or "").strip():
        raise ResponseError(_("Sum up what people said"), "you_said")
    if values.get("status") not in Status.ALL:
        raise ResponseError(_("Choose a status"), "status")
    if values["status"] == Status.NOT_TAKEN_FORWARD and not (values.get("reason") or "").strip():
        raise ResponseError(_("Say why it is not being taken forward"), "reason")
    if not set(values.get("partners") or []) <= set(PARTNERS):
        raise ResponseError(_("Choose partners from the list"), "partners")


@transactional
def save_draft(officer: User, response: Response | None, values: dict[str, Any]) -> Response:
    """Create or change a response that is not yet published."""
    _check(values)
    if response is not None and response.stage == Stage.PUBLISHED:
        raise ResponseError(_("A published response changes through updates"))
    response = response or Response(created_by_id=officer.id)
    response.title = values["title"].strip()[:160]
    response.you_said = values["you_said"].strip()
    response.we_did = (values.get("we_did") or "").strip()
    response.status, response.reason = values["status"], (values.get("reason") or "").strip()
    response.progress = min(max(int(values.get("progress") or 0), 0), 100)
    response.due_on = values.get("due_on")
    response.partners = "," + ",".join(values.get("partners") or []) + ","
    response.themes = _records(Theme, values.get("theme_ids"))
    response.areas = _records(Area, values.get("area_ids"))
    response.projects = _records(FundedProject, values.get("project_ids"))
    response.stage = Stage.DRAFT  # any change needs approving again
    db.session.add(response)
    return response


def _records(model, ids) -> list:
    ids = [int(i) for i in ids or []]
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


@transactional
def link_items(officer: User, response: Response, item_ids: list[int]) -> int:
    """Link approved feedback to the response; anything else is refused, nothing linked."""
    items = _records(FeedbackItem, item_ids)
    if len(items) != len(set(item_ids)):
        raise ResponseError(_("Some of that feedback no longer exists"), "items")
    refused = [i.id for i in items if i.status != ItemStatus.APPROVED]
    if refused:
        raise ResponseError(
            _(
                "Only approved feedback can be linked, never feedback with the safeguarding "
                "lead or rejected: item %(ids)s",
                ids=", ".join(map(str, refused)),
            ),
            "items",
        )
    new = [i for i in items if i not in response.items]
    response.items.extend(new)
    return len(new)


@transactional
def unlink_item(officer: User, response: Response, item: FeedbackItem) -> None:
    if item in response.items:
        response.items.remove(item)


@transactional
def submit_for_review(officer: User, response: Response) -> None:
    if response.stage != Stage.DRAFT:
        raise ResponseError(_("Only a draft can be sent for approval"))
    if not response.items:
        raise ResponseError(_("Link at least one piece of feedback first"), "items")
    if not response.we_did and response.status != Status.NOT_TAKEN_FORWARD:
        raise ResponseError(_("Say what was done, or is being done"), "we_did")
    response.stage = Stage.AWAITING_REVIEW


@transactional
def approve(officer: User, response: Response) -> None:
    """The second pair of eyes: another officer publishes it, and people are told."""
    if response.stage != Stage.AWAITING_REVIEW:
        raise ResponseError(_("This response is not waiting for approval"))
    if response.created_by_id == officer.id:
        raise ResponseError(_("Another officer must approve what you wrote"))
    now = utcnow()
    response.stage, response.approved_by_id = Stage.PUBLISHED, officer.id
    response.published_at = response.published_at or now
    response.updated_at = now
    db.session.flush()
    owe_notices(response, "published")


@transactional
def send_back(officer: User, response: Response) -> None:
    if response.stage != Stage.AWAITING_REVIEW:
        raise ResponseError(_("This response is not waiting for approval"))
    response.stage = Stage.DRAFT


@transactional
def add_update(
    officer: User, response: Response, text: str, progress: int | None, status: str | None
) -> ResponseUpdate:
    if response.stage != Stage.PUBLISHED:
        raise ResponseError(_("Updates are added to published responses"))
    if not text.strip():
        raise ResponseError(_("Write what has happened"), "text")
    if progress is not None and not 0 <= progress <= 100:
        raise ResponseError(_("Progress is a percentage from 0 to 100"), "progress")
    if status and status not in Status.ALL:
        raise ResponseError(_("Choose a status"), "status")
    update = ResponseUpdate(
        response=response, text=text.strip(), progress=progress, status=status or None,
        by_id=officer.id,
    )  # fmt: skip
    if progress is not None:
        response.progress = progress
    if status:
        response.status = status
    response.updated_at = utcnow()
    db.session.add(update)
    db.session.flush()
    owe_notices(response, f"update:{update.id}")
    return update


# What officers see while writing


@dataclass
class Said:
    items: int
    sessions: int
    young_share: float | None  # of items where it is known


def summary(response: Response) -> Said:
    """The numbers behind "You said": e.g. 42 comments from 5 sessions, 60% from young people."""
    known = [i.young_person for i in response.items if i.young_person is not None]
    return Said(
        items=len(response.items),
        sessions=len({i.session_id for i in response.items if i.session_id}),
        young_share=(sum(known) / len(known)) if known else None,
    )


def find_items(q: str = "", theme_id: int | None = None, area_id: int | None = None,
               session_id: int | None = None, limit: int = 100) -> list[FeedbackItem]:  # fmt: skip
    """Approved feedback to link, newest first."""
    query = select(FeedbackItem).where(FeedbackItem.status == ItemStatus.APPROVED)
    if q.strip():
        query = query.where(FeedbackItem.public_text.ilike(f"%{q.strip()}%"))
    if theme_id:
        query = query.where(FeedbackItem.themes.any(Theme.id == theme_id))
    if area_id:
        query = query.where(FeedbackItem.area_id == area_id)
    if session_id:
        query = query.where(FeedbackItem.session_id == session_id)
    query = query.order_by(FeedbackItem.received_on.desc(), FeedbackItem.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def suggested_items(response: Response, pool: int = 3000, limit: int = 10) -> list[FeedbackItem]:
    """Approved items not yet linked whose words are most like the response's."""
    candidates = [i for i in find_items(limit=pool) if i not in response.items]
    query = f"{response.title} {response.you_said}"
    order = rank_by_similarity(query, [c.public_text for c in candidates], limit)
    return [candidates[i] for i in order]


def drafts() -> list[Response]:
    query = select(Response).where(Response.stage != Stage.PUBLISHED)
    return list(db.session.scalars(query.order_by(Response.created_at.desc())))


# The public board


@dataclass(frozen=True)
class BoardFilters:
    area_id: int | None = None
    theme_id: int | None = None
    partner: str | None = None
    status: str | None = None
    q: str = ""


def board(filters: BoardFilters, limit: int = 200) -> list[Response]:
    """Published responses, the most recently updated first."""
    query = select(Response).where(Response.stage == Stage.PUBLISHED)
    if filters.area_id:
        query = query.where(Response.areas.any(Area.id == filters.area_id))
    if filters.theme_id:
        query = query.where(Response.themes.any(Theme.id == filters.theme_id))
    if filters.partner in PARTNERS:
        query = query.where(Response.partners.like(f"%,{filters.partner},%"))
    if filters.status in Status.ALL:
        query = query.where(Response.status == filters.status)
    if filters.q.strip():
        words = f"%{filters.q.strip()}%"
        query = query.where(
            or_(
                Response.title.ilike(words),
                Response.you_said.ilike(words),
                Response.we_did.ilike(words),
            )
        )
    query = query.order_by(Response.updated_at.desc(), Response.id.desc()).limit(limit)
    return list(db.session.scalars(query.options(selectinload(Response.areas))))


def quotes(response: Response, limit: int = 5) -> list[FeedbackItem]:
    """Approved, redacted words of people it answers."""
    return [i for i in response.items if i.status == ItemStatus.APPROVED and i.public_text][:limit]


# Telling people


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"ysd-{purpose}")


def token_for(email: str, purpose: str) -> str:
    return _serializer(purpose).dumps(email.lower())


def email_from(token: str, purpose: str) -> str | None:
    """The address a signed link was made for, or None if it was changed."""
    try:
        return _serializer(purpose).loads(token)
    except BadSignature:
        return None


def _ambassadors_for(item: FeedbackItem) -> list[User]:
    """Ambassadors who sent the item, or who belong to the youth forum whose session fed it."""
    people = []
    if item.by_ambassador and item.submitted_by is not None:
        people.append(item.submitted_by)
    session = item.session
    if session is not None and session.forum.audience == "youth" and session.forum.areas:
        area_ids = [a.id for a in session.forum.areas]
        members = select(ambassador_areas.c.user_id).where(ambassador_areas.c.area_id.in_(area_ids))
        people += db.session.scalars(
            select(User).where(
                User.id.in_(members),
                User.role == Role.YOUTH_AMBASSADOR.value,
                User.active.is_(True),
            )
        )
    return people


def owe_notices(response: Response, event: str) -> int:
    """Record who should hear about this (in the caller's transaction); returns how many."""
    owed: dict[str, str] = {}
    for item in response.items:
        if item.contact is not None:
            owed.setdefault(item.contact.email, item.contact.locale)
        for person in _ambassadors_for(item):
            owed.setdefault(person.email.lower(), person.locale)
    if event == "published":  # followers hear of new responses, not every update
        for email, locale in _followers(response).items():
            owed.setdefault(email, locale)
    for email, locale in owed.items():
        db.session.add(Notice(email=email, locale=locale, response_id=response.id, event=event))
    return len(owed)


@transactional
def send_digests(today: date) -> int:
    """Queue one email per person with everything owed to them, unless they already had one
    today or opted out. Returns how many emails were queued."""
    pending = db.session.scalars(
        select(Notice).where(Notice.sent_on.is_(None)).order_by(Notice.email, Notice.id)
    ).all()
    sent_today = set(db.session.scalars(select(Notice.email).where(Notice.sent_on == today)))
    opted_out = set(db.session.scalars(select(OptOut.email)))
    by_email: dict[str, list[Notice]] = {}
    for notice in pending:
        if notice.email not in sent_today:
            by_email.setdefault(notice.email, []).append(notice)
    queued = 0
    for email, notices in by_email.items():
        for notice in notices:
            notice.sent_on = today
        if email in opted_out:
            continue
        _queue_digest(email, notices)
        queued += 1
    return queued


def _queue_digest(email: str, notices: list[Notice]) -> None:
    responses = list({n.response_id: n.response for n in notices}.values())
    queue_email(
        email,
        "ysd_digest",
        notices[0].locale,
        responses=[(r.title, external_url("you_said_we_did.show", response_id=r.id))
                   for r in responses],
        my_feedback=external_url("you_said_we_did.my_feedback", token=token_for(email, "mine")),
        unsubscribe=external_url("you_said_we_did.unsubscribe", token=token_for(email, "stop")),
    )  # fmt: skip
    for contact in db.session.scalars(select(Contact).where(Contact.email == email)):
        contact.last_response_at = utcnow()  # the retention clock starts again


@transactional
def opt_out(email: str) -> None:
    if db.session.scalar(select(OptOut.id).where(OptOut.email == email)) is None:
        db.session.add(OptOut(email=email))


def items_of(email: str) -> list[FeedbackItem]:
    """What a person with this address said, for their private page."""
    contacts = select(Contact.id).where(Contact.email == email)
    query = select(FeedbackItem).where(
        FeedbackItem.contact_id.in_(contacts), FeedbackItem.status != ItemStatus.SAFEGUARDING
    )
    return list(db.session.scalars(query.order_by(FeedbackItem.received_on)))


def responses_for(item: FeedbackItem) -> list[Response]:
    query = select(Response).where(
        Response.stage == Stage.PUBLISHED, Response.items.any(FeedbackItem.id == item.id)
    )
    return list(db.session.scalars(query))


# Was it a good answer? And drafts put to people before they go out


RATING_PROMPT = "Did this answer what people said?"


@transactional
def rate(response: Response, answer: str, comment: str, locale: str) -> Rating:
    """A reader's verdict; a comment is stored as feedback, so it is moderated, redacted and
    scanned for safeguarding like any other."""
    if response.stage != Stage.PUBLISHED:
        raise ResponseError(_("This response is not published"))
    if answer not in Answer.ALL:
        raise ResponseError(_("Choose yes, partly or no"), "answer")
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
    return {answer: counts.get(answer, 0) for answer in Answer.ALL}


@transactional
def save_consultation(officer: User, values: dict[str, Any]) -> Consultation:
    for name in ("title", "draft", "option_a", "option_b"):
        if not (values.get(name) or "").strip():
            raise ResponseError(_("Fill in every part of the draft"), name)
    if values.get("audience") not in ("ambassadors", "link"):
        raise ResponseError(_("Choose who is asked"), "audience")
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
    consultation: Consultation, choice: str, comment: str, user: User | None, locale: str
) -> Reaction:
    """One reaction per ambassador (they can change it); anyone with a link's reaction counts."""
    if not consultation.open:
        raise ResponseError(_("This question has closed"))
    if choice not in ("a", "b"):
        raise ResponseError(_("Choose one of the two"), "choice")
    if consultation.audience == "ambassadors" and (
        user is None or user.role != Role.YOUTH_AMBASSADOR
    ):
        raise ResponseError(_("Only youth ambassadors are asked this"))
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


# Following an area or a theme


@transactional
def follow(email: str, area: Area | None, theme: Theme | None, locale: str) -> Follow:
    """Ask to follow; a confirmation email goes out, and nothing else until it is used."""
    email = email.strip().lower()
    if "@" not in email or " " in email or len(email) > 254:
        raise ResponseError(_("Enter an email address like name@example.com"), "email")
    if area is None and theme is None:
        raise ResponseError(_("Choose an area or a theme to follow"), "area")
    existing = db.session.scalar(
        select(Follow).where(
            Follow.email == email,
            Follow.area_id == (area.id if area else None),
            Follow.theme_id == (theme.id if theme else None),
        )
    )
    following = existing or Follow(email=email, area=area, theme=theme, locale=locale)
    db.session.add(following)
    db.session.flush()
    if following.confirmed_at is None:
        queue_email(
            email,
            "ysd_follow_confirm",
            locale,
            what=(area.name if area else "") or (theme.label(locale) if theme else ""),
            link=external_url(
                "you_said_we_did.confirm_follow", token=token_for(str(following.id), "follow")
            ),
        )
    return following


@transactional
def confirm_follow(token: str) -> Follow | None:
    follow_id = email_from(token, "follow")
    following = db.session.get(Follow, int(follow_id)) if follow_id else None
    if following is not None and following.confirmed_at is None:
        following.confirmed_at = utcnow()
    return following


def _followers(response: Response) -> dict[str, str]:
    area_ids = [a.id for a in response.areas]
    theme_ids = [t.id for t in response.themes]
    if not area_ids and not theme_ids:
        return {}
    query = select(Follow).where(
        Follow.confirmed_at.is_not(None),
        or_(Follow.area_id.in_(area_ids), Follow.theme_id.in_(theme_ids)),
    )
    return {f.email: f.locale for f in db.session.scalars(query)}
