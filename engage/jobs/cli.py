"""`flask jobs work`: the worker that runs background jobs (run it next to gunicorn)."""

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs: imports, harvests, reports.")


@jobs_cli.command("work")
@click.option("--workers", default=2, show_default=True, help="Jobs run at once.")
def work(workers: int) -> None:
    """Run queued jobs until stopped (Ctrl+C finishes the jobs running, then stops)."""
    consumer = current_app.extensions["huey"].create_consumer(
        workers=workers, worker_type="thread", periodic=False
    )
    consumer.run()
