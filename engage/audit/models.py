"""One row per action by an officer, admin or the safeguarding lead: who, what, when, on what.
Rows are only ever added: the ORM refuses to change or delete one, and on PostgreSQL a trigger
refuses it too (see migration 0010). Nothing a person wrote is ever copied here, only ids."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engage.accounts.models import User
from engage.database import utcnow
from engage.extensions import Model


class AuditEntry(Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # ids and counts, never free text

    actor: Mapped[User | None] = relationship()


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context, _instances) -> None:
    for entry in (*session.dirty, *session.deleted):
        if isinstance(entry, AuditEntry) and (
            entry in session.deleted or session.is_modified(entry)
        ):
            raise AuditLogIsAppendOnly("audit entries are never changed or deleted")
