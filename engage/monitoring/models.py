"""A funded project's target cohort and its quarterly monitoring returns. Who came is kept as
counts only, never per person: {"cohort": {"<area code>" or "other": {"<age band>": n}},
"gender": {...}, "ethnicity": {...}, "returning": {"new": n, "returning": n}}."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.budgeting.models import FundedProject
from engage.budgeting.vocabulary import EnumText
from engage.database import link_table, utcnow
from engage.extensions import Model
from engage.geo.models import Area


class ReturnStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for an officer
    CHANGES_REQUESTED = "changes_requested"  # sent back to the provider with a note
    ACCEPTED = "accepted"  # counted in the project's reach

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    ReturnStatus.SUBMITTED: _l("waiting for an officer"),
    ReturnStatus.CHANGES_REQUESTED: _l("changes asked for"),
    ReturnStatus.ACCEPTED: _l("accepted"),
}


class AgeBand(StrEnum):
    """Participants' age bands, as providers count them (a show of hands or sign-in sheets)."""

    UNDER_11 = "under_11"
    AGE_11_17 = "11_17"
    AGE_18_24 = "18_24"
    AGE_25_PLUS = "25_plus"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return str(AGE_LABELS[self])

    @property
    def years(self) -> tuple[int, int] | None:
        """First and last year of age in the band (None: not known)."""
        return AGE_YEARS.get(self)


AGE_LABELS = {
    AgeBand.UNDER_11: _l("Under 11"),
    AgeBand.AGE_11_17: _l("11 to 17"),
    AgeBand.AGE_18_24: _l("18 to 24"),
    AgeBand.AGE_25_PLUS: _l("25 or over"),
    AgeBand.NOT_KNOWN: _l("Age not known"),
}
AGE_YEARS = {
    AgeBand.UNDER_11: (0, 10),
    AgeBand.AGE_11_17: (11, 17),
    AgeBand.AGE_18_24: (18, 24),
    AgeBand.AGE_25_PLUS: (25, 120),
}
OTHER_AREAS = "other"  # the cohort row for participants from outside the target areas

target_areas = link_table("mon_target_areas", "target_id=mon_targets.id", "area_id=areas.id")


class MonitoringTarget(Model):
    """Whom a funded project set out to reach, as an officer recorded it. A project with none
    is measured against what its bid said (its ages, its pot's or its own area, 60%)."""

    __tablename__ = "mon_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_funded_projects.id"), unique=True)
    minimum_age: Mapped[int]
    maximum_age: Mapped[int]
    share: Mapped[int]  # percent of participants expected in the cohort
    participants: Mapped[int | None]  # how many it expects to reach in all
    quarters: Mapped[int] = mapped_column(default=4)  # how many quarterly returns are due
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[FundedProject] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=target_areas, order_by=Area.name)


class MonitoringReturn(Model):
    """One quarter's return: sessions held, who came (counts), and a short story."""

    __tablename__ = "mon_returns"
    __table_args__ = (UniqueConstraint("project_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_funded_projects.id"), index=True)
    period_start: Mapped[date]  # the first day of the quarter
    status: Mapped[ReturnStatus] = mapped_column(
        EnumText(ReturnStatus, 20), default=ReturnStatus.SUBMITTED, index=True
    )
    sessions: Mapped[int]
    participants: Mapped[int]
    profile: Mapped[dict] = mapped_column(JSON, default=dict)
    story: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")  # the officer's, when asking for changes

    project: Mapped[FundedProject] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class ReturnReminder(Model):
    """A reminder about one quarter's return, so none goes twice on the same day."""

    __tablename__ = "mon_reminders"
    __table_args__ = (UniqueConstraint("project_id", "period_start", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_funded_projects.id"), index=True)
    period_start: Mapped[date]
    sent_on: Mapped[date]
    overdue: Mapped[bool] = mapped_column(default=False)  # sent after the due date
