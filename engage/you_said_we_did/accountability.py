"""How well the partnership closes the loop: the share of feedback answered by a published
response (overall, by area, theme and partner), how long people wait for a first answer,
and what has waited longer than 12 weeks (the UK consultation norm) with none."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from engage.extensions import db
from engage.feedback.models import FeedbackItem, ItemStatus, Theme, item_themes
from engage.geo.models import Area, AreaLevel
from engage.you_said_we_did.logic import satisfaction
from engage.you_said_we_did.models import PARTNERS, Response, Stage, Status, response_items

TWELVE_WEEKS = timedelta(weeks=12)


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


def _first_answers() -> dict[int, date]:
    """Item id -> the day its first published response appeared."""
    rows = db.session.execute(
        select(response_items.c.item_id, func.min(Response.published_at))
        .join(Response, Response.id == response_items.c.response_id)
        .where(Response.stage == Stage.PUBLISHED)
        .group_by(response_items.c.item_id)
    ).all()
    return {item_id: published.date() for item_id, published in rows}


def _lap_of(areas: dict[int, Area], area_id: int | None) -> Area | None:
    area = areas.get(area_id)
    while area is not None and area.level != AreaLevel.LAP and area.parent_id in areas:
        area = areas[area.parent_id]
    return area


def loop(today: date) -> Loop:
    answered = _first_answers()
    items = db.session.execute(
        select(FeedbackItem.id, FeedbackItem.area_id, FeedbackItem.received_on).where(
            FeedbackItem.status == ItemStatus.APPROVED
        )
    ).all()
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.level != "lsoa"))}
    per_area: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    waits, waiting_ids = [], []
    for item_id, area_id, received in items:
        lap = _lap_of(areas, area_id)
        counts = per_area[lap.name if lap else ""]
        counts[1] += 1
        if item_id in answered:
            counts[0] += 1
            waits.append((answered[item_id] - received).days)
        elif today - received > TWELVE_WEEKS:
            waiting_ids.append(item_id)
    deciles = statistics.quantiles(waits, n=10) if len(waits) >= 2 else None
    return Loop(
        overall=Share("", sum(1 for i, *_ in items if i in answered), len(items)),
        by_area=[Share(k, a, t) for k, (a, t) in sorted(per_area.items()) if k],
        by_theme=_by_theme(answered),
        median_days=statistics.median(waits) if waits else None,
        p90_days=deciles[8] if deciles else (waits[0] if waits else None),
        waiting=len(waiting_ids),
        oldest_waiting=_oldest(waiting_ids),
        by_partner=_by_partner(today),
        satisfaction=satisfaction(),
    )


def _by_theme(answered: dict[int, date]) -> list[Share]:
    rows = db.session.execute(
        select(Theme.name, item_themes.c.item_id)
        .join(Theme, Theme.id == item_themes.c.theme_id)
        .join(FeedbackItem, FeedbackItem.id == item_themes.c.item_id)
        .where(FeedbackItem.status == ItemStatus.APPROVED)
    ).all()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, item_id in rows:
        counts[name][1] += 1
        counts[name][0] += item_id in answered
    return [Share(name, a, t) for name, (a, t) in sorted(counts.items())]


def _oldest(ids: list[int], limit: int = 50) -> list[FeedbackItem]:
    if not ids:
        return []
    query = (
        select(FeedbackItem)
        .where(FeedbackItem.id.in_(ids[:5000]))
        .order_by(FeedbackItem.received_on, FeedbackItem.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _by_partner(today: date) -> dict[str, Counter]:
    """Per partner: actions done, overdue (past the date they gave) and still open."""
    result: dict[str, Counter] = {p: Counter() for p in PARTNERS}
    rows = db.session.execute(
        select(Response.partners, Response.status, Response.due_on).where(
            Response.stage == Stage.PUBLISHED, Response.status != Status.NOT_TAKEN_FORWARD
        )
    ).all()
    for partners, status, due in rows:
        kind = "done" if status == Status.DONE else "overdue" if due and due < today else "open"
        for partner in partners.split(","):
            if partner in result:
                result[partner][kind] += 1
    return {p: c for p, c in result.items() if c}
