"""`flask assets …`: import and export the directory, harvest other directories' feeds, and
the freshness reminders, and tidy the gap table's change notes. Imports and harvests run as
jobs (recorded like the officers' ones) with a progress bar here."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from engage.asset_map import background, directory_index, exchange, feeds, freshness
from engage.database import utcnow
from engage.extensions import db
from engage.jobs.cli import run_with_bar
from engage.jobs.models import Job, JobStatus

assets_cli = AppGroup("assets", help="The local asset map's directory.")


def _say(job: Job) -> None:
    report = job.report or {}
    if job.state is JobStatus.FAILED:
        click.echo(job.message, err=True)
        for problem in report.get("problems", []):
            click.echo(f"  {problem}", err=True)
        if report.get("total", 0) > len(report.get("problems", [])):
            click.echo(f"  … {report['total']} problems in all", err=True)
        sys.exit(1)
    click.echo(
        f"{report.get('created', 0)} services created, {report.get('updated', 0)} updated, "
        f"{len(report.get('mapped', []))} terms mapped, "
        f"{len(report.get('to_map', []))} terms to map, "
        f"{report.get('left_aside_total', 0)} things left aside"
    )
    for note in report.get("left_aside", [])[:20]:
        click.echo(f"  left aside: {note['where']}: {note['what']}")
    for term in report.get("to_map", [])[:20]:
        click.echo(f"  to map: {term}")


@assets_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *[f.value for f in exchange.Format]]),
    default="auto",
    help="csv: our template; oruk: Open Referral UK JSON; tabular: HSDS CSV files.",
)
def import_command(path: Path, fmt: str) -> None:
    """Import services from our CSV template, Open Referral UK 3.0 JSON, or an HSDS data
    package (a .zip or a folder of CSV files). All or nothing."""
    if path.is_dir():
        raw, name = _zip_folder(path), f"{path.name}.zip"
    else:
        raw, name = path.read_bytes(), path.name
    job = background.start_import(None, name, raw, queued=False)
    if fmt != "auto":
        job.params = {**job.params, "format": fmt}
        db.session.commit()
    _say(run_with_bar(job, "Importing"))


def _zip_folder(folder: Path) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for csv_file in sorted(folder.glob("*.csv")):
            archive.write(csv_file, csv_file.name)
    return buffer.getvalue()


@assets_cli.command("harvest")
@click.argument("url", required=False)
@click.option("--all", "every", is_flag=True, help="Every active feed (run daily from cron).")
def harvest_command(url: str | None, every: bool) -> None:
    """Harvest another directory's Open Referral UK 3.0 API (URL like
    https://example.org/api/v1), or with --all every registered feed."""
    if bool(url) == every:
        raise click.UsageError("give a URL or --all")
    sources = feeds.active_feeds() if every else [feeds.feed_for(url or "")]
    failed = False
    for source in sources:
        job = run_with_bar(background.start_harvest(None, source, queued=False), source.name)
        report = job.report or {}
        if job.state is JobStatus.FAILED:
            failed = True
            click.echo(f"{source.name}: {job.message}", err=True)
            continue
        click.echo(
            f"{source.name}: {report.get('listed', 0)} listed, {report.get('created', 0)} "
            f"created, {report.get('updated', 0)} updated, {report.get('duplicates', 0)} "
            f"likely duplicates, {report.get('left_aside_total', 0)} left aside"
        )
    if failed:
        sys.exit(1)


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


@assets_cli.command("tidy-notes")
def tidy_notes_command() -> None:
    """Remove the gap table's change notes that newer ones make redundant (run weekly)."""
    removed = directory_index.tidy_notes(db.session.connection())
    db.session.commit()
    click.echo(f"{removed} redundant change notes removed")
