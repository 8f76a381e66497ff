"""Telling people. Each publication or approved update is owed to everyone whose linked
feedback left an email with consent, to the youth ambassadors whose forum's sessions fed it,
and (for new responses) to confirmed followers of its areas or themes; the notices are gathered
into one digest email per person per day. Links in those emails are opaque tokens (no address
inside): the private "what happened to my feedback?" link expires and a new one comes with
each email."""

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.models import ambassador_areas
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.models import Contact, FeedbackItem, ItemStatus, Theme
from engage.geo.models import Area
from engage.notifications.logic import queue_email
from engage.tokens import Purpose, issue, subject_of, use
from engage.urls import external_url
from engage.you_said_we_did.models import Follow, Notice, OptOut, Response, Stage

UNSUBSCRIBE_LIFETIME = timedelta(days=730)
FOLLOW_CONFIRM_LIFETIME = timedelta(days=14)


class FollowError(UserError):
    """A follow that cannot be set up as asked."""


def _private_link_lifetime() -> timedelta:
    return timedelta(days=current_app.config["PRIVATE_LINK_DAYS"])


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
    mine = issue(Purpose.MY_FEEDBACK, email, _private_link_lifetime())
    stop = issue(Purpose.UNSUBSCRIBE, email, UNSUBSCRIBE_LIFETIME)
    queue_email(
        email,
        "ysd_digest",
        notices[0].locale,
        responses=[(r.title, external_url("you_said_we_did.show", response_id=r.id))
                   for r in responses],
        my_feedback=external_url("you_said_we_did.my_feedback", token=mine),
        unsubscribe=external_url("you_said_we_did.unsubscribe", token=stop),
        days=_private_link_lifetime().days,
    )  # fmt: skip
    for contact in db.session.scalars(select(Contact).where(Contact.email == email)):
        contact.last_response_at = utcnow()  # the retention clock starts again


def email_for_private_link(token: str) -> str | None:
    return subject_of(Purpose.MY_FEEDBACK, token)


def email_for_unsubscribe(token: str) -> str | None:
    return subject_of(Purpose.UNSUBSCRIBE, token)


@transactional
def opt_out(email: str) -> None:
    if db.session.scalar(select(OptOut.id).where(OptOut.email == email)) is None:
        db.session.add(OptOut(email=email))
        try:
            db.session.flush()
        except IntegrityError:  # the same link used twice at once: one row is enough
            db.session.rollback()


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


# Following an area or a theme


def _existing_follow(email: str, area: Area | None, theme: Theme | None) -> Follow | None:
    return db.session.scalar(
        select(Follow).where(
            Follow.email == email,
            Follow.area_id.is_(None) if area is None else Follow.area_id == area.id,
            Follow.theme_id.is_(None) if theme is None else Follow.theme_id == theme.id,
        )
    )


@transactional
def follow(email: str, area: Area | None, theme: Theme | None, locale: str) -> Follow:
    """Ask to follow; a confirmation email goes out, and nothing else until it is used."""
    email = email.strip().lower()
    if area is None and theme is None:
        raise FollowError(_("Choose an area or a theme to follow"), "area")
    following = _existing_follow(email, area, theme)
    if following is None:
        following = Follow(email=email, area=area, theme=theme, locale=locale)
        db.session.add(following)
        try:
            db.session.flush()
        except IntegrityError as error:  # the same request twice at once: one is kept
            raise FollowError(
                _("You have already asked to follow this. Check your email for the link."),
                "email",
            ) from error
    if following.confirmed_at is None:
        token = issue(Purpose.CONFIRM_FOLLOW, str(following.id), FOLLOW_CONFIRM_LIFETIME)
        queue_email(
            email,
            "ysd_follow_confirm",
            locale,
            what=(area.name if area else "") or (theme.label(locale) if theme else ""),
            link=external_url("you_said_we_did.confirm_follow", token=token),
        )
    return following


@transactional
def confirm_follow(token: str) -> Follow | None:
    follow_id = use(Purpose.CONFIRM_FOLLOW, token)
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
