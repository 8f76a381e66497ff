"""Reminders of monitoring returns: once when the quarter ends, weekly when overdue, never
twice the same day, and none once the return is in."""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.extensions import db
from engage.monitoring.reminders import remind
from engage.notifications.models import OutboxMessage
from tests.factories import create_funded_project, create_return, create_user


def _emails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_provider_hears_when_a_quarter_ends_and_again_weekly_once_it_is_overdue(app):
    provider = create_user(role=Role.VCSE_PROVIDER)
    create_funded_project(provider=provider, funded_at=datetime(2026, 7, 5))
    assert remind(date(2026, 9, 30)) == 0  # the quarter has not ended
    assert remind(date(2026, 10, 1)) == 1
    assert remind(date(2026, 10, 1)) == 0  # the same day again: nothing more
    assert remind(date(2026, 10, 5)) == 0  # due soon was said once
    assert remind(date(2026, 10, 15)) == 1  # overdue (due 14 October)
    assert remind(date(2026, 10, 16)) == 0
    assert remind(date(2026, 10, 22)) == 1  # a week later
    emails = _emails()
    assert [e.to_address for e in emails] == [provider.email] * 3
    assert emails[0].subject.startswith("Due soon") and emails[1].subject.startswith("Overdue")
    assert "2026 Q3" in emails[0].subject


def test_a_return_sent_stops_the_reminders(app):
    provider = create_user(role=Role.VCSE_PROVIDER)
    project = create_funded_project(provider=provider, funded_at=datetime(2026, 7, 5))
    create_return(project, date(2026, 7, 1))
    day = date(2026, 10, 1)
    assert sum(remind(day + timedelta(days=n)) for n in range(30)) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_daily_command_queues_them(app, runner):
    create_funded_project(funded_at=datetime(2020, 1, 5))
    result = runner.invoke(args=["monitoring", "remind"])
    assert result.exit_code == 0 and "monitoring reminders queued:" in result.output
    assert runner.invoke(args=["monitoring", "remind"]).output.endswith(": 0\n")
