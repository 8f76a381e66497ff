"""Where we have not yet listened: for each area, the voices heard in the last 12 months
(feedback items, and people at sessions, per 1,000 residents; young people per 1,000
under-25s) set against need (deprivation and under-25s), ranked so the areas with most need
and fewest voices come first.

A session's people are placed by its own area counts; the rest are shared equally between
the areas of its forum. Its young people are its people times the share of them under 25 (from
its age counts; a youth forum's are all young). Items tagged to an area larger than the level
asked for (a LAP's, when wards are shown) cannot be placed and are left out."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from engage.extensions import db
from engage.feedback.analysis import COUNTED
from engage.feedback.models import Audience, FeedbackItem, Forum, ForumSession
from engage.geo import hierarchy
from engage.geo.models import Area, AreaLevel

MONTHS = 12
YOUNG_AGES = ("under_16", "16_24")


@dataclass
class Listening:
    area: Area
    decile: float
    items: int = 0
    young_items: int = 0
    attendance: float = 0.0
    young_attendance: float = 0.0
    sessions: int = 0
    last_session: date | None = None

    @property
    def under_25(self) -> int:
        return self.area.population_under_25 or 0

    @property
    def per_1000(self) -> float | None:
        people = self.area.population or 0
        return (self.items + self.attendance) * 1000 / people if people else None

    @property
    def young_per_1000(self) -> float | None:
        young = self.under_25
        return (self.young_items + self.young_attendance) * 1000 / young if young else None

    @property
    def need(self) -> float:
        return (11 - self.decile) / 10 * (self.under_25 / 1000 + 1)

    @property
    def score(self) -> float:
        """Higher: more need, fewer voices. It ranks; it is not a statistic."""
        heard = self.per_1000 if self.per_1000 is not None else self.items + self.attendance
        return self.need / (heard + 1)

    def reading(self) -> str:
        """ "Kingswood: decile 1, 3,100 under-25s, no session in 12 months, 2 items"."""
        parts = [_("decile %(d)s", d=format_number(round(self.decile, 1)))]
        if self.under_25:
            parts.append(_("%(n)s under-25s", n=format_number(self.under_25)))
        if self.sessions:
            parts.append(
                ngettext("%(num)d session in 12 months", "%(num)d sessions in 12 months",
                         self.sessions)
            )  # fmt: skip
        else:
            parts.append(_("no session in 12 months"))
        parts.append(ngettext("%(num)d item", "%(num)d items", self.items))
        return f"{self.area.name}: " + ", ".join(parts)


def _inside(areas: dict[int, Area], level: str) -> dict[int, list[int]]:
    """Each area -> the areas at the level within it (itself, if at the level)."""
    up = hierarchy.up(areas, level)
    result: dict[int, list[int]] = defaultdict(list)
    for area in areas.values():
        if area.level == level:
            node: Area | None = area
            while node is not None:
                result[node.id].append(area.id)
                node = areas.get(node.parent_id) if node.parent_id else None
    for area_id, at_level in up.items():
        result.setdefault(area_id, [at_level])
    return result


def _count_items(rows: dict[int, Listening], up: dict[int, int], since: date, today: date) -> None:
    young = func.sum(case((FeedbackItem.young_person.is_(True), 1), else_=0))
    counted = db.session.execute(
        select(FeedbackItem.area_id, func.count(FeedbackItem.id), young)
        .where(
            FeedbackItem.status.in_(COUNTED),
            FeedbackItem.received_on >= since,
            FeedbackItem.received_on <= today,
            FeedbackItem.area_id.is_not(None),
        )
        .group_by(FeedbackItem.area_id)
    ).all()
    for area_id, n, young_n in counted:
        target = rows.get(up.get(area_id, -1))
        if target is not None:
            target.items += n
            target.young_items += int(young_n or 0)


def _young_share(session: ForumSession, forum: Forum) -> float:
    ages = {g: n for g, n in (session.profile or {}).get("age", {}).items() if g != "not_said"}
    if sum(ages.values()):
        return sum(ages.get(g, 0) for g in YOUNG_AGES) / sum(ages.values())
    return 1.0 if forum.audience == Audience.YOUTH else 0.0


def _place_session(session, forum, rows, codes, inside) -> None:
    """Share the session's people between areas at the level."""
    placed: dict[int, float] = defaultdict(float)
    for code, n in (session.profile or {}).get("area", {}).items():
        targets = inside.get(codes.get(code, -1), [])
        for area_id in targets:
            placed[area_id] += (n or 0) / len(targets)
    rest = max((session.attendees or 0) - sum(placed.values()), 0)
    covered = sorted({a for area in forum.areas for a in inside.get(area.id, [])} & set(rows))
    for area_id in covered:
        placed[area_id] += rest / len(covered)
    young = _young_share(session, forum)
    for area_id in set(placed) | set(covered):
        row = rows.get(area_id)
        if row is None:
            continue
        row.attendance += placed.get(area_id, 0.0)
        row.young_attendance += placed.get(area_id, 0.0) * young
        row.sessions += 1
        row.last_session = max(row.last_session or session.held_on, session.held_on)


def table(
    level: str, today: date, within: list[int] | None = None, months: int = MONTHS
) -> list[Listening]:
    """Every area of the level (those inside `within`, if given), the least heard first."""
    everything = {a.id: a for a in db.session.scalars(select(Area))}
    up, inside = hierarchy.up(everything, level), _inside(everything, level)
    chosen = [a for a in everything.values() if a.level == level]
    if within is not None:
        allowed = set(within)
        chosen = [a for a in chosen if a.id in allowed]
    decile = hierarchy.deciles()
    rows = {a.id: Listening(a, decile[a.id]) for a in sorted(chosen, key=lambda a: a.name)}
    since = today - timedelta(days=round(months * 365.25 / 12))
    _count_items(rows, up, since, today)
    codes = {a.code: a.id for a in everything.values()}
    sessions = db.session.scalars(
        select(ForumSession).where(ForumSession.held_on >= since, ForumSession.held_on <= today)
    )
    for session in sessions:
        _place_session(session, session.forum, rows, codes, inside)
    return sorted(rows.values(), key=lambda r: (-r.score, r.area.name))


def default_level(area: Area | None) -> str:
    return AreaLevel.LAP.value if area is None else AreaLevel.WARD.value
