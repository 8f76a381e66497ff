"""A real Huey consumer in threads of the test process, for tests of background jobs, and a
wait for a job to finish (polling the database, as the job's page does)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from engage.extensions import db
from engage.jobs.models import Job, JobStatus

# Long enough for any job a test starts; the tests never assert on how long a job takes.
PATIENCE_SECONDS = 300


@contextmanager
def running_worker(app, workers: int = 1) -> Iterator[None]:
    consumer = app.extensions["huey"].create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        backoff=1.1,
        max_delay=0.2,
        check_worker_health=False,
    )
    consumer._set_signal_handlers = lambda: None  # the test runner keeps its own signals
    consumer.start()
    try:
        yield
    finally:
        consumer.stop(graceful=True)


def wait_for(job_id: int) -> Job:
    """The job once it has finished."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        db.session.rollback()  # let go of SQLite's read lock so the worker can write
        job = db.session.get(Job, job_id)
        if job is not None and job.state in (JobStatus.DONE, JobStatus.FAILED):
            return job
        db.session.rollback()
        time.sleep(0.05)
    pytest.fail(f"job {job_id} did not finish")


@pytest.fixture
def worker(app):
    with running_worker(app):
        yield
