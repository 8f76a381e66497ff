"""Analysis for officers and the board: feedback by theme, area, source and month, a theme's
items and representative quotes, the reach of sessions, and a CSV export. Counts include
items approved or waiting for moderation; rejected items and items with the safeguarding
lead are left out."""

import io
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import selectinload

from engage.exporting import SafeWriter
from engage.extensions import db
from engage.feedback.models import (
    FeedbackItem,
    Forum,
    ForumSession,
    ItemStatus,
    Theme,
    forum_areas,
    item_themes,
)
from engage.feedback.reach import DIMENSIONS, ReachRow, add_profiles, compare, indicator
from engage.feedback.similarity import representative
from engage.geo.models import Area, AreaFigure, AreaLevel
from engage.pagination import Page, page_of

COUNTED = (ItemStatus.APPROVED, ItemStatus.PENDING)


@dataclass(frozen=True)
class Filters:
    theme_id: int | None = None
    area_id: int | None = None  # a LAP (its wards included) or a ward
    source: str | None = None
    forum_id: int | None = None
    start: date | None = None
    end: date | None = None


def areas_within(area_id: int) -> list[int]:
    """The area and every area inside it."""
    parents = dict(db.session.execute(select(Area.id, Area.parent_id)).tuples().all())
    found = {area_id}
    changed = True
    while changed:
        before = len(found)
        found |= {child for child, parent in parents.items() if parent in found}
        changed = len(found) > before
    return sorted(found)


def _where(query: Select, filters: Filters) -> Select:
    query = query.where(FeedbackItem.status.in_(COUNTED))
    if filters.theme_id:
        query = query.where(
            FeedbackItem.id.in_(
                select(item_themes.c.item_id).where(item_themes.c.theme_id == filters.theme_id)
            )
        )
    if filters.area_id:
        query = query.where(FeedbackItem.area_id.in_(areas_within(filters.area_id)))
    if filters.source:
        query = query.where(FeedbackItem.source == filters.source)
    if filters.forum_id:
        sessions = select(ForumSession.id).where(ForumSession.forum_id == filters.forum_id)
        query = query.where(FeedbackItem.session_id.in_(sessions))
    if filters.start:
        query = query.where(FeedbackItem.received_on >= filters.start)
    if filters.end:
        query = query.where(FeedbackItem.received_on <= filters.end)
    return query


def young_people(filters: Filters) -> tuple[int, int]:
    """Items from young people, and items whose sender's age is known."""
    query = select(func.count(FeedbackItem.id)).where(FeedbackItem.young_person.is_not(None))
    known = db.session.scalar(_where(query, filters)) or 0
    young = db.session.scalar(_where(query.where(FeedbackItem.young_person.is_(True)), filters))
    return young or 0, known


def total(filters: Filters) -> int:
    return db.session.scalar(_where(select(func.count(FeedbackItem.id)), filters)) or 0


def by_theme(filters: Filters) -> list[tuple[Theme | None, int]]:
    """(theme, items) largest first; None counts items with no theme yet."""
    counted = _where(select(FeedbackItem.id), filters).subquery()
    rows = db.session.execute(
        select(item_themes.c.theme_id, func.count())
        .where(item_themes.c.item_id.in_(select(counted.c.id)))
        .group_by(item_themes.c.theme_id)
    ).all()
    names = {t.id: t for t in db.session.scalars(select(Theme))}
    result: list[tuple[Theme | None, int]] = [(names[t], n) for t, n in rows]
    untagged = db.session.scalar(
        _where(select(func.count(FeedbackItem.id)), filters).where(~FeedbackItem.themes.any())
    )
    if untagged:
        result.append((None, untagged))
    return sorted(result, key=lambda r: (-r[1], r[0].name if r[0] else "~"))


def by_area(filters: Filters) -> list[tuple[Area | None, int]]:
    """Items per Local Area Partnership (ward items counted in their LAP)."""
    rows = db.session.execute(
        _where(select(FeedbackItem.area_id, func.count()), filters).group_by(FeedbackItem.area_id)
    ).all()
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.level != AreaLevel.LSOA))}
    counts: Counter = Counter()
    for area_id, n in rows:
        area = areas.get(area_id)
        while area is not None and area.level != AreaLevel.LAP and area.parent_id in areas:
            area = areas[area.parent_id]
        counts[area] += n
    return sorted(counts.items(), key=lambda r: (-r[1], r[0].name if r[0] else "~"))


def by_source(filters: Filters) -> list[tuple[str, int]]:
    rows = db.session.execute(
        _where(select(FeedbackItem.source, func.count()), filters).group_by(FeedbackItem.source)
    ).all()
    return sorted(((s, n) for s, n in rows), key=lambda r: (-r[1], r[0]))


