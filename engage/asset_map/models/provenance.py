"""Where records came from: ids they were once known by, the neighbouring directories we
harvest, which of our records each of their records became, and likely duplicates."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.asset_map.models.directory import Service
from engage.database import utcnow
from engage.extensions import Model


class IdAlias(Model):
    """An id a record was published or imported under before it had its uuid, so links and
    files that use the old id still find it."""

    __tablename__ = "oruk_id_aliases"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # service, organisation…
    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    oruk_id: Mapped[str] = mapped_column(String(36), index=True)


class FeedSource(Model):
    """Another directory's Open Referral UK API, harvested page by page every day."""

    __tablename__ = "feed_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the last complete harvest started: the next asks only for what changed since.
    last_harvested_at: Mapped[datetime | None]
    last_outcome: Mapped[dict] = mapped_column(JSON, default=dict)

    created_by: Mapped[User | None] = relationship()


class RemoteRecord(Model):
    """One of a feed's records and the local record it became (or was merged into)."""

    __tablename__ = "remote_records"
    __table_args__ = (UniqueConstraint("source_id", "kind", "remote_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("feed_sources.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # service, organisation, location
    remote_id: Mapped[str] = mapped_column(String(200))
    local_id: Mapped[int] = mapped_column(index=True)
    # A record merged into one of ours is never overwritten by the feed again.
    merged: Mapped[bool] = mapped_column(default=False)
    remote_modified: Mapped[str | None] = mapped_column(String(40))
    harvested_at: Mapped[datetime] = mapped_column(default=utcnow)

    source: Mapped[FeedSource] = relationship()


class DuplicateCandidate(Model):
    """A harvested service that looks like one of ours, for an officer to merge or dismiss."""

    __tablename__ = "duplicate_candidates"
    __table_args__ = (UniqueConstraint("harvested_id", "local_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    harvested_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    local_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    harvested: Mapped[Service] = relationship(foreign_keys=[harvested_id])
    local: Mapped[Service] = relationship(foreign_keys=[local_id])
