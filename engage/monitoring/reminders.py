"""Reminding providers of monitoring returns: once when a quarter ends (the return is due in
two weeks), then weekly once it is overdue; never twice for the same return on one day, however
many machines run the daily command."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.asset_map.models import OrganisationMember
from engage.budgeting.models import FundedProject
from engage.database import transactional
from engage.extensions import db
from engage.monitoring.logic import Quarter, all_projects, quarters
from engage.monitoring.models import ReturnReminder, ReturnStatus
from engage.notifications.logic import queue_email
from engage.urls import external_url

OVERDUE_EVERY = timedelta(days=7)


def reporters(project: FundedProject) -> list[User]:
    """Active providers who made the bid or look after its organisation."""
    members = select(OrganisationMember.user_id).where(
        OrganisationMember.organisation_id == project.bid.organisation_id,
        OrganisationMember.status == "approved",
    )
    query = select(User).where(
        (User.id == project.bid.submitted_by_id) | User.id.in_(members),
        User.role == Role.VCSE_PROVIDER.value,
        User.active.is_(True),
    )
    return list(db.session.scalars(query.order_by(User.id)))


def _reminded(project: FundedProject, quarter: Quarter) -> list[ReturnReminder]:
    return list(
        db.session.scalars(
            select(ReturnReminder).where(
                ReturnReminder.project_id == project.id,
                ReturnReminder.period_start == quarter.start,
            )
        )
    )


def _needs_reminder(project: FundedProject, quarter: Quarter, today: date) -> bool | None:
    """None: no reminder today; False: the "due soon" one; True: an "overdue" one."""
    waiting = quarter.record is None or quarter.record.status == ReturnStatus.CHANGES_REQUESTED
    if not waiting or today <= quarter.end:
        return None
    sent = _reminded(project, quarter)
    if today <= quarter.due_on:
        return None if sent else False
    last_overdue = max((r.sent_on for r in sent if r.overdue), default=None)
    return True if last_overdue is None or today - last_overdue >= OVERDUE_EVERY else None


@transactional
def remind(today: date) -> int:
    """Queue today's reminders; returns how many emails were queued."""
    queued = 0
    for project in all_projects():
        for quarter in quarters(project, today):
            overdue = _needs_reminder(project, quarter, today)
            if overdue is None or not _claim(project, quarter, today, overdue):
                continue
            for person in reporters(project):
                queue_email(
                    person.email,
                    "monitoring_reminder",
                    person.locale,
                    project=project.bid.title,
                    quarter=quarter.label,
                    due_on=quarter.due_on,
                    overdue=overdue,
                    link=external_url("monitoring.my_projects"),
                )
                queued += 1
    return queued


def _claim(project: FundedProject, quarter: Quarter, today: date, overdue: bool) -> bool:
    """Record today's reminder first: a second run (or machine) on the same day finds it."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ReturnReminder(
                    project_id=project.id,
                    period_start=quarter.start,
                    sent_on=today,
                    overdue=overdue,
                )
            )
    except IntegrityError:
        return False
    return True
