"""You said, we did at scale (`make bench`).

1. A board of 10,000 published responses answering 200,000 feedback items: 200,000 links, about
   20 per response, over 70% of the approved items (so some items have two responses and their
   first answer is the earlier one); the other 30% wait unanswered, most of them for more than
   12 weeks. Seeded with SQLAlchemy Core bulk inserts, with the demo areas and real themes.
   p50/p95 of the public board (plain, filtered by partner and status, searched), its Atom feed,
   one response page, and the public and officers' accountability dashboards, on SQLite and on
   a throwaway PostgreSQL server.
2. The dashboard's figures computed afresh, as on the first view after a change: with each
   item's first answer and each theme's counts kept (by the database's triggers), and straight
   (first answers grouped from every link, themes joined to every item, on each count), with
   the figures compared; then against the naive
   way: accountability.loop vs a per-item loop over ORM objects (each
   item's published responses queried, its area walked up to its partnership, its themes
   loaded) on a sample; cost per item, the ratio, and the same first answers for the sample.
3. The outbox drained to a real SMTP server on loopback (aiosmtpd, in this process): 50,000
   messages, messages/second, each received exactly once and every row marked sent; one
   connection per batch (send_pending with SMTPTransport) vs a new connection per message on
   2,000; and two workers draining 5,000 at once, exactly once. On PostgreSQL when installed.
YSD_BENCH_SCALE (e.g. 0.05) shrinks every count for a quick try. Timings are printed, never
asserted; other work on the machine skews them."""

import gc
import os
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

SCALE = float(os.environ.get("YSD_BENCH_SCALE", "1"))
RESPONSES = max(20, int(10_000 * SCALE))
ITEMS = max(400, int(200_000 * SCALE))
PER_RESPONSE = 20  # links per response: RESPONSES * PER_RESPONSE links in all
UNANSWERED = 0.3  # share of approved items no response links
OUTBOX = max(500, int(50_000 * SCALE))
OUTBOX_NAIVE = max(200, int(2_000 * SCALE))
OUTBOX_WORKERS = max(500, int(5_000 * SCALE))
NAIVE_SAMPLE = 1_000  # items for the per-item dashboard loop
BATCH = 100  # messages claimed per send_pending call (the CLI's default)
CHUNK = 5_000  # rows per bulk insert
PAGE_REPEAT = 15
DASHBOARD_REPEAT = 20  # figures computed afresh, timed
PAGE_BUDGET = 20.0  # seconds of samples per page at most (at least 5 samples)
SEED = 2026
COLLECTING = threading.Lock()  # workers count what the server got, one at a time
EMAIL, PASSWORD = "officer@bench.example.org", "bench password here"
ITEM_STATUSES = {"approved": 90, "pending": 5, "rejected": 3, "safeguarding": 2}
RESPONSE_STATUSES = {"done": 35, "in_progress": 25, "planned": 20, "considering": 12,
                     "not_taken_forward": 8}  # fmt: skip


