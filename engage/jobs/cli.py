"""`flask jobs work`: the worker that runs background jobs (run it next to gunicorn)."""

import click
from flask import current_app
from flask.cli import AppGroup

from engage.extensions import db
from engage.jobs import logic
from engage.jobs.models import Job

jobs_cli = AppGroup("jobs", help="Background jobs: imports, harvests, reports.")


@jobs_cli.command("work")
@click.option("--workers", default=2, show_default=True, help="Jobs run at once.")
def work(workers: int) -> None:
    """Run queued jobs until stopped (Ctrl+C finishes the jobs running, then stops)."""
    consumer = current_app.extensions["huey"].create_consumer(
        workers=workers, worker_type="thread", periodic=False
    )
    consumer.run()


def run_with_bar(job: Job, label: str) -> Job:
    """Run a job here and now (a command), drawing its progress; the job as it ended."""
    with click.progressbar(length=1, label=label, show_pos=True) as bar:

        def progress(done: int, total: int, stage: str) -> None:
            bar.length = max(total, done, 1)
            bar.label = f"{label} ({stage})"
            bar.update(done - bar.pos)

        logic.run(job.id, progress)
    db.session.expire_all()
    found = db.session.get(Job, job.id)
    assert found is not None
    return found
