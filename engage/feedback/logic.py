"""Forums, sessions and capturing feedback. Every item is checked, gets a redacted public copy
and is scanned for safeguarding indicators on arrival; what the public and ambassadors send
waits for moderation, what officers type in from a session is approved by them as they enter
it. A batch is all or nothing: one bad row and nothing is saved."""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, func, insert, select

from engage.accounts.models import User
from engage.database import chunks, transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.duplicates import group_duplicates as group_duplicates
from engage.feedback.duplicates import group_new_items
from engage.feedback.models import (
    Audience,
    Contact,
    FeedbackItem,
    Forum,
    ForumSession,
    ItemStatus,
    OpenQuestion,
    Theme,
    item_themes,
)
from engage.feedback.reach import check_profile
from engage.feedback.redaction import redact
from engage.feedback.safeguarding import open_case, scanner
from engage.feedback.triage import Scanner
from engage.geo.lookup import area_index, gazetteer
from engage.geo.models import Area, AreaLevel
from engage.geo.places import PlaceNotFound
from engage.once import claim

MAX_TEXT = 5000
LANGUAGES = ("en", "pl", "other")
LINKS_PER_STATEMENT = 1000  # item-theme links: two parameters each, within either database's limit
CONSENT = _l(
    "I agree that the partnership may email me about what happens to my feedback. "
    "My email address is kept apart from what I said, is never published, and is deleted "
    "12 months after the last email the partnership sends me, or sooner if I ask."
)


class FeedbackError(UserError):
    """Something that cannot be saved; `field` names the form field, `line` the CSV line."""


# Themes, areas, questions


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def areas() -> list[Area]:
    """Areas feedback can be about: Local Area Partnerships, then wards."""
    query = select(Area).where(Area.level.in_([AreaLevel.LAP, AreaLevel.WARD]))
    return sorted(db.session.scalars(query), key=lambda a: (a.level != AreaLevel.LAP, a.name))


def find_area(text: str) -> Area | None:
    """An area by code or by name (any case)."""
    text = text.strip()
    if not text:
        return None
    return db.session.scalar(select(Area).where(Area.code == text)) or db.session.scalar(
        select(Area)
        .where(func.lower(Area.name) == text.lower())
        .order_by(Area.level)  # "lap" before "lsoa" before "ward"
        .limit(1)
    )


def area_finder() -> Callable[[str], Area | None]:
    """`find_area` for many rows at once: every area read once, then looked up in memory."""
    by_code: dict[str, Area] = {}
    by_name: dict[str, Area] = {}
    for area in db.session.scalars(select(Area).order_by(Area.level.desc())):
        by_code[area.code] = area
        by_name[area.name.lower()] = area  # "lap" is read last, so it wins, as in find_area
    return lambda text: by_code.get(text.strip()) or by_name.get(text.strip().lower())


def area_for_place(text: str) -> Area | None:
    """The area a typed place is in: an area's own name or code, else a town, village or
    postcode from the gazetteer, placed in its ward (or its Local Area Partnership)."""
    area = find_area(text)
    if area is not None or not text.strip():
        return area
    found = gazetteer().find(text)
    if isinstance(found, PlaceNotFound):
        return None
    shapes = [
        s
        for s in area_index().areas_at(found.longitude, found.latitude)
        if s.level in (AreaLevel.WARD, AreaLevel.LAP)
    ]
    if not shapes:
        return None
    best = min(shapes, key=lambda s: s.level != AreaLevel.WARD)
    return db.session.get(Area, best.area_id)


