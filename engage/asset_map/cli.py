"""`flask assets …`: bulk import/export of the directory and the freshness reminders."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from engage.asset_map import exchange, freshness
from engage.database import utcnow
from engage.importing import ImportFailed, report_failure

assets_cli = AppGroup("assets", help="The local asset map's directory.")


def _fail(error: ImportFailed) -> None:
    report_failure(error, lambda line: click.echo(line, err=True))
    sys.exit(1)


@assets_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "oruk"]), default="auto")
def import_command(path: Path, fmt: str) -> None:
    """Import services from our CSV template or Open Referral UK JSON (all or nothing)."""
    oruk = fmt == "oruk" or (fmt == "auto" and path.suffix.lower() == ".json")
    try:
        with path.open("rb") as handle:
            result = (exchange.import_oruk if oruk else exchange.import_csv)(handle)
    except ImportFailed as error:
        _fail(error)
    click.echo(f"{result.created} services created, {result.updated} updated")


@assets_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "oruk"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
def export_command(fmt: str, output: Path | None) -> None:
    """Export every service as CSV or Open Referral UK JSON."""
    body = exchange.export_oruk() if fmt == "oruk" else exchange.export_csv()
    if output:
        output.write_text(body, encoding="utf-8")
        click.echo(f"written to {output}")
    else:
        click.echo(body, nl=False)


@assets_cli.command("remind")
def remind_command() -> None:
    """Queue freshness reminders that are due (run daily; sending twice a day does nothing)."""
    report = freshness.send_reminders(utcnow().date())
    click.echo(f"{report.sent} reminders queued ({report.escalated} also to officers)")