def _p(samples: list[float], q: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


def _chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(table, rows: Iterable[dict], one_statement: bool = False) -> None:
    """Rows in batches; `one_statement` sends each batch as one multi-row INSERT (the links,
    whose triggers then run once a batch, as for any statement, not once a row, as the app's
    own bulk writes do)."""
    from sqlalchemy import insert

    from engage.extensions import db

    for batch in _chunks(rows):
        if one_statement:
            db.session.execute(insert(table).values(batch))
        else:
            db.session.execute(insert(table), batch)


# -- the board's data


@dataclass
class Plan:
    """What to seed, decided up front: item i (id i + 1) and response r (id r + 1)."""

    today: date
    received: list[date]
    status: list[str]
    published: list[datetime] = field(default_factory=list)
    links: list[list[int]] = field(default_factory=list)  # response -> item ids


def _plan(rng: random.Random, today: date) -> Plan:
    received = [today - timedelta(days=rng.randrange(730)) for _ in range(ITEMS)]
    status = rng.choices(list(ITEM_STATUSES), weights=list(ITEM_STATUSES.values()), k=ITEMS)
    plan = Plan(today, received, status)
    approved = [i for i in range(ITEMS) if status[i] == "approved"]
    rng.shuffle(approved)
    # Linked items in the order they were received, so a response answers things said about
    # the same time; the slots wrap round, giving the oldest items a second response.
    pool = sorted(approved[int(len(approved) * UNANSWERED) :], key=lambda i: received[i])
    for r in range(RESPONSES):
        items = sorted({pool[(r * PER_RESPONSE + k) % len(pool)] for k in range(PER_RESPONSE)})
        day = min(max(received[i] for i in items) + timedelta(days=rng.randint(3, 90)), today)
        plan.published.append(datetime(day.year, day.month, day.day, 9) + timedelta(
            minutes=rng.randrange(600)))  # fmt: skip
        plan.links.append([i + 1 for i in items])
    return plan


def _item_rows(plan: Plan, rng: random.Random, theme_of: list[str], wards, laps):
    from benchmarks.bench_feedback import OPENINGS, PLACES, POINTS

    for i in range(ITEMS):
        point, slug = rng.choice(POINTS)
        text = f"{rng.choice(OPENINGS)} {point} {rng.choice(PLACES)}"
        place = rng.random()
        area = rng.choice(wards) if place < 0.8 else rng.choice(laps) if place < 0.9 else None
        received = plan.received[i]
        yield {
            "id": i + 1, "text": text, "public_text": text, "redacted_names": [],
            "source": rng.choice(["session", "online", "survey"]), "prompt": "",
            "area_id": area, "language": "en", "young_person": rng.choice([True, False, None]),
            "by_ambassador": False, "received_on": received, "status": plan.status[i],
            "reason": "", "created_at": datetime(received.year, received.month, received.day, 12),
        }  # fmt: skip
        theme_of.append(slug)  # item i + 1


def _response_rows(plan: Plan, rng: random.Random, officer_id: int, plans: list, laps):
    from engage.you_said_we_did.models import Stage

    now = datetime(plan.today.year, plan.today.month, plan.today.day, 8)
    for r, published in enumerate(plan.published):
        slug, title, we_did, partners = plans[r % len(plans)]
        status = rng.choices(list(RESPONSE_STATUSES), list(RESPONSE_STATUSES.values()))[0]
        updated = min(published + timedelta(days=rng.randint(0, 60)), now)
        yield {
            "id": r + 1, "title": f"{title} ({r + 1})", "stage": Stage.PUBLISHED,
            "you_said": f"People told us about {slug.replace('-', ' ')} in their area.",
            "we_did": "" if status == "not_taken_forward" else we_did,
            "status": status, "progress": 100 if status == "done" else rng.randrange(0, 90, 10),
            "reason": "It would not help, we were told." if status == "not_taken_forward" else "",
            "partners": f",{partners},", "created_by_id": officer_id, "approved_by_id": officer_id,
            "created_at": published - timedelta(days=2), "published_at": published,
            "updated_at": updated, "area": rng.choice(laps), "slug": slug,
        }  # fmt: skip


def _officer() -> int:
    from engage.accounts.models import User
    from engage.accounts.passwords import hash_password
    from engage.accounts.roles import Role
    from engage.extensions import db

    officer = User(
        email=EMAIL,
        display_name="Officer",
        role=Role.ENGAGEMENT_OFFICER.value,
        password_hash=hash_password(PASSWORD),
    )
    db.session.add(officer)
    db.session.flush()
    return officer.id


def _seed(plan: Plan) -> None:
    from sqlalchemy import select

    from engage import demo
    from engage.extensions import db
    from engage.feedback.models import FeedbackItem, Theme, item_themes
    from engage.feedback.seed import load_themes
    from engage.geo.models import Area
    from engage.you_said_we_did import models as ysd
    from engage.you_said_we_did.seed import PLANS

    rng = random.Random(SEED)
    demo.load_demo_areas()
    load_themes()
    officer_id = _officer()
    themes = {t.slug: t.id for t in db.session.scalars(select(Theme))}
    wards = list(db.session.scalars(select(Area.id).where(Area.level == "ward")))
    laps = list(db.session.scalars(select(Area.id).where(Area.level == "lap")))
    theme_of: list[str] = []
    _insert(FeedbackItem.__table__, _item_rows(plan, rng, theme_of, wards, laps))
    _insert(item_themes, ({"item_id": i + 1, "theme_id": themes[s]}
                          for i, s in enumerate(theme_of) if s in themes),
            one_statement=True)  # fmt: skip
    plans = [(s, *p) for s, ps in PLANS.items() for p in ps]
    rows = list(_response_rows(plan, rng, officer_id, plans, laps))
    extra = [(row.pop("area"), row.pop("slug")) for row in rows]
    _insert(ysd.Response.__table__, rows)
    _insert(ysd.response_areas, ({"response_id": r + 1, "area_id": a}
                                 for r, (a, _) in enumerate(extra)))  # fmt: skip
    _insert(ysd.response_themes, ({"response_id": r + 1, "theme_id": themes[s]}
                                  for r, (_, s) in enumerate(extra) if s in themes))  # fmt: skip
    _insert(ysd.response_items, ({"response_id": r + 1, "item_id": i}
                                 for r, ids in enumerate(plan.links) for i in ids),
            one_statement=True)  # fmt: skip
    _reset_sequences(["fb_items", "ysd_responses"])
    db.session.commit()
    _at_rest()


def _at_rest() -> None:
    """The tables as autovacuum leaves them at rest (statistics, visibility map), which bulk
    inserts in one transaction do not: VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite."""
    from sqlalchemy import text

    from engage.extensions import db

    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if postgresql else "ANALYZE"))