def theme_by_slug(slug: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def questions() -> list[OpenQuestion]:
    """Every question put to the public, newest first (officers' list)."""
    return list(db.session.scalars(select(OpenQuestion).order_by(OpenQuestion.id.desc())))


def open_questions() -> list[OpenQuestion]:
    query = select(OpenQuestion).where(OpenQuestion.open.is_(True))
    return list(db.session.scalars(query.order_by(OpenQuestion.created_at.desc())))


@transactional
def save_question(
    officer: User, question: OpenQuestion | None, values: dict[str, Any]
) -> OpenQuestion:
    if not (values.get("title") or "").strip():
        raise FeedbackError(_("Enter the question"), "title")
    question = question or OpenQuestion()
    question.title = values["title"].strip()[:200]
    question.body = (values.get("body") or "").strip()
    question.open = bool(values.get("open", True))
    db.session.add(question)
    return question


# Forums and sessions


def forums() -> list[Forum]:
    return list(db.session.scalars(select(Forum).order_by(Forum.name)))


@transactional
def save_forum(officer: User, forum: Forum | None, values: dict[str, Any]) -> Forum:
    name = (values.get("name") or "").strip()
    if not name:
        raise FeedbackError(_("Enter the forum's name"), "name")
    if values.get("audience") not in Audience.values():
        raise FeedbackError(_("Choose who the forum is for"), "audience")
    forum = forum or Forum()
    forum.name, forum.audience = name[:120], values["audience"]
    forum.partners = (values.get("partners") or "").strip()[:300]
    ids = values.get("area_ids") or []
    forum.areas = list(db.session.scalars(select(Area).where(Area.id.in_(ids)))) if ids else []
    db.session.add(forum)
    return forum


@transactional
def save_session(
    officer: User, forum: Forum, session: ForumSession | None, values: dict[str, Any]
) -> ForumSession:
    """Plan or record a session; its attendance profile is counts only and must add up."""
    if not isinstance(values.get("held_on"), date):
        raise FeedbackError(_("Enter the date of the session"), "held_on")
    attendees = values.get("attendees")
    if attendees is not None and attendees < 0:
        raise FeedbackError(_("The number of people who came cannot be negative"), "attendees")
    profile = values.get("profile") or {}
    problems = check_profile(profile, attendees)
    if problems:
        raise FeedbackError(
            _("The attendance counts do not add up: %(problems)s", problems="; ".join(problems)),
            "profile",
        )
    session = session or ForumSession(forum=forum)
    session.held_on, session.attendees, session.profile = values["held_on"], attendees, profile
    for key in ("starts_at", "place", "facilitator"):
        setattr(session, key, (values.get(key) or "").strip())
    session.prompts = [p.strip() for p in values.get("prompts") or [] if p.strip()]
    session.public = bool(values.get("public"))
    db.session.add(session)
    return session


def upcoming_sessions(today: date) -> list[ForumSession]:
    """The public "have your say" calendar."""
    query = (
        select(ForumSession)
        .where(ForumSession.public.is_(True), ForumSession.held_on >= today)
        .order_by(ForumSession.held_on, ForumSession.starts_at)
    )
    return list(db.session.scalars(query))


# Capturing items


@dataclass
class NewItem:
    text: str
    source: str
    received_on: date
    area: Area | None = None
    themes: list[Theme] = field(default_factory=list)
    language: str = "en"
    prompt: str = ""
    session: ForumSession | None = None
    question: OpenQuestion | None = None
    young_person: bool | None = None
    by_ambassador: bool = False
    email: str = ""
    locale: str = "en_GB"


POLISH_LETTERS = set("ąćęłńóśźż")
POLISH_WORDS = {"nie", "jest", "się", "że", "na", "dla", "mnie", "bardzo", "jak", "ale", "czy"}
ENGLISH_WORDS = {"the", "and", "is", "not", "to", "of", "we", "it", "there", "they", "you"}


def guess_language(text: str, locale: str = "en") -> str:
    """ "pl" or "en" from the words used (Polish letters or common words), else the language
    of the page it was written on."""
    words = text.lower().split()
    polish = sum(w in POLISH_WORDS for w in words) + 2 * any(c in POLISH_LETTERS for c in text)
    english = sum(w in ENGLISH_WORDS for w in words)
    if polish > english:
        return "pl"
    if english > polish:
        return "en"
    return "pl" if locale.startswith("pl") else "en"


def check_text(text: str, field_name: str = "text", line: int | None = None) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise FeedbackError(_("Write what was said"), field_name, line)
    if len(text) > MAX_TEXT:
        raise FeedbackError(
            _("Keep it to %(max)s characters or fewer", max=f"{MAX_TEXT:,}"), field_name, line
        )
    return text


@functools.cache
def _labels(language: str) -> dict[str, str]:
    """The words that replace personal data, in the item's language (read once each)."""
    with force_locale("pl" if language == "pl" else "en_GB"):
        return {
            "email": _("[email removed]"),
            "phone": _("[phone number removed]"),
            "postcode": _("[postcode removed]"),
            "vehicle": _("[vehicle registration removed]"),
            "name": _("[name removed]"),
        }


def public_copy(text: str, language: str, names: Sequence[str] = ()) -> str:
    """The redacted text, its labels in the item's language."""
    return redact(text, names, _labels(language)).text


def record_item(
    new: NewItem, status: str, actor: User | None, found: Scanner, contact: Contact | None
) -> FeedbackItem:
    item = FeedbackItem(
        text=new.text,
        public_text=public_copy(new.text, new.language),
        source=new.source,
        session=new.session,
        question=new.question,
        prompt=new.prompt[:300],
        area=new.area,
        themes=list(new.themes),
        language=new.language if new.language in LANGUAGES else "other",
        young_person=new.young_person,
        by_ambassador=new.by_ambassador,
        submitted_by_id=actor.id if actor else None,
        contact=contact,
        received_on=new.received_on,
        status=status,
    )
    if status == ItemStatus.APPROVED and actor is not None:
        item.moderated_by_id, item.moderated_at = actor.id, utcnow()
    db.session.add(item)
    matched = found.scan(new.text)
    if matched:
        open_case(item, _("Indicator phrases: %(phrases)s", phrases=", ".join(matched)))
    return item


def _contact(email: str, locale: str) -> Contact | None:
    email = email.strip().lower()
    if not email:
        return None
    if "@" not in email or len(email) > 254 or " " in email:
        raise FeedbackError(_("Enter an email address like name@example.com"), "email")
    return Contact(email=email, consent_text=str(CONSENT), locale=locale)


@transactional
def submit_online(
    new: NewItem, consent: bool, ambassador: User | None = None, once_key: str | None = None
) -> FeedbackItem:
    """The public or an ambassador: waits for moderation (or goes to the safeguarding lead).
    An email address is kept only with explicit consent to hear back. A page's `once_key`
    makes a double click count once."""
    new.text = check_text(new.text)
    claim(once_key)
    if new.email.strip() and not consent:
        raise FeedbackError(
            _("Tick the box to say we may email you, or leave the email address empty"),
            "consent",
        )
    contact = _contact(new.email, new.locale)
    if contact is not None:
        db.session.add(contact)
    item = record_item(new, ItemStatus.PENDING, ambassador, scanner(), contact)
    db.session.flush()
    group_duplicates([item], lookback=1000)
    return item


@transactional
def enter_items(officer: User, items: list[NewItem]) -> list[FeedbackItem]:
    """A session's items typed in by an officer (see `save_items`), as objects."""
    ids = save_items(officer, items)
    query = select(FeedbackItem).where(FeedbackItem.id.in_(ids)).order_by(FeedbackItem.id)
    return list(db.session.scalars(query))


def save_items(officer: User, items: list[NewItem]) -> list[int]:
    """A session's items typed in (or imported) by an officer, all checked first: one bad
    item and none is saved. The officer is their moderator; indicators still go to the
    safeguarding lead. Written in bulk (one INSERT for the items, one for their themes, one
    UPDATE for near-duplicate groups); returns the new ids in the items' order."""
    if not items:
        raise FeedbackError(_("Write at least one item"), "text")
    for number, new in enumerate(items, start=1):
        new.text = check_text(new.text, f"items-{number - 1}-text", line=number)
    _store_related(items)
    found, now = scanner(), utcnow()
    matches = [found.scan(new.text) for new in items]
    rows = [
        _item_row(new, officer, now, bool(matched))
        for new, matched in zip(items, matches, strict=True)
    ]
    ids = _insert_items(rows)
    links = [
        {"item_id": item_id, "theme_id": theme.id}
        for item_id, new in zip(ids, items, strict=True)
        for theme in dict.fromkeys(new.themes)
    ]
    # Multi-row statements, not one per link: the themes' counts are kept by a trigger that
    # PostgreSQL runs once per statement (migration 0087).
    for some in chunks(links, LINKS_PER_STATEMENT):
        db.session.execute(insert(item_themes).values(list(some)))
    for item_id, matched in zip(ids, matches, strict=True):
        if matched:  # rare: the case and the lead's email, as for one item
            reason = _("Indicator phrases: %(phrases)s", phrases=", ".join(matched))
            open_case(db.session.get_one(FeedbackItem, item_id), reason)
    group_new_items([(item_id, new.text) for item_id, new in zip(ids, items, strict=True)])
    return ids


def _insert_items(rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows; their new ids in the rows' order. On PostgreSQL, batched INSERTs
    RETURNING ids in order. On SQLite (where SQLAlchemy would send a statement per row to keep
    that order): the first row RETURNING its id, which takes the database's write lock until
    commit, then the rest in one executemany; each new row's id is one more than the largest,
    so ours are the ids from the first one up, in order."""
    table = cast(Table, FeedbackItem.__table__)
    if db.engine.dialect.name != "sqlite":
        inserted = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(db.session.execute(inserted, rows).scalars())
    first = db.session.execute(insert(table).returning(table.c.id), rows[:1]).scalar_one()
    if len(rows) > 1:
        db.session.execute(insert(table), rows[1:])
    ours = select(table.c.id).where(table.c.id >= first).order_by(table.c.id)
    return list(db.session.execute(ours).scalars())


def _store_related(items: list[NewItem]) -> None:
    """Sessions, questions and areas the items name that are not saved yet (they get ids)."""
    unsaved = {
        id(thing): thing
        for new in items
        for thing in (new.session, new.question, new.area)
        if thing is not None and thing.id is None
    }
    if unsaved:
        db.session.add_all(unsaved.values())
        db.session.flush()


def _item_row(new: NewItem, officer: User, now: datetime, flagged: bool) -> dict[str, Any]:
    """The columns `record_item` would give an approved item (held back when flagged)."""
    return {
        "text": new.text,
        "public_text": "" if flagged else public_copy(new.text, new.language),
        "source": new.source,
        "session_id": new.session.id if new.session else None,
        "question_id": new.question.id if new.question else None,
        "prompt": new.prompt[:300],
        "area_id": new.area.id if new.area else None,
        "language": new.language if new.language in LANGUAGES else "other",
        "young_person": new.young_person,
        "by_ambassador": new.by_ambassador,
        "submitted_by_id": officer.id,
        "received_on": new.received_on,
        "status": ItemStatus.SAFEGUARDING if flagged else ItemStatus.APPROVED,
        "moderated_by_id": officer.id,
        "moderated_at": now,
    }
