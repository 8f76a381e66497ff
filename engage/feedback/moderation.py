"""Moderation: what the public and ambassadors send waits here until an officer approves it
(its redacted copy may then be quoted) or rejects it with a reason (kept 30 days, then
erased). Officers also tag themes, mark names to take out, and flag items to the
safeguarding lead. Items with the safeguarding lead never appear here."""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import User
from engage.database import transactional, utcnow
from engage.extensions import db
from engage.feedback.analysis import areas_within
from engage.feedback.logic import FeedbackError, public_copy
from engage.feedback.models import FeedbackItem, ItemStatus, Theme, item_themes
from engage.feedback.similarity import Suggestion, ThemeSuggester, tokens
from engage.feedback.vocabulary import SaidBy
from engage.pagination import Page, page_of

REJECTED_KEPT = timedelta(days=30)


PAGE_SIZE = 20


@dataclass(frozen=True)
class QueueFilters:
    source: str | None = None  # a Source
    area_id: int | None = None  # an area, the areas inside it included
    theme_id: int | None = None
    age: str | None = None  # a SaidBy


def queue(filters: QueueFilters = QueueFilters(), page: int = 1) -> Page[FeedbackItem]:
    """One page of the items waiting for moderation that match the filters, oldest first."""
    query = select(FeedbackItem).where(FeedbackItem.status == ItemStatus.PENDING)
    if filters.source:
        query = query.where(FeedbackItem.source == filters.source)
    if filters.area_id:
        query = query.where(FeedbackItem.area_id.in_(areas_within(filters.area_id)))
    if filters.theme_id:
        query = query.where(FeedbackItem.themes.any(Theme.id == filters.theme_id))
    if filters.age == SaidBy.YOUNG_PERSON:
        query = query.where(FeedbackItem.young_person.is_(True))
    elif filters.age == SaidBy.NOT_MARKED:
        query = query.where(or_(FeedbackItem.young_person.is_(None),
                                FeedbackItem.young_person.is_(False)))  # fmt: skip
    return page_of(query.order_by(FeedbackItem.created_at, FeedbackItem.id), page, PAGE_SIZE)


def waiting() -> int:
    query = select(func.count(FeedbackItem.id)).where(FeedbackItem.status == ItemStatus.PENDING)
    return db.session.scalar(query) or 0


def _open(item: FeedbackItem) -> None:
    if item.status == ItemStatus.SAFEGUARDING:
        raise FeedbackError(_("This item is with the safeguarding lead and cannot be changed"))


@transactional
def approve(officer: User, item: FeedbackItem) -> None:
    _open(item)
    item.status, item.reason = ItemStatus.APPROVED, ""
    item.moderated_by_id, item.moderated_at = officer.id, utcnow()


@transactional
def reject(officer: User, item: FeedbackItem, reason: str) -> None:
    _open(item)
    if not reason.strip():
        raise FeedbackError(_("Give a reason for rejecting it"), "reason")
    item.status, item.reason = ItemStatus.REJECTED, reason.strip()
    item.moderated_by_id, item.moderated_at = officer.id, utcnow()


@transactional
def mark_names(officer: User, item: FeedbackItem, names: list[str]) -> None:
    """Names to take out of the public copy (the original keeps them, for officers)."""
    _open(item)
    item.redacted_names = sorted({n.strip() for n in names if n.strip()})
    item.public_text = public_copy(item.text, item.language, item.redacted_names)


@transactional
def set_themes(officer: User, item: FeedbackItem, theme_ids: list[int]) -> None:
    _open(item)
    chosen = list(db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids))))
    if len(chosen) != len(set(theme_ids)):
        raise FeedbackError(_("Choose themes from the list"), "themes")
    item.themes = chosen


_built: dict[str, tuple[tuple, ThemeSuggester]] = {}


def _tagging_version() -> tuple:
    """Changes whenever an approved item's themes or a theme's keywords change."""
    links = db.session.execute(
        select(func.count(), func.sum(item_themes.c.item_id), func.sum(item_themes.c.theme_id))
        .join(FeedbackItem, FeedbackItem.id == item_themes.c.item_id)
        .where(FeedbackItem.status == ItemStatus.APPROVED)
    ).one()
    keywords = tuple(db.session.execute(select(Theme.id, Theme.keywords).order_by(Theme.id)))
    return (tuple(links), hash(repr(keywords)))


def suggester(limit: int = 20000) -> ThemeSuggester:
    """The model, rebuilt only when tagging has changed since this process last built it (the
    moderation queue and item pages ask for it on every request)."""
    version = _tagging_version()
    key = str(db.engine.url)
    cached = _built.get(key)
    if cached is None or cached[0] != version:
        _built[key] = (version, _build(limit))
    return _built[key][1]


def _build(limit: int) -> ThemeSuggester:
    """Built from the most recent tagged items and every theme's keywords."""
    tagged = db.session.scalars(
        select(FeedbackItem)
        .where(FeedbackItem.themes.any(), FeedbackItem.status == ItemStatus.APPROVED)
        .options(selectinload(FeedbackItem.themes))
        .order_by(FeedbackItem.id.desc())
        .limit(limit)
    )
    keywords = {t.id: list(t.keywords or []) for t in db.session.scalars(select(Theme))}
    return ThemeSuggester([(tokens(i.text), [t.id for t in i.themes]) for i in tagged], keywords)


def suggestions(items: list[FeedbackItem]) -> dict[int, list[Suggestion]]:
    """Suggested themes per item id, leaving out themes it already has."""
    if not items:
        return {}
    model = suggester()
    return {
        item.id: [s for s in model.suggest(item.text) if s.theme not in {t.id for t in item.themes}]
        for item in items
    }


@transactional
def erase_old_rejections(now=None) -> int:
    """Rejected items are kept 30 days (so a mistake can be put right), then erased."""
    cutoff = (now or utcnow()) - REJECTED_KEPT
    old = select(FeedbackItem.id).where(
        FeedbackItem.status == ItemStatus.REJECTED, FeedbackItem.moderated_at < cutoff
    )
    items = list(db.session.scalars(select(FeedbackItem).where(FeedbackItem.id.in_(old))))
    for item in items:  # through the session, so their theme links go too (SQLite included)
        db.session.delete(item)
    return len(items)
