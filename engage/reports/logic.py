"""The board's report for a period and an area, composed from each feature's own figures:
feedback analysis and reach, the accountability figures, funding rounds with their funded
projects' monitoring returns, the gaps in provision and where we have not yet listened."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from engage.asset_map.gaps import AreaGap, gap_table
from engage.budgeting.logic import funded_projects
from engage.budgeting.models import FundedProject, Phase, Round
from engage.extensions import db
from engage.feedback import analysis
from engage.feedback.models import Theme
from engage.feedback.reach import ReachRow
from engage.geo.models import Area, AreaLevel
from engage.monitoring.logic import Reach, reach
from engage.reports.listening import Listening, default_level, table
from engage.reports.period import Period
from engage.you_said_we_did.accountability import Loop, Scope, loop, published_count

LEADING_THEMES = 3
TOP_AREAS = 5


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme | None  # None: items with no theme yet
    now: int
    before: int
    quotes: tuple[str, ...]  # approved, redacted words

    @property
    def change(self) -> int:
        return self.now - self.before


@dataclass(frozen=True)
class Heard:
    items: int
    items_before: int
    sessions: int
    sessions_before: int
    themes: list[ThemeRow]


@dataclass(frozen=True)
class AreaVoice:
    area: Area | None
    items: int
    share: float  # of the items, 0..1
    population_share: float | None  # of the residents of the areas shown, 0..1


@dataclass(frozen=True)
class Who:
    reach: analysis.Reach  # who came to sessions, against who lives there
    spoke: list[AreaVoice]  # where the items came from, against where people live
    young_items: int
    items_with_age: int
    young_attendees: int
    attendees_with_age: int

    @property
    def came(self) -> list[ReachRow]:
        return self.reach.rows

    @property
    def sessions(self) -> int:
        return self.reach.sessions

    @property
    def attendees(self) -> int:
        return self.reach.attendees

    @property
    def under_represented(self) -> list[ReachRow]:
        return [r for r in self.came if r.status == "under" and r.dimension != "area"]

    @property
    def young_share(self) -> float | None:
        """Percent of items (whose sender's age is known) from young people."""
        return 100 * self.young_items / self.items_with_age if self.items_with_age else None

    @property
    def young_attendee_share(self) -> float | None:
        if not self.attendees_with_age:
            return None
        return 100 * self.young_attendees / self.attendees_with_age


@dataclass(frozen=True)
class Did:
    published: int
    loop: Loop


@dataclass(frozen=True)
class FundedRound:
    round: Round
    voted: int
    eligible: int
    projects: list[tuple[FundedProject, Reach]]

    @property
    def turnout(self) -> float | None:
        return 100 * self.voted / self.eligible if self.eligible else None


@dataclass(frozen=True)
class Funded:
    rounds: list[FundedRound]

    @property
    def projects(self) -> list[tuple[FundedProject, Reach]]:
        return [pair for r in self.rounds for pair in r.projects]

    @property
    def participants(self) -> int:
        return sum(r.participants for _p, r in self.projects)

    @property
    def in_cohort(self) -> int:
        return sum(r.in_cohort for _p, r in self.projects)


@dataclass(frozen=True)
class Gaps:
    level: str
    provision: list[AreaGap]
    listening: list[Listening]


@dataclass(frozen=True)
class BoardReport:
    period: Period
    before: Period
    area: Area | None
    made_at: datetime
    heard: Heard
    who: Who
    did: Did
    funded: Funded
    gaps: Gaps


def laps() -> list[Area]:
    query = select(Area).where(Area.level == AreaLevel.LAP).order_by(Area.name)
    return list(db.session.scalars(query))


def heard(period: Period, before: Period, area_id: int | None) -> Heard:
    now = analysis.Filters(area_id=area_id, start=period.start, end=period.end)
    then = analysis.Filters(area_id=area_id, start=before.start, end=before.end)
    earlier = {t.id if t else None: n for t, n in analysis.by_theme(then)}
    rows = []
    for n, (theme, count) in enumerate(analysis.by_theme(now)):
        said = analysis.quotes(theme, 3, now) if theme and n < LEADING_THEMES else []
        key = theme.id if theme else None
        rows.append(ThemeRow(theme, count, earlier.get(key, 0), tuple(i.public_text for i in said)))
    return Heard(
        analysis.total(now), analysis.total(then),
        analysis.session_count(period.start, period.end, area_id),
        analysis.session_count(before.start, before.end, area_id), rows,
    )  # fmt: skip


def _spoke(filters: analysis.Filters) -> list[AreaVoice]:
    counts = analysis.by_area(filters)
    items = sum(n for _a, n in counts) or 1
    residents = sum(a.population or 0 for a, _n in counts if a is not None)
    return [
        AreaVoice(
            area,
            n,
            n / items,
            (area.population or 0) / residents if area is not None and residents else None,
        )  # fmt: skip
        for area, n in counts
    ]


def who(period: Period, area_id: int | None) -> Who:
    filters = analysis.Filters(area_id=area_id, start=period.start, end=period.end)
    came = analysis.reach(None, period.start, period.end, area_id)
    ages = [r for r in came.rows if r.dimension == "age"]
    young = sum(r.heard for r in ages if r.group in ("under_16", "16_24"))
    young_items, with_age = analysis.young_people(filters)
    return Who(came, _spoke(filters), young_items, with_age, young, sum(r.heard for r in ages))


def did(period: Period, today: date, area_id: int | None) -> Did:
    area_ids = tuple(analysis.areas_within(area_id)) if area_id else None
    scope = Scope(period.start, period.end, area_ids)
    return Did(published_count(scope), loop(today, scope))


def _serves(project: FundedProject, target_ids: set[int], area_ids: set[int] | None) -> bool:
    return area_ids is None or bool(target_ids & area_ids)


def funded(period: Period, area_id: int | None) -> Funded:
    """Rounds published by the end of the period, their turnout, and their projects' reach
    from the returns accepted for quarters in the period."""
    area_ids = set(analysis.areas_within(area_id)) if area_id else None
    rounds = db.session.scalars(
        select(Round).where(Round.phase.in_([Phase.PUBLISHED, Phase.CLOSED])).order_by(Round.id)
    )
    found = []
    for funding_round in rounds:
        counted = funding_round.counted
        projects = []
        for project in funded_projects(funding_round):
            if project.funded_at.date() > period.end:
                continue
            got = reach(project, period.start, period.end)
            if _serves(project, {a.id for a in got.target.areas}, area_ids):
                projects.append((project, got))
        if counted is None or (area_ids is not None and not projects):
            continue
        voted = sum(p.voted for p in counted.pots)
        found.append(
            FundedRound(funding_round, voted, sum(p.eligible for p in counted.pots), projects)
        )
    return Funded(found)


def gaps(today: date, now: datetime, area: Area | None) -> Gaps:
    level = default_level(area)
    within = [a for a in analysis.areas_within(area.id)] if area is not None else None
    provision = gap_table(level, "", "all", now)
    if within is not None:
        provision = [g for g in provision if g.area_id in set(within)]
    return Gaps(level, provision, table(level, today, within))


def board_report(period: Period, area: Area | None, now: datetime) -> BoardReport:
    """The whole report: five sections, each from its feature's own figures."""
    area_id = area.id if area is not None else None
    before = period.before()
    return BoardReport(
        period, before, area, now,
        heard(period, before, area_id), who(period, area_id), did(period, now.date(), area_id),
        funded(period, area_id), gaps(now.date(), now, area),
    )  # fmt: skip
