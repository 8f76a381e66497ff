"""How well the partnership closes the loop: the share of feedback answered by a published
response (overall, by area, theme and partner), how long people wait for a first answer,
and what has waited longer than 12 weeks (the UK consultation norm) with none."""

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Integer, Select, and_, case, cast, func, select

from engage.extensions import db
from engage.feedback.models import FeedbackItem, ItemStatus, Theme, item_themes
from engage.geo.models import Area, AreaLevel
from engage.you_said_we_did.logic import satisfaction
from engage.you_said_we_did.models import (
    PARTNERS,
    Response,
    ResponsePartner,
    Stage,
    Status,
    response_items,
)

TWELVE_WEEKS = timedelta(weeks=12)


@dataclass(frozen=True)
class Scope:
    """Feedback received in a period, about some areas (the board's report); None is all."""

    start: date | None = None
    end: date | None = None
    area_ids: tuple[int, ...] | None = None

    def items(self, query):
        if self.start is not None:
            query = query.where(FeedbackItem.received_on >= self.start)
        if self.end is not None:
            query = query.where(FeedbackItem.received_on <= self.end)
        if self.area_ids is not None:
            query = query.where(FeedbackItem.area_id.in_(self.area_ids))
        return query


EVERYTHING = Scope()


@dataclass
class Share:
    label: str
    answered: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.answered / self.total if self.total else 0.0


@dataclass
class Loop:
    overall: Share
    by_area: list[Share]
    by_theme: list[Share]
    median_days: float | None
    p90_days: float | None
    waiting: int  # items older than 12 weeks with no published response
    oldest_waiting: list[FeedbackItem]
    by_partner: dict[str, Counter]  # partner -> done / overdue / open -> responses
    satisfaction: dict[str, int]  # yes / partly / no


@dataclass(frozen=True)
class _Answers:
    """Where each item's first answer is read from: `at` is its moment (NULL when unanswered)
    and `joined` adds to a query on items what `at` needs."""

    at: Any
    joined: Callable[[Select], Select]


def _kept() -> _Answers:
    """The moment the database keeps on each item (triggers, migration 0086): no grouping."""
    return _Answers(FeedbackItem.first_answered_at, lambda query: query)


def _straight() -> _Answers:
    """Grouped from every link on each count: the oracle the kept moment is tested against."""
    first = _first_answers()
    return _Answers(
        first.c.first, lambda query: query.outerjoin(first, first.c.item_id == FeedbackItem.id)
    )


def _first_answers():
    """Item id and the moment its first published response appeared (a subquery)."""
    return (
        select(
            response_items.c.item_id.label("item_id"),
            func.min(Response.published_at).label("first"),
        )
        .join(Response, Response.id == response_items.c.response_id)
        .where(Response.stage == Stage.PUBLISHED)
        .group_by(response_items.c.item_id)
        .subquery()
    )


def _lap_of(areas: dict[int, Area], area_id: int | None) -> Area | None:
    area = areas.get(area_id) if area_id is not None else None
    while area is not None and area.level != AreaLevel.LAP and area.parent_id in areas:
        area = areas[area.parent_id]
    return area


def _approved():
    return FeedbackItem.status == ItemStatus.APPROVED


def loop(today: date, scope: Scope = EVERYTHING, straight: bool = False) -> Loop:
    """Everything is counted in the database, grouped; only the groups come back. A scope
    narrows the feedback counted (and the partners' actions, to responses about its areas).
    Each item's first answer is the moment kept on it, and over all feedback each theme's
    counts are those kept on it; `straight` groups every link instead (the same figures, as
    the tests check; many times slower on a big board)."""
    first = _straight() if straight else _kept()
    kept_themes = not straight and scope == EVERYTHING
    tally = _tally(first, today, scope)
    by_area = _by_area(tally)
    waits: Counter = Counter()
    for (_, wait, _), count in tally.items():
        if wait is not None:
            waits[wait] += count
    deciles = _quantiles(waits)
    return Loop(
        overall=Share("", sum(s.answered for s in by_area), sum(s.total for s in by_area)),
        by_area=[s for s in by_area if s.label],
        by_theme=_kept_theme_counts() if kept_themes else _by_theme(first, scope),
        median_days=deciles[0],
        p90_days=deciles[1],
        waiting=sum(count for (_, _, overdue), count in tally.items() if overdue),
        oldest_waiting=_oldest(first, today, scope),
        by_partner=_by_partner(today, scope),
        satisfaction=satisfaction(),
    )


def _days_waited(at, received):
    """Whole days from the day an item was received to the day of `at` (NULL when `at` is)."""
    if db.engine.dialect.name == "postgresql":
        return cast(at, Date) - received
    return cast(func.julianday(func.date(at)) - func.julianday(received), Integer)