def by_month(filters: Filters) -> list[tuple[date, int]]:
    year = extract("year", FeedbackItem.received_on)
    month = extract("month", FeedbackItem.received_on)
    rows = db.session.execute(
        _where(select(year, month, func.count()), filters).group_by(year, month)
    ).all()
    return sorted((date(int(y), int(m), 1), n) for y, m, n in rows)


def _theme_query(theme: Theme, within: Filters = Filters()) -> Select:
    query = _where(select(FeedbackItem), replace(within, theme_id=theme.id))
    return query.order_by(FeedbackItem.received_on.desc(), FeedbackItem.id.desc())


def theme_items(theme: Theme, limit: int = 200, within: Filters = Filters()) -> list[FeedbackItem]:
    return list(db.session.scalars(_theme_query(theme, within).limit(limit)))


def theme_page(theme: Theme, page: int, per_page: int = 50) -> Page[FeedbackItem]:
    """One page of a theme's items, newest first."""
    return page_of(_theme_query(theme), page, per_page)


def quotes(theme: Theme, limit: int = 3, within: Filters = Filters()) -> list[FeedbackItem]:
    """Approved items closest to what most people said about the theme (redacted copy), from
    the period and area `within` names, if any."""
    approved = [i for i in theme_items(theme, 500, within) if i.status == ItemStatus.APPROVED]
    return [approved[i] for i in representative([a.public_text for a in approved], limit)]


def export_csv(filters: Filters) -> str:
    """Items for officers and the board: the redacted text only, cells safe in spreadsheets."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        ["id", "received_on", "source", "forum", "session", "area", "themes", "language",
         "young_person", "status", "text"]
    )  # fmt: skip
    query = (
        _where(select(FeedbackItem), filters)
        .options(
            selectinload(FeedbackItem.session).joinedload(ForumSession.forum),
            selectinload(FeedbackItem.area),
            selectinload(FeedbackItem.themes),
        )
        .order_by(FeedbackItem.id)
    )
    for item in db.session.scalars(query):
        session = item.session
        writer.writerow(
            [
                item.id,
                item.received_on.isoformat(),
                item.source,
                session.forum.name if session else "",
                session.held_on.isoformat() if session else "",
                item.area.name if item.area else "",
                ";".join(t.slug for t in item.themes),
                item.language,
                {True: "yes", False: "no", None: ""}[item.young_person],
                item.status,
                item.public_text,
            ]
        )
    return out.getvalue()


# Reach


@dataclass
class Reach:
    sessions: int
    attendees: int
    rows: list[ReachRow]
    areas: list[Area]


def _sessions(forum_id: int | None, start: date | None, end: date | None, area_id: int | None):
    query = select(ForumSession)
    if forum_id:
        query = query.where(ForumSession.forum_id == forum_id)
    if start:
        query = query.where(ForumSession.held_on >= start)
    if end:
        query = query.where(ForumSession.held_on <= end)
    if area_id:
        forums = select(forum_areas.c.forum_id).where(forum_areas.c.area_id == area_id)
        query = query.where(ForumSession.forum_id.in_(forums))
    return list(db.session.scalars(query))


def session_count(start: date | None, end: date | None, area_id: int | None) -> int:
    """Sessions held in the period by forums of the area (all forums when None)."""
    return len(_sessions(None, start, end, area_id))


def _population(areas: list[Area]) -> dict[str, dict[str, float]]:
    ids = [a.id for a in areas]
    names = {indicator(d, g): (d, g) for d, groups in DIMENSIONS.items() for g in groups}
    figures = db.session.execute(
        select(AreaFigure.indicator, func.sum(AreaFigure.value))
        .where(AreaFigure.area_id.in_(ids), AreaFigure.indicator.in_(list(names)))
        .group_by(AreaFigure.indicator)
    ).all()
    population: dict[str, dict[str, float]] = {}
    for name, value in figures:
        dimension, group = names[name]
        population.setdefault(dimension, {})[group] = float(value)
    population["area"] = {a.code: float(a.population or 0) for a in areas}
    return population


def reach(
    forum_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    area_id: int | None = None,
) -> Reach:
    """Who came to the matching sessions, against who lives in the area: the chosen area,
    else the forum's areas, else every Local Area Partnership."""
    sessions = [s for s in _sessions(forum_id, start, end, area_id) if s.profile]
    if area_id:
        chosen = db.session.get(Area, area_id)
        areas = [chosen] if chosen is not None else []
    elif forum_id and (forum := db.session.get(Forum, forum_id)) and forum.areas:
        areas = list(forum.areas)
    else:
        areas = list(db.session.scalars(select(Area).where(Area.level == AreaLevel.LAP)))
    heard = add_profiles([s.profile for s in sessions])
    if "area" in heard:  # only the areas being compared
        heard["area"] = {
            code: n for code, n in heard["area"].items() if code in {a.code for a in areas}
        }
    rows = compare(heard, _population(areas))
    return Reach(len(sessions), sum(s.attendees or 0 for s in sessions), rows, areas)
