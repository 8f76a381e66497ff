"""The outbox: written with the change that caused it, sent over real SMTP exactly once,
retried with backoff when the server is unavailable."""

import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from engage.database import utcnow
from engage.extensions import db
from engage.notifications.logic import MAX_ATTEMPTS, queue_email, send_all, send_pending
from engage.notifications.models import OutboxMessage, OutboxStatus
from engage.notifications.transport import ConsoleTransport, SMTPTransport
from tests.smtp import SMTPServer


def _queue(n: int = 1, locale: str = "en_GB") -> None:
    for i in range(n):
        queue_email(
            f"person{i}@example.org",
            "password_reset",
            locale,
            display_name=f"Person {i}",
            link="http://localhost/x",
            hours=2,
        )
    db.session.commit()


def _transport(app, server: SMTPServer) -> SMTPTransport:
    return SMTPTransport({**app.config, **server.config()})


def test_a_queued_email_disappears_when_its_transaction_rolls_back(db_session):
    queue_email("a@example.org", "password_reset", "en_GB", display_name="A", link="x", hours=2)
    db_session.rollback()
    assert db_session.scalar(select(OutboxMessage)) is None


def test_queued_email_is_delivered_over_smtp(app, db_session):
    _queue()
    with SMTPServer() as server:
        report = send_pending(_transport(app, server))
    assert report.sent == 1
    [message] = server.messages
    assert message["To"] == "person0@example.org"
    assert message["Subject"] == "Reset your Engage password"
    assert "Hello Person 0," in message.get_payload(decode=True).decode()
    stored = db_session.scalar(select(OutboxMessage))
    assert stored.status == OutboxStatus.SENT and stored.sent_at is not None


def test_sending_again_sends_nothing_twice(app, db_session):
    _queue(3)
    with SMTPServer() as server:
        transport = _transport(app, server)
        assert send_pending(transport).sent == 3
        assert send_pending(transport).sent == 0
    assert len(server.messages) == 3


def test_two_workers_at_once_send_each_message_once(app, db_session):
    _queue(20)
    with SMTPServer() as server:

        def worker():  # each worker is its own process in production, with its own connection
            with app.app_context():
                send_pending(_transport(app, server))
                db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    recipients = sorted(m["To"] for m in server.messages)
    assert recipients == sorted(f"person{i}@example.org" for i in range(20))


def test_a_worker_claims_no_more_than_its_batch(app, db_session):
    _queue(12)
    with SMTPServer() as server:
        assert send_pending(_transport(app, server), limit=5).sent == 5
        assert send_pending(_transport(app, server), limit=5).sent == 5
    queued = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.QUEUED)
    ).all()
    assert len(server.messages) == 10 and len(queued) == 2
    assert all(
        m["Message-ID"].endswith(
            "@" + app.config["MAIL_DEFAULT_SENDER"].split("@")[-1].strip(">") + ">"
        )
        for m in server.messages
    )


def test_a_temporary_failure_is_retried_later_with_backoff(app, db_session):
    _queue()
    now = utcnow()
    with SMTPServer(fail_first=1) as server:
        transport = _transport(app, server)
        first = send_pending(transport, now=now)
        assert (first.sent, first.retried) == (0, 1)
        message = db_session.scalar(select(OutboxMessage))
        assert message.status == OutboxStatus.QUEUED
        assert message.next_attempt_at == now + timedelta(minutes=1)
        assert "451" in message.last_error
        assert send_pending(transport, now=now).sent == 0  # not due yet
        assert send_pending(transport, now=now + timedelta(minutes=1)).sent == 1
    assert len(server.messages) == 1


def test_gives_up_after_the_last_attempt(app, db_session):
    _queue()
    with SMTPServer(fail_first=MAX_ATTEMPTS) as server:
        transport = _transport(app, server)
        later = utcnow()
        for _ in range(MAX_ATTEMPTS):
            send_pending(transport, now=later)
            later += timedelta(hours=3)
    message = db_session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS


def test_an_unreachable_server_leaves_the_message_queued(app, db_session):
    _queue()
    closed = SMTPTransport({**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1})
    assert send_pending(closed).retried == 1
    assert db_session.scalar(select(OutboxMessage)).status == OutboxStatus.QUEUED


def test_development_prints_messages_instead(app, db_session):
    _queue()
    stream = io.StringIO()
    assert send_pending(ConsoleTransport(stream)).sent == 1
    assert "Subject: Reset your Engage password" in stream.getvalue()


def test_the_send_command_uses_smtp_from_config(app, runner, db_session):
    _queue(2)
    with SMTPServer() as server:
        app.config.update(server.config())
        try:
            result = runner.invoke(args=["notifications", "send"])
        finally:
            app.config["MAIL_SERVER"] = ""
    assert "sent 2" in result.output
    assert len(server.messages) == 2


@pytest.mark.parametrize("locale", ["en_GB", "pl"])
def test_email_is_rendered_in_the_recipients_language(app, db_session, locale):
    _queue(locale=locale)
    message = db_session.scalar(select(OutboxMessage))
    english = message.subject == "Reset your Engage password"
    assert english is (locale == "en_GB")


def test_two_workers_draining_in_small_batches_send_each_message_exactly_once(app, db_session):
    _queue(150)
    with SMTPServer() as server:
        start = threading.Barrier(2)
        reports = []

        def worker():  # as `flask notifications send --all`, one per process in production
            with app.app_context():
                start.wait()
                reports.append(send_all(lambda: _transport(app, server), batch=7))
                db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    ids = [m["Message-ID"] for m in server.messages]
    assert len(ids) == 150 and len(set(ids)) == 150
    assert sorted(m["To"] for m in server.messages) == sorted(
        f"person{i}@example.org" for i in range(150)
    )
    assert sum(r.sent for r in reports) == 150
    statuses = db_session.scalars(
        select(OutboxMessage.status).execution_options(populate_existing=True)
    )
    assert set(statuses) == {OutboxStatus.SENT}


def test_the_send_command_can_drain_the_outbox_in_batches(app, runner, db_session):
    _queue(12)
    with SMTPServer() as server:
        app.config.update(server.config())
        try:
            result = runner.invoke(args=["notifications", "send", "--all", "--limit", "5"])
        finally:
            app.config["MAIL_SERVER"] = ""
    assert "sent 12" in result.output
    assert len(server.messages) == 12


def test_polish_subjects_and_text_arrive_intact(app, db_session):
    from email.header import decode_header, make_header

    _queue(locale="pl")
    stored = db_session.scalar(select(OutboxMessage))
    with SMTPServer() as server:
        send_pending(_transport(app, server))
    [message] = server.messages
    assert str(make_header(decode_header(message["Subject"]))) == stored.subject
    assert not stored.subject.isascii()
    received = message.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert received.rstrip("\n") == stored.body_text.rstrip("\n")
    assert message["Content-Language"] == "pl"
