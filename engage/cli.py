"""Command-line groups: `flask demo`, `flask users`, `flask translate`, `flask notifications`."""

import subprocess
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from engage import demo
from engage.accounts import logic as accounts
from engage.asset_map.seed import load_demo_directory
from engage.asset_map.synthetic import load_synthetic
from engage.budgeting.seed import load_demo_rounds
from engage.database import utcnow
from engage.feedback.seed import load_demo_feedback
from engage.monitoring.seed import load_demo_monitoring
from engage.notifications.cli import notifications_cli
from engage.you_said_we_did.seed import load_demo_responses

ROOT = Path(__file__).resolve().parent.parent

demo_cli = AppGroup("demo", help="The demo data set.")
users_cli = AppGroup("users", help="Accounts.")
translate_cli = AppGroup("translate", help="Translation catalogs (English and Polish).")


@demo_cli.command("load")
@click.option(
    "--services",
    "synthetic",
    type=click.IntRange(min=0, max=10_000_000),
    default=0,
    help="Also add a synthetic directory of this many services, to try the platform at scale "
    "(each run adds more).",
)
def demo_load(synthetic: int) -> None:
    """Load seed_assets/ (running it twice changes nothing). Refused in production."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    created, changed = demo.load_demo_areas()
    click.echo(f"areas: {created} created, {changed} changed")
    click.echo(f"postcodes: {demo.load_demo_postcodes()} demo postcodes")
    users = demo.read_demo_users()
    click.echo(f"demo users: {demo.load_demo_users(users)} created or reset")
    provider = next(u.email for u in users if u.role.value == "vcse_provider")
    orgs, services = load_demo_directory(utcnow().date(), provider)
    click.echo(f"directory: {orgs} organisations and {services} services created")
    officer = next(u.email for u in users if u.role.value == "engagement_officer")
    click.echo(f"funding rounds: {load_demo_rounds(officer)} created")
    loaded = load_demo_feedback(officer, utcnow().date())
    click.echo("feedback: " + ", ".join(f"{n} {what}" for what, n in loaded.items()))
    admin = next(u.email for u in users if u.role.value == "admin")
    click.echo(f"you said, we did: {load_demo_responses(officer, admin)} responses created")
    click.echo(f"monitoring returns: {load_demo_monitoring(officer, utcnow().date())} created")
    if synthetic:
        started = time.perf_counter()
        added = load_synthetic(synthetic)
        took = time.perf_counter() - started
        rows = ", ".join(f"{count} {table}" for table, count in added.items())
        click.echo(f"synthetic directory added in {took:.1f} s: {rows}")
    click.echo("Demo sign-ins (for this machine only):")
    for user in users:
        click.echo(f"  {user.role.value:<20} {user.email:<36} {user.password}")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True, help="Display name.")
def create_admin(email: str, name: str) -> None:
    """Create the first admin: sends an invitation when mail is set up, else asks for a password."""
    password = None
    if not current_app.config["MAIL_SERVER"]:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        accounts.create_admin(email, name, password, current_app.config["BABEL_DEFAULT_LOCALE"])
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    if password is None:
        click.echo(f"Invitation queued for {email}; run `flask notifications send` to send it.")
    else:
        click.echo(f"Admin {email} created.")


def _pybabel(*args: str) -> None:
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), *args], check=True, cwd=ROOT)


@translate_cli.command("update")
def translate_update() -> None:
    """Extract marked strings and merge them into every catalog."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "-o",
        "translations/messages.pot",
        ".",
    )
    _pybabel(
        "update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching"
    )


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile every catalog to the .mo files the app reads."""
    _pybabel("compile", "-d", "translations", "--statistics")


def register(app: Flask) -> None:
    from engage.asset_map.cli import assets_cli
    from engage.budgeting.cli import pb_cli
    from engage.feedback.cli import feedback_cli
    from engage.geo.cli import areas_cli, geo_cli
    from engage.jobs.cli import jobs_cli
    from engage.you_said_we_did.cli import responses_cli

    for group in (
        demo_cli,
        users_cli,
        translate_cli,
        notifications_cli,
        assets_cli,
        areas_cli,
        geo_cli,
        pb_cli,
        feedback_cli,
        responses_cli,
        jobs_cli,
    ):
        app.cli.add_command(group)
