"""Long work done off the request: what it is, who started it, how far it has got, and its
report when it is done."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.database import utcnow
from engage.extensions import Model


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str(
            {
                JobStatus.QUEUED: _l("Waiting to start"),
                JobStatus.RUNNING: _l("Running"),
                JobStatus.DONE: _l("Finished"),
                JobStatus.FAILED: _l("Not done"),
            }[self]
        )

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


class Job(Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED, index=True)
    stage: Mapped[str] = mapped_column(String(120), default="")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    # What the job was asked to do (plain values), and what it found (the kind's report).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    report: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    started_by: Mapped[User | None] = relationship()
    files: Mapped[list["JobFile"]] = relationship(cascade="all, delete-orphan")

    @property
    def state(self) -> JobStatus:
        return JobStatus(self.status)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class JobFile(Model):
    """An upload a job works on, kept in the database so any worker machine can read it;
    removed when the job finishes."""

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
