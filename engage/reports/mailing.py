"""The monthly email to board members with the link to the report: once per person per
month, however often (and on however many machines) the command runs."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.database import transactional
from engage.extensions import db
from engage.notifications.logic import queue_email
from engage.reports.models import ReportMailing
from engage.reports.period import last_quarter
from engage.urls import external_url


@transactional
def send_monthly(today: date) -> int:
    """Queue this month's email to every active board member not yet sent it; how many."""
    month = today.replace(day=1)
    period = last_quarter(today)
    queued = 0
    members = select(User).where(User.role == Role.BOARD_MEMBER.value, User.active.is_(True))
    for person in db.session.scalars(members.order_by(User.id)):
        try:
            with db.session.begin_nested():
                db.session.add(ReportMailing(user_id=person.id, month=month))
        except IntegrityError:
            continue
        queue_email(
            person.email,
            "report_monthly",
            person.locale,
            display_name=person.display_name,
            start=period.start,
            end=period.end,
            link=external_url("reports.show_report"),
        )
        queued += 1
    return queued
