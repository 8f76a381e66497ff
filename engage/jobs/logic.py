"""Starting a job, running it with its progress written as it goes, and who may see it."""

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.jobs import queue
from engage.jobs.models import Job, JobFile, JobStatus

log = logging.getLogger("engage.jobs")


class JobFailed(UserError):
    """The job could not do what was asked; `report` says what was found (e.g. problems)."""

    def __init__(self, message: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.report = report


@transactional
def _create(
    kind: str, title: str, user: User | None, params: dict[str, Any], files: dict[str, bytes]
) -> Job:
    job = Job(kind=kind, title=title[:200], started_by=user, params=params)
    job.files = [JobFile(name=name[:255], content=content) for name, content in files.items()]
    db.session.add(job)
    return job


def start(
    kind: str,
    title: str,
    user: User | None,
    params: dict[str, Any] | None = None,
    files: dict[str, bytes] | None = None,
    queued: bool = True,
) -> Job:
    """Record a job and put it on the queue (after it is committed, so a worker finds it).
    With queued=False the caller runs it (a command that shows its own progress bar)."""
    if kind not in queue.HANDLERS:
        raise UserError(_("There is no such kind of job"))
    job = _create(kind, title, user, params or {}, files or {})
    if queued:
        queue.enqueue(job.id)
    return job


def _progress(job: Job, also: queue.Progress | None) -> queue.Progress:
    def report(done: int, total: int, stage: str) -> None:
        job.done, job.total, job.stage = done, total or None, stage[:120]
        db.session.commit()
        if also is not None:
            also(done, total, stage)

    return report


def run(job_id: int, also: queue.Progress | None = None) -> None:
    """Do one job: a worker calls this. Never raises; the job records how it ended."""
    job = db.session.get(Job, job_id)
    if job is None or job.state is not JobStatus.QUEUED:
        return
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    db.session.commit()
    try:
        report = queue.HANDLERS[job.kind](job, _progress(job, also))
    except JobFailed as failure:
        db.session.rollback()
        _finish(job_id, JobStatus.FAILED, failure.message, failure.report)
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, JobStatus.FAILED, _("Something went wrong. Nothing more was done."), None)
    else:
        _finish(job_id, JobStatus.DONE, "", report)


def _finish(job_id: int, status: JobStatus, message: str, report: dict[str, Any] | None) -> None:
    job = db.session.get(Job, job_id)
    if job is None:  # deleted while it ran: there is nothing left to record it on
        return
    job.status, job.message, job.report, job.finished_at = status, message, report, utcnow()
    job.files = []
    db.session.commit()


def files_of(job: Job) -> dict[str, bytes]:
    return {
        f.name: f.content
        for f in db.session.scalars(select(JobFile).where(JobFile.job_id == job.id))
    }


def may_see(user: Any, job: Job) -> bool:
    """Who started it, and admins."""
    return bool(user.is_authenticated and (user.id == job.started_by_id or user.role == Role.ADMIN))


def recent(user: User, kind: str | None = None, limit: int = 10) -> list[Job]:
    query = select(Job).where(Job.started_by_id == user.id)
    if kind:
        query = query.where(Job.kind == kind)
    return list(db.session.scalars(query.order_by(Job.created_at.desc()).limit(limit)))
