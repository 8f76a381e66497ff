"""The board's community-voice report at scale (`make bench`).

The same 200,000 feedback items and 10,000 published responses as bench_you_said_we_did (seeded
with its plan, over the demo areas and themes), plus 3,000 forum sessions with counts of who
came spread over the two years. p50/p95 of the report page (default period: the last quarter;
and for one Local Area Partnership), one of its CSV tables, the "where we have not yet
listened" page, and the report's PDF drawn by WeasyPrint (what the background job does), on
SQLite and on a throwaway PostgreSQL server. REPORTS_BENCH_SCALE (e.g. 0.05) shrinks the
counts for a quick try (it sets YSD_BENCH_SCALE); REPORTS_BENCH_ONLY=sqlite or =postgresql runs
one database. Timings are printed, never asserted."""

import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("YSD_BENCH_SCALE", os.environ.get("REPORTS_BENCH_SCALE", "1"))

from benchmarks import bench_you_said_we_did as ysd  # noqa: E402  (reads the scale above)

SESSIONS = max(100, int(3_000 * ysd.SCALE))
ONLY = os.environ.get("REPORTS_BENCH_ONLY", "")
PDF_REPEAT = 5


def _seed_sessions(rng: random.Random, today: date) -> None:
    from sqlalchemy import select, text

    from engage.extensions import db
    from engage.feedback.models import ForumSession, forum_areas
    from engage.geo.models import Area

    laps = list(db.session.scalars(select(Area).where(Area.level == "lap")))
    ysd._insert(ysd_forums(), [
        {"id": n + 1, "name": f"{lap.name} forum", "audience": "youth" if n % 2 else "mixed",
         "partners": ""} for n, lap in enumerate(laps)
    ])  # fmt: skip
    ysd._insert(forum_areas, [{"forum_id": n + 1, "area_id": lap.id} for n, lap in enumerate(laps)])
    rows = []
    for n in range(SESSIONS):
        forum = rng.randrange(len(laps))
        came = rng.randint(5, 40)
        young = rng.randint(0, came)
        rows.append({
            "id": n + 1, "forum_id": forum + 1, "prompts": [], "public": False,
            "held_on": today - timedelta(days=rng.randrange(730)), "attendees": came,
            "starts_at": "", "place": "", "facilitator": "",
            "profile": {"age": {"16_24": young, "25_44": came - young},
                        "gender": {"female": came // 2, "male": came - came // 2},
                        "area": {laps[forum].code: came}},
        })  # fmt: skip
    ysd._insert(ForumSession.__table__, rows)
    ysd._reset_sequences(["fb_forums", "fb_sessions"])
    db.session.commit()
    # Planner statistics, as a live database has them: right after a bulk load PostgreSQL
    # believes the tables are nearly empty and nests loops that run for many minutes.
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def ysd_forums():
    from engage.feedback.models import Forum

    return Forum.__table__


def _urls(lap_id: int) -> dict[str, str]:
    return {
        "report, last quarter": "/reports",
        "report, one LAP": f"/reports?area={lap_id}",
        "report, a year": "/reports?start=2025-10-01&end=2026-09-30",
        "CSV: themes": "/reports/report.csv?table=themes",
        "where not yet listened": "/reports/listening",
    }


def _pdf_samples(app) -> list[float]:
    from engage.database import utcnow
    from engage.reports.logic import board_report
    from engage.reports.pdf import render_pdf
    from engage.reports.period import last_quarter

    samples = []
    with app.app_context(), app.test_request_context("/reports", base_url="http://bench"):
        for _n in range(PDF_REPEAT):
            started = time.perf_counter()
            pdf = render_pdf(board_report(last_quarter(utcnow().date()), None, utcnow()))
            samples.append(time.perf_counter() - started)
    print(f"    (the PDF is {len(pdf):,} bytes)")
    return samples


def bench_database(label: str, uri: str, plan) -> None:
    from sqlalchemy import select

    from engage.extensions import db
    from engage.geo.models import Area

    app, seeded = ysd._app(uri, plan)
    with app.app_context():
        _seed_sessions(random.Random(ysd.SEED), plan.today)
        lap_id = db.session.scalar(select(Area.id).where(Area.level == "lap").order_by(Area.id))
    print(f"  {label}: {ysd.ITEMS:,} items, {ysd.RESPONSES:,} responses and {SESSIONS:,} "
          f"sessions seeded in {seeded:.1f} s")  # fmt: skip
    client = app.test_client()
    response = client.post("/sign-in", data={"email": ysd.EMAIL, "password": ysd.PASSWORD})
    assert response.status_code == 302, response.status_code
    for name, url in _urls(lap_id).items():
        samples = ysd._time_page(client, url)
        print(f"    {name:<26} p50 {ysd._ms(ysd._p(samples, 50)):>9}   "
              f"p95 {ysd._ms(ysd._p(samples, 95)):>9}   ({len(samples)} requests)")  # fmt: skip
    samples = _pdf_samples(app)
    print(f"    {'PDF (counted and drawn)':<26} p50 {ysd._ms(ysd._p(samples, 50)):>9}   "
          f"p95 {ysd._ms(ysd._p(samples, 95)):>9}   ({len(samples)} runs)")  # fmt: skip


def main() -> None:
    from benchmarks.bench_ballots_concurrency import DATABASE, _pg_bin, postgres

    print(f"({ysd._load()} at the start; scale {ysd.SCALE:g})")
    plan = ysd._plan(random.Random(ysd.SEED), date.today())
    if ONLY != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            bench_database("SQLite", f"sqlite:///{Path(tmp) / 'reports.db'}", plan)
    pgbin = _pg_bin()
    if ONLY == "sqlite":
        pass
    elif pgbin is None:
        print("  PostgreSQL: not installed here, skipped")
    else:
        with postgres(pgbin) as (port, _data):
            bench_database(
                "PostgreSQL", f"postgresql+psycopg://engage@127.0.0.1:{port}/{DATABASE}", plan
            )
    print(f"({ysd._load()} at the end)")


if __name__ == "__main__":
    main()