def _tally(first: _Answers, today: date, scope: Scope) -> Counter:
    """Approved items counted by (area, days to the first answer or None, waiting over 12
    weeks): the shares by area, the waits and the overdue count from one pass over the items
    (on the kept answers, one covering index), a few thousand groups back."""
    wait = _days_waited(first.at, FeedbackItem.received_on)
    overdue = case((_overdue(first, today), 1), else_=0)
    rows = db.session.execute(
        scope.items(
            first.joined(select(FeedbackItem.area_id, wait, overdue, func.count())).where(
                _approved()
            )
        ).group_by(FeedbackItem.area_id, wait, overdue)
    ).all()
    return Counter({(area_id, days, bool(late)): count for area_id, days, late, count in rows})


def _by_area(tally: Counter) -> list[Share]:
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.level != "lsoa"))}
    per_lap: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (area_id, wait, _), count in tally.items():
        lap = _lap_of(areas, area_id)
        counts = per_lap[lap.name if lap else ""]
        counts[0] += count if wait is not None else 0
        counts[1] += count
    return [Share(name, a, t) for name, (a, t) in sorted(per_lap.items())]


def _by_theme(first: _Answers, scope: Scope) -> list[Share]:
    rows = db.session.execute(
        scope.items(
            first.joined(
                select(Theme.name, func.count(FeedbackItem.id), func.count(first.at))
                .join(item_themes, item_themes.c.theme_id == Theme.id)
                .join(FeedbackItem, FeedbackItem.id == item_themes.c.item_id)
            ).where(_approved())
        ).group_by(Theme.name)
    ).all()
    return [Share(name, answered, total) for name, total, answered in sorted(rows)]


def _kept_theme_counts() -> list[Share]:
    """Over all feedback: the counts each theme keeps (triggers, migration 0087), no join."""
    rows = db.session.execute(
        select(Theme.name, func.sum(Theme.approved_items), func.sum(Theme.answered_items))
        .where(Theme.approved_items > 0)
        .group_by(Theme.name)  # as the straight join groups them
    ).all()
    return [Share(name, answered, total) for name, total, answered in sorted(rows)]


def _quantiles(waits: Counter) -> tuple[float | None, float | None]:
    """Median and 90th percentile of a {value: count} histogram."""
    total = sum(waits.values())
    if not total:
        return None, None
    values = sorted(waits.items())

    def at(position: float) -> float:
        seen = 0
        for value, count in values:
            seen += count
            if seen >= position:
                return float(value)
        return float(values[-1][0])

    middle = (at((total + 1) // 2) + at(total // 2 + 1)) / 2
    return middle, at(math.ceil(0.9 * total))


def _overdue(first: _Answers, today: date):
    """Unanswered, and received more than 12 weeks before today."""
    return and_(first.at.is_(None), FeedbackItem.received_on < today - TWELVE_WEEKS)


def _unanswered(first: _Answers, today: date, scope: Scope):
    return scope.items(
        first.joined(select(FeedbackItem)).where(_approved(), _overdue(first, today))
    )


def _oldest(first: _Answers, today: date, scope: Scope, limit: int = 50) -> list[FeedbackItem]:
    query = _unanswered(first, today, scope).order_by(FeedbackItem.received_on, FeedbackItem.id)
    return list(db.session.scalars(query.limit(limit)))


def _by_partner(today: date, scope: Scope) -> dict[str, Counter]:
    """Per partner: actions done, overdue (past the date they gave) and still open."""
    result: dict[str, Counter] = {p: Counter() for p in PARTNERS}
    query = (
        select(ResponsePartner.partner, Response.status, Response.due_on)
        .join(Response, Response.id == ResponsePartner.response_id)
        .where(Response.stage == Stage.PUBLISHED, Response.status != Status.NOT_TAKEN_FORWARD)
    )
    if scope.area_ids is not None:
        query = query.where(Response.areas.any(Area.id.in_(scope.area_ids)))
    rows = db.session.execute(query).all()
    for partner, status, due in rows:
        kind = "done" if status == Status.DONE else "overdue" if due and due < today else "open"
        if partner in result:
            result[partner][kind] += 1
    return {p: c for p, c in result.items() if c}


def published_count(scope: Scope) -> int:
    """Responses first published in the scope's period, about its areas."""
    query = select(func.count(Response.id)).where(Response.stage == Stage.PUBLISHED)
    if scope.start is not None:
        query = query.where(func.date(Response.published_at) >= scope.start)
    if scope.end is not None:
        query = query.where(func.date(Response.published_at) <= scope.end)
    if scope.area_ids is not None:
        query = query.where(Response.areas.any(Area.id.in_(scope.area_ids)))
    return db.session.scalar(query) or 0
