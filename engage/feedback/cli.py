"""`flask feedback …`: the daily privacy purge, importing a session's items, regrouping
near-duplicates, and the starting list of safeguarding phrases."""

from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from engage.accounts.models import User
from engage.database import utcnow
from engage.extensions import db
from engage.feedback.background import start_item_import
from engage.feedback.logic import group_duplicates
from engage.feedback.models import FeedbackItem, ForumSession
from engage.feedback.moderation import erase_old_rejections
from engage.feedback.privacy import forget_expired, purge_contacts
from engage.feedback.safeguarding import load_default_indicators
from engage.jobs.cli import run_with_bar
from engage.jobs.models import JobStatus

feedback_cli = click.Group("feedback", help="Forum feedback: privacy, imports, safeguarding.")


@feedback_cli.command("purge")
def purge_command() -> None:
    """Erase contact details past the retention period and rejected items older than 30 days,
    and forget expired link tokens and old double-click keys (run daily)."""
    days = current_app.config["FEEDBACK_CONTACT_RETENTION_DAYS"]
    contacts = purge_contacts(utcnow(), timedelta(days=days))
    rejected = erase_old_rejections()
    links, keys = forget_expired(utcnow())
    click.echo(f"contact details erased: {contacts} (kept {days} days after the last email)")
    click.echo(f"rejected items erased: {rejected} (kept 30 days)")
    click.echo(f"expired links forgotten: {links}; double-click keys forgotten: {keys}")


@feedback_cli.command("import")
@click.argument("session_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--officer", "officer_email", required=True, help="Who is entering the items.")
def import_command(session_id: int, path: Path, officer_email: str) -> None:
    """Import a session's items from CSV (the template's columns); all or nothing."""
    session = db.session.get(ForumSession, session_id)
    officer = db.session.scalar(select(User).where(User.email == officer_email.lower()))
    if session is None or officer is None:
        raise click.ClickException("no such session or officer")
    job = start_item_import(officer, session, path.name, path.read_bytes(), queued=False)
    done = run_with_bar(job, "Importing")
    report = done.report or {}
    if done.state is JobStatus.FAILED:
        click.echo(f"Nothing was imported. {done.message}", err=True)
        for problem in report.get("problems", []):
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"{report['imported']} items imported")


@feedback_cli.command("regroup")
def regroup_command() -> None:
    """Group near-duplicate items again across everything held."""
    items = list(db.session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)))
    for item in items:
        item.duplicate_group = None
    group_duplicates(items, lookback=0)
    db.session.commit()
    grouped = sum(1 for i in items if i.duplicate_group is not None)
    click.echo(f"{grouped} of {len(items)} items are in a group of near-duplicates")


@feedback_cli.command("indicators")
def indicators_command() -> None:
    """Add the starting list of safeguarding phrases where it is missing."""
    added = load_default_indicators()
    db.session.commit()
    click.echo(f"{added} phrases added")
