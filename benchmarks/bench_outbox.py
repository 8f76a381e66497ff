"""The outbox drained by two worker processes to a local SMTP server (`make bench`).

5,000 messages are queued (rendered as the app renders them) in a SQLite file; a real aiosmtpd
server on loopback, in this process, records each message's Message-ID. Two worker processes
(forked before the server starts) each run `send_all` as `flask notifications send --all` does:
claim a batch (one claiming UPDATE with a claim token on SQLite, FOR UPDATE SKIP LOCKED on
PostgreSQL), send it over one SMTP connection, confirm the sent ones in bulk. Figure: messages
per second from the workers' start to the last message, and whether every message arrived
exactly once. Reference, in the same run: a bare smtplib loop sending the same messages over
one connection from this process (no database, no rendering). Timings are printed, never
asserted."""

import multiprocessing
import os
import re
import smtplib
import tempfile
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

MESSAGES = int(os.environ.get("OUTBOX_BENCH_MESSAGES", 5_000))
WORKERS = 2
BATCH = 250
TARGET = 500  # messages/s
MESSAGE_ID = re.compile(rb"^Message-ID:(.*)$", re.MULTILINE | re.IGNORECASE)


class Recorder:
    """Keeps each accepted message's Message-ID, and when the last one came."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.last = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        found = MESSAGE_ID.search(envelope.content)  # not a full parse: the server stays cheap
        self.ids.append(found.group(1).strip() if found else b"")
        self.last = time.perf_counter()
        return "250 Message accepted for delivery"


def _free_port() -> int:
    from tests.smtp import free_port

    return free_port()


def _app(uri: str, port: int):
    from engage import create_app
    from engage.config import TestConfig

    settings = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
    }
    return create_app(type("OutboxBench", (TestConfig,), settings))


def _queue(app, n: int) -> None:
    from flask_migrate import upgrade

    from engage.extensions import db
    from engage.notifications.logic import queue_email

    with app.app_context():
        upgrade()
        for i in range(n):
            locale = "pl" if i % 5 == 0 else "en_GB"
            link = f"http://localhost/r/{i}"
            queue_email(f"person{i}@example.org", "password_reset", locale,
                        display_name=f"Person {i}", link=link, hours=2)  # fmt: skip
        db.session.commit()


def _worker(uri: str, port: int, go, sent) -> None:
    from flask import current_app

    from engage.extensions import db
    from engage.notifications.logic import send_all
    from engage.notifications.transport import transport_from_config

    app = _app(uri, port)
    with app.app_context():
        db.engine.dispose()  # no connection shared with the parent
        go.wait()
        report = send_all(lambda: transport_from_config(current_app.config), batch=BATCH)
        sent.put(report.sent)


def _bare(port: int, app, n: int) -> float:
    """messages/s of a plain smtplib loop over one connection, messages built beforehand."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.notifications.logic import _to_email
    from engage.notifications.models import OutboxMessage

    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).limit(n)))
        built = [(m.to_address, _to_email(m).as_bytes()) for m in rows]
    started = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port)
    for to, data in built:
        smtp.sendmail("engage@localhost", [to], data)
    smtp.quit()
    return len(built) / (time.perf_counter() - started)


def main() -> None:
    print(f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs at the start)")
    fork = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as tmp:
        uri = f"sqlite:///{Path(tmp) / 'outbox.db'}"
        port = _free_port()
        app = _app(uri, port)
        _queue(app, MESSAGES)
        go, sent = fork.Event(), fork.Queue()
        workers = [fork.Process(target=_worker, args=(uri, port, go, sent)) for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        time.sleep(3)  # the workers build their apps before the clock starts
        recorder = Recorder()
        controller = Controller(recorder, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            started = time.perf_counter()
            go.set()
            for worker in workers:
                worker.join()
            took = recorder.last - started
            split = [sent.get() for _ in workers]
            counts = Counter(recorder.ids)
            exactly_once = len(counts) == MESSAGES and set(counts.values()) == {1}
            recorder.ids.clear()
            bare = _bare(port, app, MESSAGES)
        finally:
            controller.stop()
    rate = MESSAGES / took
    verdict = "met" if rate >= TARGET and exactly_once else "NOT met"
    print(f"  outbox, {WORKERS} worker processes, {MESSAGES:,} messages on SQLite to aiosmtpd "
          f"on loopback: {rate:,.0f} messages/s (split {' / '.join(map(str, split))}); each "
          f"received exactly once: {exactly_once}; target ≥ {TARGET}/s: {verdict}")  # fmt: skip
    print(f"  reference, a bare smtplib loop over one connection: {bare:,.0f} messages/s "
          f"(ours {rate / bare:.2f}× that)")  # fmt: skip
    print(f"(load average {os.getloadavg()[0]:.2f} at the end)")


if __name__ == "__main__":
    main()
