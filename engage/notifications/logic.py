"""Queueing emails in the outbox and sending them exactly once, from any number of machines."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid, parseaddr

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
CONFIRM_EVERY = 50  # sent messages marked sent in one statement and commit
MAX_8BIT_LINE = 998  # RFC 5322's limit; a longer line goes quoted-printable
_UTF8_8BIT = Charset("utf-8")
_UTF8_8BIT.body_encoding = None  # type: ignore[assignment]  # 8bit (7bit for ASCII): documented
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP


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
    same message (any number of workers may run at once), sent over the transport's one
    connection, and the sent ones are confirmed CONFIRM_EVERY at a time in one statement.
    A message sent but not yet confirmed when a worker dies stays `sending`, never retried
    (see `stuck_messages`)."""
    now = now or utcnow()
    report = SendReport()
    try:
        sent: list[int] = []
        ready = [
            (message, message.id, _to_email(message)) for message in _claim_due_messages(now, limit)
        ]
        db.session.commit()  # ends the read: on SQLite an open read holds other workers' commits
        for message, message_id, email in ready:
            try:
                transport.send(email)
            except Exception as error:  # any transport failure is retried later
                _record_failure(message, error, now, report)
            else:
                sent.append(message_id)
                report.sent += 1
            if len(sent) >= CONFIRM_EVERY:
                _confirm(sent)
                sent = []
        _confirm(sent)
    finally:
        transport.close()
    return report


def send_all(
    transport_for_batch: Callable[[], Transport], batch: int = 100, now: datetime | None = None
) -> SendReport:
    """A worker draining the outbox: batch after batch (one connection each) until nothing
    due is left unclaimed. Run as many workers at once as the mail server welcomes."""
    total = SendReport()
    while True:
        report = send_pending(transport_for_batch(), now, batch)
        total.sent += report.sent
        total.retried += report.retried
        total.failed += report.failed
        if report.sent + report.retried + report.failed == 0:
            return total


def _confirm(ids: list[int]) -> None:
    """Mark these claimed messages sent (and commit any failures recorded meanwhile)."""
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status=OutboxStatus.SENT, sent_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _claim_due_messages(now: datetime, limit: int) -> list[OutboxMessage]:
    """Move up to `limit` due messages from queued to sending for this worker (a fresh claim
    token), in one transaction. On PostgreSQL the ids are picked first, locked with SKIP
    LOCKED so another worker picks others, then marked (as a subquery of the UPDATE,
    PostgreSQL may re-run it per row and claim far more). On SQLite one UPDATE picks and
    marks them under the database's write lock, so two workers never pick the same ones
    and neither comes back empty-handed while messages are due."""
    worker = uuid.uuid4().hex
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    claim = update(OutboxMessage).values(
        status=OutboxStatus.SENDING, claimed_by=worker, claimed_at=now
    )
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(due.with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(
                claim.where(
                    OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.QUEUED
                ).execution_options(synchronize_session=False)
            )
    else:
        db.session.execute(
            claim.where(OutboxMessage.id.in_(due.scalar_subquery())).execution_options(
                synchronize_session=False
            )
        )
    db.session.commit()
    claimed = select(OutboxMessage).where(
        OutboxMessage.claimed_by == worker, OutboxMessage.status == OutboxStatus.SENDING
    )
    return list(db.session.scalars(claimed.order_by(OutboxMessage.id)))


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


def _header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()


def _sender(address: str) -> str:
    name, email = parseaddr(address)
    return formataddr((name, email), charset="utf-8") if name else email


def _to_email(message: OutboxMessage) -> Message:
    """The message in MIME (the compat32 classes: several times faster to build and flatten
    than EmailMessage, and the same on the wire): UTF-8 text sent as 8bit unless a line is
    too long for that."""
    body = message.body_text
    long_lines = any(len(line.encode()) > MAX_8BIT_LINE for line in body.splitlines())
    charset = _UTF8_QP if long_lines else _UTF8_8BIT
    email = MIMEText(body, "plain", charset)  # type: ignore[arg-type]  # a Charset works too
    email["From"] = _sender(current_app.config["MAIL_DEFAULT_SENDER"])
    email["To"] = message.to_address
    email["Subject"] = _header(message.subject)
    email["Message-ID"] = make_msgid(idstring=f"engage-{message.id}", domain=_domain())
    email["Content-Language"] = message.locale.replace("_", "-")
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
