"""Foundation figures: the cost of a sign-in's password check, page rendering, and the
outbox worker over real SMTP on loopback (one connection per batch vs. one per message)."""

import statistics
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from werkzeug.security import check_password_hash, generate_password_hash

from engage import create_app, demo
from engage.config import TestConfig
from engage.extensions import db
from engage.notifications.logic import queue_email, send_pending
from engage.notifications.models import OutboxMessage
from engage.notifications.transport import SMTPTransport


def _per_second(func, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        func()
    return repeat / (time.perf_counter() - started)


def bench_password_check() -> None:
    argon = PasswordHasher()
    argon_hash = argon.hash("purple otter lantern")
    scrypt_hash = generate_password_hash("purple otter lantern")
    argon_rate = _per_second(lambda: argon.verify(argon_hash, "purple otter lantern"), 20)
    scrypt_rate = _per_second(lambda: check_password_hash(scrypt_hash, "purple otter lantern"), 20)
    print(f"password check, Argon2id (ours): {1000 / argon_rate:6.1f} ms each")
    print(f"password check, werkzeug scrypt (reference): {1000 / scrypt_rate:6.1f} ms each")
    print(f"  ratio ours/reference: {scrypt_rate / argon_rate:.2f}x the time")


def _app(tmp: Path):
    from flask_migrate import upgrade

    config = type("Bench", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db"})
    app = create_app(config)
    with app.app_context():
        upgrade()
        demo.load_demo_areas()
    return app


def bench_pages(app) -> None:
    client = app.test_client()
    for path in ["/", "/sign-in", "/healthz"]:
        samples = []
        for _ in range(5):
            samples.append(_per_second(lambda p=path: client.get(p), 40))
        print(f"GET {path:<10} {statistics.median(samples):7.0f} requests/s (one process)")


def _queue(app, n: int) -> None:
    with app.app_context():
        db.session.query(OutboxMessage).delete()
        for i in range(n):
            queue_email(
                f"p{i}@example.org",
                "password_reset",
                "en_GB",
                display_name="P",
                link="http://x",
                hours=2,
            )
        db.session.commit()


class OneConnectionPerMessage(SMTPTransport):
    """The naive way: connect, send, disconnect for every message."""

    def send(self, message) -> None:
        super().send(message)
        self.close()


def bench_outbox(app, n: int = 300) -> None:
    from tests.smtp import SMTPServer

    with SMTPServer() as server:
        config = {**app.config, **server.config()}
        rates = {}
        for name, transport_class in [
            ("one connection per batch (ours)", SMTPTransport),
            ("one connection per message (naive)", OneConnectionPerMessage),
        ]:
            _queue(app, n)
            with app.app_context():
                started = time.perf_counter()
                report = send_pending(transport_class(config), limit=n)
                rates[name] = report.sent / (time.perf_counter() - started)
            print(f"outbox to SMTP, {name}: {rates[name]:6.0f} messages/s ({report.sent} sent)")
        ours, naive = rates.values()
        print(f"  ratio ours/naive: {ours / naive:.2f}x")


def main() -> None:
    bench_password_check()
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        bench_pages(app)
        bench_outbox(app)


if __name__ == "__main__":
    main()
