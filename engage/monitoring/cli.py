"""`flask monitoring remind` (daily, from cron): reminders of monitoring returns."""

import click
from flask.cli import AppGroup

from engage.database import utcnow
from engage.monitoring.reminders import remind

monitoring_cli = AppGroup("monitoring", help="Funded projects' monitoring returns.")


@monitoring_cli.command("remind")
def remind_command() -> None:
    """Queue reminders of returns due soon or overdue (safe to run more than once a day)."""
    click.echo(f"monitoring reminders queued: {remind(utcnow().date())}")
