"""`flask pb …`: count a pabulib election with our rules, for officers and researchers.

The group is also a Flask plugin command (`flask.commands` in pyproject.toml), so `flask pb
tally` starts without building the web app: this module imports only the parser and the rules
at the top, and the commands that need the database import the rest when they run (Flask
builds the app for them then)."""

import json
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask.cli import AppGroup

from engage.budgeting.rules.election import Satisfaction
from engage.budgeting.rules.pabulib import PabulibError, parse
from engage.budgeting.rules.tally import COMPLETIONS, RULES, tally

pb_cli = AppGroup("pb", help="Participatory budgeting elections in pabulib (.pb) files.")


def _number(value) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


@pb_cli.command("tally", with_appcontext=False)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice(RULES), default="mes", show_default=True)
@click.option(
    "--sat",
    type=click.Choice([s.value for s in Satisfaction]),
    default=None,
    help="Satisfaction measure (default: cost for approval, points for cumulative).",
)
@click.option("--completion", type=click.Choice(COMPLETIONS), default="none", show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"selected": [...], "cost": …}.')
def tally_command(path: Path, rule: str, sat: str | None, completion: str, as_json: bool) -> None:
    """Count the election in PATH and print the projects selected."""
    try:
        election = parse(path.read_text(encoding="utf-8"))
    except (PabulibError, UnicodeDecodeError) as error:
        click.echo(f"{path}: {error}", err=True)
        sys.exit(1)
    outcome = tally(election, rule, Satisfaction(sat) if sat else None, completion)
    if as_json:
        click.echo(
            json.dumps({"selected": sorted(outcome.selected), "cost": _number(outcome.cost)})
        )
        return
    click.echo(
        f"{len(election.ballots)} voters, {len(election.costs)} projects, "
        f"budget {_number(election.budget)}"
    )
    click.echo(
        f"selected ({rule}{'+add1' if completion == 'add1' else ''}): "
        f"{', '.join(outcome.selected) or 'none'}"
    )
    click.echo(f"cost {_number(outcome.cost)}, left {_number(election.budget - outcome.cost)}")


@pb_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--officer", "officer_email", required=True, help="The officer the round belongs to.")
@click.option("--title", default=None, help="The round's title (default: the file's description).")
def import_command(path: Path, officer_email: str, title: str | None) -> None:
    """Create a round from a .pb file (projects and ballots), ready to count; a progress bar
    shows it being read and saved."""
    from sqlalchemy import select

    from engage.accounts.models import User
    from engage.budgeting.background import start_pb_import
    from engage.extensions import db
    from engage.jobs.cli import run_with_bar
    from engage.jobs.models import JobStatus

    officer = db.session.scalar(select(User).where(User.email == officer_email.lower()))
    if officer is None:
        raise click.ClickException(f"no account for {officer_email}")
    job = start_pb_import(officer, path.name, path.read_bytes(), title, queued=False)
    done = run_with_bar(job, "Importing")
    if done.state is JobStatus.FAILED:
        click.echo(f"{path}: {done.message}", err=True)
        for problem in (done.report or {}).get("problems", []):
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    report = done.report or {}
    click.echo(
        f"round {report['round_id']} created with {report['projects']} projects and "
        f"{report['ballots']} ballots"
    )


@pb_cli.command("export")
@click.argument("round_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pot", "pot_name", help="The pot to export, by name, in a round split by area.")
def export_command(round_id: int, output: Path | None, pot_name: str | None) -> None:
    """Write a round's (or one area pot's) voted-for projects and anonymised ballots as a .pb
    file, once voting has closed."""
    from engage.budgeting.exchange import export_pb
    from engage.budgeting.logic import RoundError
    from engage.budgeting.models import Round
    from engage.extensions import db

    funding_round = db.session.get(Round, round_id)
    if funding_round is None:
        raise click.ClickException(f"there is no round {round_id}")
    pots = [p for p in funding_round.pots if pot_name is None or p.name == pot_name]
    if len(pots) != 1:
        names = ", ".join(p.name for p in funding_round.pots)
        raise click.ClickException(f"name one of the round's pots with --pot: {names}")
    try:
        text = export_pb(pots[0])
    except RoundError as error:
        raise click.ClickException(str(error)) from None
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"written to {output}")
    else:
        click.echo(text, nl=False)


@pb_cli.command("remind")
@click.option(
    "--every-days",
    default=3,
    show_default=True,
    help="Remind each ambassador about a round at most once in this many days.",
)
def remind_command(every_days: int) -> None:
    """Email ambassadors who have not voted in an open round (run daily from cron)."""
    from engage.budgeting.reminders import remind_non_voters
    from engage.database import utcnow

    count = remind_non_voters(utcnow(), timedelta(days=every_days))
    click.echo(f"{count} reminders queued")


@pb_cli.command("advance")
def advance_command() -> None:
    """Move rounds into the phases their schedule says have begun (run daily)."""
    from engage.budgeting.logic import advance_due
    from engage.database import utcnow

    for funding_round, outcome in advance_due(utcnow().date()):
        click.echo(f"round {funding_round.id} ({funding_round.title}): {outcome}")
