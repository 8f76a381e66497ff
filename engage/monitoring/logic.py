"""Funded projects' targets and quarterly returns: which quarters are due, who may report,
submitting, accepting or sending a return back, and the reach the accepted returns show."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.asset_map.models import OrganisationMember
from engage.audit.logic import Action, record
from engage.budgeting.models import Bid, FundedProject
from engage.database import rows_changed, transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.geo.models import Area, AreaLevel
from engage.monitoring.models import (
    OTHER_AREAS,
    AgeBand,
    MonitoringReturn,
    MonitoringTarget,
    ReturnStatus,
)
from engage.notifications.logic import queue_email
from engage.urls import external_url

DUE_AFTER = timedelta(days=14)  # a quarter's return is due two weeks after it ends
DEFAULT_SHARE = 60
DEFAULT_QUARTERS = 4


class ReturnError(UserError):
    """A return or target that cannot be saved as it is."""


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(start: date) -> date:
    return date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)


@dataclass(frozen=True)
class Target:
    """Whom the project set out to reach: an age range in given areas, and the share of its
    participants expected from that cohort."""

    minimum_age: int
    maximum_age: int
    share: int
    participants: int | None
    quarters: int
    areas: list[Area]
    recorded: bool  # set by an officer, not taken from the bid

    @property
    def bands(self) -> list[AgeBand]:
        """The age bands that fall in the target's ages (at least partly)."""
        return [
            band
            for band in AgeBand
            if band.years
            and band.years[0] <= self.maximum_age
            and band.years[1] >= self.minimum_age
        ]

    @property
    def ages(self) -> str:
        """The ages counted as the cohort, from its bands: "11–17"."""
        years = [band.years for band in self.bands if band.years]
        if not years:
            return f"{self.minimum_age}–{self.maximum_age}"
        low, high = years[0][0], years[-1][1]
        return f"{low}+" if high >= 120 else f"{low}–{high}"

    @property
    def area_codes(self) -> set[str]:
        return {a.code for a in self.areas}


def _bid_areas(bid: Bid) -> list[Area]:
    if bid.pot.areas:
        return list(bid.pot.areas)
    named = db.session.scalars(
        select(Area).where(Area.name == bid.area, Area.level != AreaLevel.LSOA).order_by(Area.id)
    ).first()
    return [named] if named is not None else []


def target_of(project: FundedProject) -> Target:
    """The officer's target, or one read from the bid (its ages, its pot's areas or the area
    it named, 60% of participants)."""
    kept = db.session.scalar(
        select(MonitoringTarget).where(MonitoringTarget.project_id == project.id)
    )
    if kept is not None:
        return Target(
            kept.minimum_age, kept.maximum_age, kept.share, kept.participants, kept.quarters,
            list(kept.areas), True,
        )  # fmt: skip
    bid = project.bid
    return Target(
        bid.minimum_age if bid.minimum_age is not None else 0,
        bid.maximum_age if bid.maximum_age is not None else 24,
        DEFAULT_SHARE,
        bid.reach,
        DEFAULT_QUARTERS,
        _bid_areas(bid),
        False,
    )


@transactional
def set_target(officer: User, project: FundedProject, values: dict[str, Any]) -> MonitoringTarget:
    """Record whom a project should reach (an officer, when it is funded or later)."""
    low, high = values["minimum_age"], values["maximum_age"]
    if low > high:
        raise ReturnError(_("The youngest age must not be above the oldest"), "minimum_age")
    areas = list(db.session.scalars(select(Area).where(Area.id.in_(values.get("area_ids") or []))))
    if not areas:
        raise ReturnError(_("Choose at least one area the project is for"), "area_ids")
    kept = db.session.scalar(
        select(MonitoringTarget).where(MonitoringTarget.project_id == project.id)
    )
    if kept is None:
        kept = MonitoringTarget(project_id=project.id)
        db.session.add(kept)
    kept.minimum_age, kept.maximum_age, kept.share = low, high, values["share"]
    kept.participants, kept.quarters = values.get("participants"), values["quarters"]
    kept.areas, kept.set_by_id, kept.set_at = areas, officer.id, utcnow()
    record(officer, Action.TARGET_SET, project)
    return kept


# Quarters and their returns


@dataclass(frozen=True)
class Quarter:
    start: date
    record: MonitoringReturn | None

    @property
    def end(self) -> date:
        return next_quarter(self.start) - timedelta(days=1)

    @property
    def due_on(self) -> date:
        return self.end + DUE_AFTER

    @property
    def label(self) -> str:
        return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"

    def state(self, today: date) -> str:
        """accepted, submitted, changes_requested, overdue, due or open (not ended yet)."""
        if self.record is not None:
            return str(self.record.status)
        if today > self.due_on:
            return "overdue"
        return "due" if today > self.end else "open"


