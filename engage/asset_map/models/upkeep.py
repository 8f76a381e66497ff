"""What keeps the directory true: providers who look after listings, reports of problems,
proposed changes, revisions and reminders; and what shows unmet demand (the search log)."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.asset_map.models.directory import Organisation, Service
from engage.database import utcnow
from engage.extensions import Model


class OrganisationMember(Model):
    """A provider's claim to look after an organisation's listing; an officer approves it."""

    __tablename__ = "organisation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ProblemReport(Model):
    """ "Report a problem with this listing", from anyone; no personal data is asked for."""

    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship()


class ProposedChange(Model):
    """An edit by a provider, waiting for an officer: the fields as they were and as proposed."""

    __tablename__ = "proposed_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])


class ServiceRevision(Model):
    """The history of a listing: who changed which fields, from what to what, and how."""

    __tablename__ = "service_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict] = mapped_column(JSON)

    service: Mapped[Service] = relationship()
    changed_by: Mapped[User | None] = relationship()


class FreshnessReminder(Model):
    __tablename__ = "freshness_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[Service] = relationship()


class SearchLog(Model):
    """What people looked for and how much they found; never who they are."""

    __tablename__ = "search_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    query: Mapped[str] = mapped_column(String(120), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    filters: Mapped[dict] = mapped_column(JSON)
    result_count: Mapped[int]
    # Unmet demand the gap analysis counts: an anonymous visitor's first search of the day
    # in this area that found few services (see engage/asset_map/search_log.py).
    counts_for_gaps: Mapped[bool] = mapped_column(default=False, index=True)


class SearchDaySalt(Model):
    """Today's random key for telling visitors apart without knowing who they are; deleted
    with the day's visits when the next day's first search is logged."""

    __tablename__ = "search_day_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class SearchVisit(Model):
    """One visitor, one area, one day: a keyed hash of the visitor's address and the area,
    which cannot be turned back into the address once the day's salt is gone."""

    __tablename__ = "search_visits"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
