"""Queueing emails in the outbox and sending them exactly once, from any number of machines."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from engage.database import utcnow
from engage.extensions import db
from engage.notifications.models import OutboxMessage, OutboxStatus
from engage.notifications.transport import Transport

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=2)


def queue_email(to: str, template: str, locale: str, **context: object) -> OutboxMessage:
    """Render the email in the recipient's language and add it to the caller's transaction."""
    with force_locale(locale):
        subject = render_template(f"emails/{template}.subject.txt", **context).strip()
        body = render_template(f"emails/{template}.txt", **context)
    message = OutboxMessage(
        template=template, to_address=to, locale=locale, subject=subject, body_text=body
    )
    db.session.add(message)
    return message


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_pending(transport: Transport, now: datetime | None = None, limit: int = 100) -> SendReport:
    """Send due messages; the batch is claimed atomically first so no two workers send the
    same message, and each result is committed as soon as it is known."""
    now = now or utcnow()
    report = SendReport()
    try:
        for message in _claim_due_messages(now, limit):
            _send_one(transport, message, now, report)
    finally:
        transport.close()
    return report


def _claim_due_messages(now: datetime, limit: int) -> list[OutboxMessage]:
    """Move up to `limit` due messages from queued to sending for this worker, in one
    transaction: the ids are picked first (on PostgreSQL locked with SKIP LOCKED, so another
    worker picks others), then marked; a message another worker has claimed no longer
    matches `status = queued`. Picking the ids in their own statement keeps the limit: as a
    subquery of the UPDATE, PostgreSQL may re-run it per row and claim far more."""
    worker = uuid.uuid4().hex
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.QUEUED)
            .values(status=OutboxStatus.SENDING, claimed_by=worker, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    claimed = select(OutboxMessage).where(
        OutboxMessage.claimed_by == worker, OutboxMessage.status == OutboxStatus.SENDING
    )
    return list(db.session.scalars(claimed.order_by(OutboxMessage.id)))


def _send_one(
    transport: Transport, message: OutboxMessage, now: datetime, report: SendReport
) -> None:
    try:
        transport.send(_to_email(message))
    except Exception as error:  # any transport failure is retried later
        _record_failure(message, error, now, report)
    else:
        message.status, message.sent_at = OutboxStatus.SENT, utcnow()
        report.sent += 1
    db.session.commit()


def _record_failure(
    message: OutboxMessage, error: Exception, now: datetime, report: SendReport
) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        report.failed += 1
        log.error("email %s failed for good after %s attempts", message.id, message.attempts)
    else:
        message.status = OutboxStatus.QUEUED
        message.next_attempt_at = now + min(BASE_BACKOFF * 2 ** (message.attempts - 1), MAX_BACKOFF)
        report.retried += 1
        log.warning("email %s failed (attempt %s), will retry", message.id, message.attempts)


def _domain() -> str:
    """The sender's domain for Message-IDs (without it, each one asks the system for its name,
    which costs milliseconds per message)."""
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    return sender.rsplit("@", 1)[-1].strip("> ") or "engage.invalid"


def _to_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"engage-{message.id}", domain=_domain())
    email["Content-Language"] = message.locale.replace("_", "-")
    email.set_content(message.body_text)
    return email


def stuck_messages(
    now: datetime, older_than: timedelta = timedelta(minutes=30)
) -> list[OutboxMessage]:
    """Messages claimed but never confirmed (a worker died mid-send): left for a person to check
    rather than retried, because retrying could send them twice."""
    query = select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - older_than
    )
    return list(db.session.scalars(query))