def quarters(project: FundedProject, today: date) -> list[Quarter]:
    """The project's quarters that have begun, from the one it was funded in."""
    target = target_of(project)
    kept = {
        r.period_start: r
        for r in db.session.scalars(
            select(MonitoringReturn).where(MonitoringReturn.project_id == project.id)
        )
    }
    found, start = [], quarter_start(project.funded_at.date())
    for _n in range(target.quarters):
        if start > today:
            break
        found.append(Quarter(start, kept.get(start)))
        start = next_quarter(start)
    return found


def quarter_of(project: FundedProject, start: date | None, today: date) -> Quarter | None:
    return next((q for q in quarters(project, today) if q.start == start), None)


def may_report(user: Any, project: FundedProject) -> bool:
    """The provider who made the bid, or one who looks after its organisation."""
    if not (user.is_authenticated and user.role == Role.VCSE_PROVIDER):
        return False
    if project.bid.submitted_by_id == user.id:
        return True
    return bool(
        db.session.scalar(
            select(OrganisationMember.id).where(
                OrganisationMember.organisation_id == project.bid.organisation_id,
                OrganisationMember.user_id == user.id,
                OrganisationMember.status == "approved",
            )
        )
    )


def projects_of(provider: User) -> list[FundedProject]:
    everyone = db.session.scalars(select(FundedProject).order_by(FundedProject.id))
    return [p for p in everyone if may_report(provider, p)]


@dataclass
class ReturnValues:
    sessions: int
    cohort: dict[str, dict[str, int]]  # area code (or "other") -> age band -> people
    gender: dict[str, int] = field(default_factory=dict)
    ethnicity: dict[str, int] = field(default_factory=dict)
    returning: dict[str, int] = field(default_factory=dict)  # "new" / "returning"
    story: str = ""

    @property
    def participants(self) -> int:
        return sum(n for row in self.cohort.values() for n in row.values())


def _check(values: ReturnValues, target: Target) -> None:
    rows = target.area_codes | {OTHER_AREAS}
    if set(values.cohort) - rows or any(set(r) - set(AgeBand) for r in values.cohort.values()):
        raise ReturnError(_("Count people only in the boxes given"), "sessions")
    if values.participants == 0 and values.sessions:
        raise ReturnError(_("Say how many people came, by age and area"), "sessions")
    for name in ("gender", "ethnicity", "returning"):
        if sum(getattr(values, name).values()) > values.participants:
            raise ReturnError(
                _("These add up to more than the %(n)d people counted by age and area",
                  n=values.participants),
                name,
            )  # fmt: skip


@transactional
def submit_return(
    provider: User, project: FundedProject, start: date, values: ReturnValues, today: date
) -> MonitoringReturn:
    """Send (or send again, when changes were asked for) one quarter's return."""
    if not may_report(provider, project):
        raise ReturnError(_("Only the project's own organisation can report on it"))
    quarter = quarter_of(project, start, today)
    if quarter is None:
        raise ReturnError(_("There is no return to send for that quarter"))
    _check(values, target_of(project))
    kept = quarter.record
    if kept is not None and kept.status == ReturnStatus.ACCEPTED:
        raise ReturnError(_("This return has been accepted: it cannot change now"))
    if kept is None:
        kept = MonitoringReturn(project_id=project.id, period_start=start)
        db.session.add(kept)
    kept.sessions, kept.participants = values.sessions, values.participants
    kept.profile = {
        "cohort": values.cohort, "gender": values.gender, "ethnicity": values.ethnicity,
        "returning": values.returning,
    }  # fmt: skip
    kept.story, kept.status = values.story.strip(), ReturnStatus.SUBMITTED
    kept.submitted_by_id, kept.submitted_at = provider.id, utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # the same quarter sent twice at once: the first one stands
        raise ReturnError(_("This return was just sent: reload the page to see it")) from None
    return kept