def _reset_sequences(tables: list[str]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them on past the rows."""
    from sqlalchemy import text

    from engage.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        )


def _app(uri: str, plan: Plan) -> tuple[object, float]:
    from flask_migrate import upgrade

    from engage import create_app
    from engage.config import TestConfig

    settings = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    }
    app = create_app(type("YouSaidWeDidBench", (TestConfig,), settings))
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        _seed(plan)
        seeded = time.perf_counter() - started
    return app, seeded


# -- pages


def _urls(response_id: int) -> dict[str, str]:
    return {
        "board": "/you-said-we-did",
        "board, police + done": "/you-said-we-did?partner=police&status=done",
        "board, search 'lights'": "/you-said-we-did?q=lights",
        "Atom feed": "/you-said-we-did.atom",
        "one response": f"/you-said-we-did/{response_id}",
        "public dashboard": "/you-said-we-did/accountability",
        "officers' dashboard": "/responses/accountability",
    }


def _time_page(client, url: str) -> list[float]:
    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    samples: list[float] = []
    budget_end = time.perf_counter() + PAGE_BUDGET
    while len(samples) < PAGE_REPEAT and (len(samples) < 5 or time.perf_counter() < budget_end):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    return samples


def pages(app) -> dict[str, list[float]]:
    """Samples of each page's time, signed in as an engagement officer."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return {name: _time_page(client, url) for name, url in _urls(RESPONSES // 2).items()}


# -- the dashboard against the naive way


def _naive_first_answers(items) -> tuple[dict[int, date], Counter, Counter]:
    """Per item, through the ORM: its published responses, its partnership, its themes."""
    from engage.geo.models import AreaLevel
    from engage.you_said_we_did.logic import responses_for

    answered: dict[int, date] = {}
    by_area: Counter = Counter()
    by_theme: Counter = Counter()
    for item in items:
        responses = responses_for(item)
        if responses:
            answered[item.id] = min(r.published_at for r in responses).date()
        area = item.area
        while area is not None and area.level != AreaLevel.LAP:
            area = area.parent
        by_area[area.name if area else ""] += item.id in answered
        for theme in item.themes:
            by_theme[theme.name] += item.id in answered
    return answered, by_area, by_theme


def bench_dashboard(app, today: date) -> None:
    from sqlalchemy import select

    from engage.extensions import db
    from engage.feedback.models import FeedbackItem, ItemStatus
    from engage.you_said_we_did import accountability

    with app.app_context():
        kept = []  # the dashboard's first view after a change: nothing remembered
        for _ in range(DASHBOARD_REPEAT):
            started = time.perf_counter()
            loop = accountability.loop(today)
            kept.append(time.perf_counter() - started)
        started = time.perf_counter()
        straight = accountability.loop(today, straight=True)
        grouped = time.perf_counter() - started
        fast = _p(kept, 50)
        print(f"    dashboard figures computed afresh (a first view after a change): "
              f"p50 {_ms(fast)}, p95 {_ms(_p(kept, 95))} with the kept first answers and "
              f"theme counts; {_ms(grouped)} grouping every link and joining every theme (the "
              f"straight way, {grouped / fast:.1f}x); "
              f"same figures: {straight == loop}")  # fmt: skip
        db.session.expunge_all()
        ids = select(FeedbackItem.id).where(FeedbackItem.status == ItemStatus.APPROVED)
        sample_ids = random.Random(SEED).sample(list(db.session.scalars(ids)), NAIVE_SAMPLE)
        first = accountability._first_answers()
        rows = db.session.execute(
            select(first.c.item_id, first.c.first).where(first.c.item_id.in_(sample_ids))
        )
        firsts = {item_id: answered_at.date() for item_id, answered_at in rows}
        started = time.perf_counter()
        items = db.session.scalars(select(FeedbackItem).where(FeedbackItem.id.in_(sample_ids)))
        answered, _, _ = _naive_first_answers(list(items))
        slow = time.perf_counter() - started
    total = loop.overall.total
    per_item, naive_per_item = fast / total, slow / NAIVE_SAMPLE
    same = all(answered.get(i) == firsts.get(i) for i in sample_ids)
    print(f"    dashboard figures: loop() {_ms(fast)} for all {total:,} approved items "
          f"({per_item * 1e6:,.1f} us/item) vs per-item ORM loop {_ms(slow)} for "
          f"{NAIVE_SAMPLE:,} ({naive_per_item * 1e3:,.2f} ms/item, about "
          f"{naive_per_item * total:,.0f} s for all): {naive_per_item / per_item:,.0f}x "
          f"per item; same first answers for the sample: {same}")  # fmt: skip
    print(f"    loop: {loop.overall.answered:,}/{total:,} answered ({loop.overall.percent:.0f}%), "
          f"median wait {loop.median_days} days, p90 {loop.p90_days}, "
          f"{loop.waiting:,} waiting over 12 weeks")  # fmt: skip


def bench_database(label: str, uri: str, plan: Plan):
    app, seeded = _app(uri, plan)
    # This process holds the seeding's plan (millions of small objects) as a server's worker
    # never would: kept out of the collector's way, or each full collection (about 150 ms over
    # them) lands on whichever request is timed.
    gc.collect()
    gc.freeze()
    links = RESPONSES * PER_RESPONSE
    print(f"  {label}: seeded {ITEMS:,} items, {RESPONSES:,} responses, {links:,} links "
          f"and {ITEMS:,} item themes in {seeded:.1f} s (Core bulk inserts)")  # fmt: skip
    for name, samples in pages(app).items():
        print(f"    {name:<24} p50 {_ms(_p(samples, 50)):>9}   p95 {_ms(_p(samples, 95)):>9}"
              f"   ({len(samples)} requests)")  # fmt: skip
    bench_dashboard(app, plan.today)
    return app


# -- the outbox


def _queue(app, n: int, run: str) -> None:
    from sqlalchemy import delete

    from engage.database import utcnow
    from engage.extensions import db
    from engage.notifications.models import OutboxMessage

    due = utcnow() - timedelta(minutes=1)
    rows = ({"template": "bench", "to_address": f"p{i}@example.org", "locale": "en_GB",
             "subject": f"Bench {run} {i}", "body_text": f"Token {run}-{i}. Nothing to do.\n",
             "status": "queued", "attempts": 0, "created_at": due, "next_attempt_at": due}
            for i in range(n))  # fmt: skip
    with app.app_context():
        db.session.execute(delete(OutboxMessage))
        _insert(OutboxMessage.__table__, rows)
        db.session.commit()


def _overclaim(app, n: int) -> None:
    """One claim just after a bulk queue, before PostgreSQL has statistics for the table. When
    the ids were picked in a subquery of the UPDATE, the planner re-ran `LIMIT ... FOR UPDATE
    SKIP LOCKED` per row and one claim took every due message; it now takes its limit."""
    from engage.database import utcnow
    from engage.extensions import db
    from engage.notifications.logic import _claim_due_messages

    _queue(app, n, "claim")
    with app.app_context():
        claimed = len(_claim_due_messages(utcnow(), BATCH))
        db.session.rollback()
    print(f"    one claim with limit {BATCH} just after queueing {n:,}, no statistics yet: "
          f"{claimed:,} claimed")  # fmt: skip


def _collect(server, received: Counter) -> None:
    """Count what the server has accepted so far and let the messages go (memory)."""
    with COLLECTING:
        taken = server.messages[:]
        del server.messages[: len(taken)]
        received.update(str(m["Subject"]) for m in taken)


def _drain(app, transport_factory, server, received: Counter, limit: int = BATCH) -> int:
    from engage.notifications.logic import send_pending

    sent = 0
    with app.app_context():
        while True:
            report = send_pending(transport_factory(), limit=limit)
            sent += report.sent
            _collect(server, received)
            if report.sent + report.retried + report.failed == 0:
                return sent


def _check(app, n: int, run: str, received: Counter) -> str:
    from sqlalchemy import func, select

    from engage.extensions import db
    from engage.notifications.models import OutboxMessage

    with app.app_context():
        statuses = dict(
            db.session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
    expected = {f"Bench {run} {i}" for i in range(n)}
    lost = len(expected - set(received))
    twice = sum(c - 1 for s, c in received.items() if c > 1)
    stray = len(set(received) - expected)
    ok = lost == twice == stray == 0 and statuses == {"sent": n}
    return (f"received {sum(received.values()):,}, lost {lost}, duplicated {twice}, "
            f"rows {statuses}: {'exactly once' if ok else 'WRONG'}")  # fmt: skip


def _drain_once(app, server, n: int, run: str, transport_class) -> float:
    config = {**app.config, **server.config()}
    _queue(app, n, run)
    received: Counter = Counter()
    started = time.perf_counter()
    sent = _drain(app, lambda: transport_class(config), server, received)
    took = time.perf_counter() - started
    print(f"    {n:,} messages, {run}: {sent:,} sent in {took:.1f} s = {n / took:,.0f} msg/s; "
          f"{_check(app, n, run, received)}")  # fmt: skip
    return n / took


def _two_workers(app, server, n: int) -> None:
    from engage.notifications.transport import SMTPTransport

    config = {**app.config, **server.config()}
    _queue(app, n, "two workers")
    received: Counter = Counter()
    sent: list[int] = []
    gate = threading.Barrier(2)

    def worker() -> None:
        gate.wait()
        sent.append(_drain(app, lambda: SMTPTransport(config), server, received, limit=100))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    _collect(server, received)
    print(f"    {n:,} messages, two workers at once: {sent} sent in {took:.1f} s = "
          f"{n / took:,.0f} msg/s; {_check(app, n, 'two workers', received)}")  # fmt: skip


def bench_outbox(app, label: str) -> None:
    from benchmarks.bench_foundation import OneConnectionPerMessage
    from engage.notifications.transport import SMTPTransport
    from tests.smtp import SMTPServer

    print(f"-- Outbox to a local SMTP server, on {label}")
    with SMTPServer() as server:
        _overclaim(app, OUTBOX_WORKERS)
        _drain_once(app, server, OUTBOX, "one connection per batch", SMTPTransport)
        ours = _drain_once(app, server, OUTBOX_NAIVE, "one connection per batch", SMTPTransport)
        naive = _drain_once(
            app, server, OUTBOX_NAIVE, "one connection per message", OneConnectionPerMessage
        )
        print(f"    ratio, one connection per batch vs per message: {ours / naive:.1f}x")
        _two_workers(app, server, OUTBOX_WORKERS)


def main() -> None:
    from benchmarks.bench_ballots_concurrency import DATABASE, _pg_bin, postgres

    print(f"({_load()} at the start; scale {SCALE:g})")
    plan = _plan(random.Random(SEED), date.today())
    pgbin = _pg_bin()
    print(f"-- Board of {RESPONSES:,} responses answering {ITEMS:,} feedback items")
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_database("SQLite", f"sqlite:///{Path(tmp) / 'ysd.db'}", plan)
        if pgbin is None:
            print("  PostgreSQL: not installed here, skipped")
            bench_outbox(app, "SQLite")
    if pgbin is not None:
        with postgres(pgbin) as (port, _data):
            uri = f"postgresql+psycopg://engage@127.0.0.1:{port}/{DATABASE}"
            app = bench_database("PostgreSQL", uri, plan)
            bench_outbox(app, "PostgreSQL")
    print(f"({_load()} at the end)")


if __name__ == "__main__":
    main()
