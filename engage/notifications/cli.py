"""`flask notifications …`: the outbox worker, run from cron or a systemd timer."""

import click
from flask import current_app
from flask.cli import AppGroup

from engage.database import utcnow
from engage.notifications.logic import send_all, send_pending, stuck_messages
from engage.notifications.transport import transport_from_config

notifications_cli = AppGroup("notifications", help="Send queued email.")


@notifications_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="Most messages to send this run.")
@click.option(
    "--all",
    "drain",
    is_flag=True,
    help="Keep sending batches of --limit until nothing due is left (several workers may run).",
)
def send_command(limit: int, drain: bool) -> None:
    """Send due messages from the outbox (prints them when MAIL_SERVER is not set)."""
    if drain:
        report = send_all(lambda: transport_from_config(current_app.config), batch=limit)
    else:
        report = send_pending(transport_from_config(current_app.config), limit=limit)
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
    stuck = stuck_messages(utcnow())
    if stuck:
        click.echo(f"{len(stuck)} message(s) were claimed but not confirmed; check them by hand")