def _decide(officer: User, kept: MonitoringReturn, status: ReturnStatus, note: str) -> None:
    """Move a waiting return on; two officers at once decide it once."""
    changed = db.session.execute(
        update(MonitoringReturn)
        .where(MonitoringReturn.id == kept.id, MonitoringReturn.status == ReturnStatus.SUBMITTED)
        .values(status=status, reviewed_by_id=officer.id, reviewed_at=utcnow(), note=note)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(changed) != 1:
        raise ReturnError(_("This return is no longer waiting for an officer"))
    db.session.refresh(kept)


@transactional
def accept_return(officer: User, kept: MonitoringReturn) -> None:
    """The return is right: its people count in the project's reach."""
    _decide(officer, kept, ReturnStatus.ACCEPTED, "")
    record(officer, Action.RETURN_ACCEPTED, kept.project)


@transactional
def ask_for_changes(officer: User, kept: MonitoringReturn, note: str) -> None:
    """Send the return back with what to change; whoever sent it hears by email."""
    if not note.strip():
        raise ReturnError(_("Say what needs to change"), "note")
    _decide(officer, kept, ReturnStatus.CHANGES_REQUESTED, note.strip())
    record(officer, Action.RETURN_SENT_BACK, kept.project)
    person = kept.submitted_by
    if person is not None and person.active:
        queue_email(
            person.email,
            "monitoring_changes",
            person.locale,
            project=kept.project.bid.title,
            quarter=Quarter(kept.period_start, kept).label,
            note=kept.note,
            link=external_url("monitoring.my_projects"),
        )


def waiting_returns() -> list[MonitoringReturn]:
    query = select(MonitoringReturn).where(MonitoringReturn.status == ReturnStatus.SUBMITTED)
    return list(db.session.scalars(query.order_by(MonitoringReturn.submitted_at)))


def all_projects() -> list[FundedProject]:
    return list(db.session.scalars(select(FundedProject).order_by(FundedProject.id)))


def overdue(today: date) -> list[tuple[FundedProject, Quarter]]:
    return [
        (project, q)
        for project in all_projects()
        for q in quarters(project, today)
        if q.state(today) in ("overdue", "changes_requested") and today > q.due_on
    ]


# Reach


@dataclass(frozen=True)
class Reach:
    target: Target
    returns: int
    sessions: int
    participants: int
    in_cohort: int
    new: int
    returning: int
    by_age: dict[str, int]

    @property
    def share(self) -> float | None:
        """Percent of participants in the target cohort (None when no one is counted)."""
        return 100 * self.in_cohort / self.participants if self.participants else None

    @property
    def met(self) -> bool | None:
        return None if self.share is None else self.share >= self.target.share

    def reading(self) -> str:
        """ "72% of participants were 11–17 from Corby and Kettering; target 60%"."""
        if self.share is None:
            return str(_("No accepted returns yet; target %(target)d%% aged %(ages)s",
                         target=self.target.share, ages=self.target.ages))  # fmt: skip
        places = ", ".join(a.name for a in self.target.areas) or _("the target areas")
        return str(_(
            "%(share)d%% of participants were %(ages)s from %(places)s; target %(target)d%%",
            share=round(self.share), ages=self.target.ages, places=places,
            target=self.target.share,
        ))  # fmt: skip


def reach(
    project: FundedProject,
    start: date | None = None,
    end: date | None = None,
    statuses: Iterable[ReturnStatus] = (ReturnStatus.ACCEPTED,),
) -> Reach:
    """What the project's returns (accepted ones, by default) show, for quarters beginning
    between start and end."""
    query = select(MonitoringReturn).where(
        MonitoringReturn.project_id == project.id, MonitoringReturn.status.in_(list(statuses))
    )
    if start is not None:
        query = query.where(MonitoringReturn.period_start >= start)
    if end is not None:
        query = query.where(MonitoringReturn.period_start <= end)
    return combine(target_of(project), list(db.session.scalars(query)))


def combine(target: Target, returns: list[MonitoringReturn]) -> Reach:
    codes, bands = target.area_codes, {b.value for b in target.bands}
    in_cohort, by_age = 0, dict.fromkeys((b.value for b in AgeBand), 0)
    new = returning = 0
    for kept in returns:
        for row, counts in (kept.profile.get("cohort") or {}).items():
            for band, n in counts.items():
                by_age[band] = by_age.get(band, 0) + n
                in_cohort += n if row in codes and band in bands else 0
        new += (kept.profile.get("returning") or {}).get("new", 0)
        returning += (kept.profile.get("returning") or {}).get("returning", 0)
    return Reach(
        target, len(returns), sum(r.sessions for r in returns),
        sum(r.participants for r in returns), in_cohort, new, returning, by_age,
    )  # fmt: skip


def funded_with_reach() -> list[tuple[FundedProject, Reach]]:
    """Every funded project with what its accepted returns show ("you voted, we funded")."""
    return [(p, reach(p)) for p in all_projects()]
