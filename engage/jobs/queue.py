"""The task queue, set up from the app's settings, and the one task it runs: a job, by id,
inside an app context. What a job does is looked up by its kind."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

from engage.jobs.models import Job

# What each kind of job does: (job, progress) -> its report. Features register their kinds.
Progress = Callable[[int, int, str], None]
Handler = Callable[[Job, Progress], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def register_kind(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


def make_huey(app: Flask) -> Huey:
    """SqliteHuey in the instance folder, or RedisHuey when REDIS_URL is set."""
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return RedisHuey("engage-jobs", url=redis_url, immediate=immediate)
    path = app.config.get("JOBS_SQLITE_PATH") or str(Path(app.instance_path) / "engage-jobs.db")
    return SqliteHuey("engage-jobs", filename=path, immediate=immediate)


def init_app(app: Flask) -> None:
    huey = make_huey(app)

    @huey.task(name="engage.run_job")
    def run_job(job_id: int) -> None:
        from engage.jobs.logic import run

        with app.app_context():
            run(job_id)

    app.extensions["huey"] = huey
    app.extensions["huey.run_job"] = run_job


def huey() -> Huey:
    return current_app.extensions["huey"]


def enqueue(job_id: int) -> None:
    current_app.extensions["huey.run_job"](job_id)
