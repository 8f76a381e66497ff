"""`flask reports send-monthly` (monthly, from cron): the board's email with the report's link."""

import click
from flask.cli import AppGroup

from engage.database import utcnow
from engage.reports.mailing import send_monthly

reports_cli = AppGroup("reports", help="The community-voice report for the partnership board.")


@reports_cli.command("send-monthly")
def send_monthly_command() -> None:
    """Queue this month's email to each board member (once a month, however often it runs)."""
    click.echo(f"board members emailed: {send_monthly(utcnow().date())}")
