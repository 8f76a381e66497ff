"""Gaps in provision at scale on PostgreSQL (`make bench`).

A synthetic directory of 200,000 services (`flask demo load --services N`'s generator) over the
real demo areas (10 LAPs, 72 wards, 444 LSOAs), plus 200,000 logged searches spread over the
areas and the last six months (about half inside the table's 90 days; most of them count as
unmet demand). Signed in as an engagement officer: p50/p95 of the gap table page (wards, small
areas, small areas for one category) and its CSV, cold (the first view after an officer
changes a service: the worker's index reads that service again and works the table out from
the index) and warm (the table remembered, the searches counted afresh); and the first view in
a new worker, which reads the whole directory into its index. Reference, in the same run: the
straight computation (`gaps_straight.straight_gap_table`, area by area over ORM objects) for the
same choices, and whether it gives the same figures as the fast table. GAPS_BENCH_SCALE (e.g.
0.05) shrinks the counts for a quick try. Timings are printed, never asserted."""

import os
import random
import time
from datetime import timedelta

from benchmarks import bench_you_said_we_did as ysd

SCALE = float(os.environ.get("GAPS_BENCH_SCALE", "1"))
SERVICES = max(1_000, int(200_000 * SCALE))
SEARCHES = max(1_000, int(200_000 * SCALE))
COLD_REPEAT = 20
NEW_WORKER_REPEAT = 3
WARM_REPEAT = 20
STRAIGHT_REPEAT = 3
SEED = 2026
QUERIES = ["youth club", "boxing", "mentoring", "knife crime", "counselling", "football",
           "homework club", "drama", "careers", "mental health"]  # fmt: skip
CHOICES = {  # name -> (url, level, category)
    "wards": ("/asset-map/manage/gaps", "ward", ""),
    "small areas": ("/asset-map/manage/gaps?level=lsoa", "lsoa", ""),
    "small areas, youth activities": (
        "/asset-map/manage/gaps?level=lsoa&category=youth-activities",
        "lsoa",
        "youth-activities",
    ),
    "CSV, wards": ("/asset-map/manage/gaps.csv", "ward", ""),
}


def _search_rows(rng: random.Random, areas: list[int], now):
    for _ in range(SEARCHES):
        found = rng.choice([0, 0, 1, 2, 2, 5, 12])
        yield {
            "query": rng.choice(QUERIES), "area_id": rng.choice(areas), "filters": {},
            "result_count": found, "counts_for_gaps": found < 3 and rng.random() < 0.8,
            "created_at": now - timedelta(minutes=rng.randrange(180 * 24 * 60)),
        }  # fmt: skip


def _seed(app) -> float:
    from sqlalchemy import select, text

    from engage import demo
    from engage.asset_map.models import SearchLog
    from engage.asset_map.synthetic import load_synthetic
    from engage.database import utcnow
    from engage.extensions import db
    from engage.geo.models import Area

    with app.app_context():
        started = time.perf_counter()
        demo.load_demo_areas()
        ysd._officer()
        db.session.commit()
        load_synthetic(SERVICES)
        areas = list(db.session.scalars(select(Area.id)))
        ysd._insert(SearchLog.__table__, _search_rows(random.Random(SEED), areas, utcnow()))
        db.session.commit()
        db.session.execute(text("ANALYZE"))  # planner statistics, as a live database has them
        db.session.commit()
        return time.perf_counter() - started


def _app(uri: str):
    from flask_migrate import upgrade

    from engage import create_app
    from engage.config import TestConfig

    settings = {"SQLALCHEMY_DATABASE_URI": uri, "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False}  # fmt: skip
    app = create_app(type("GapsBench", (TestConfig,), settings))
    with app.app_context():
        upgrade()
    return app


def _changed(app, rng: random.Random) -> None:
    """A change to the directory, as an officer makes it: one service closed, or opened again
    (its figures move in every table; the page versions move on)."""
    from engage.asset_map.models import Service
    from engage.extensions import db

    with app.app_context():
        service = db.session.get(Service, rng.randrange(1, SERVICES + 1))
        service.status = "inactive" if service.status == "active" else "active"
        db.session.commit()


def _cold(app, client, url: str) -> list[float]:
    rng = random.Random(SEED)
    samples = []
    for _n in range(COLD_REPEAT):
        _changed(app, rng)
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def _new_worker(app, client, url: str) -> list[float]:
    """The first view in a worker that has no index yet (or after a bulk change): the whole
    directory is read."""
    from engage.asset_map import gaps

    samples = []
    for _n in range(NEW_WORKER_REPEAT):
        gaps.init_app(app)  # as a new worker starts
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def _warm(client, url: str) -> tuple[list[float], list[float]]:
    """Wall-clock samples, and this process's CPU time for each (what the load of other work
    on the machine does not inflate; PostgreSQL's own time is not in it)."""
    client.get(url)
    wall, cpu = [], []
    for _n in range(WARM_REPEAT):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return wall, cpu


def _straight(app, level: str, category: str) -> tuple[list[float], bool]:
    from engage.asset_map.gaps import gap_table
    from engage.asset_map.gaps_straight import straight_gap_table
    from engage.database import utcnow

    samples = []
    with app.app_context(), app.test_request_context("/"):
        for _n in range(STRAIGHT_REPEAT):
            now = utcnow()
            started = time.perf_counter()
            straight = straight_gap_table(level, category, "all", now)
            samples.append(time.perf_counter() - started)
        fast = gap_table(level, category, "all", now)
    return samples, _same(fast, straight)


def _same(fast, straight) -> bool:
    from dataclasses import astuple

    def close(a, b) -> bool:
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) if isinstance(a, float) else a == b

    return len(fast) == len(straight) and all(
        all(close(a, b) for a, b in zip(astuple(f), astuple(s), strict=True))
        for f, s in zip(fast, straight, strict=True)
    )


def _line(name: str, samples: list[float]) -> str:
    return (f"p50 {ysd._ms(ysd._p(samples, 50)):>9}   p95 {ysd._ms(ysd._p(samples, 95)):>9}"
            f"   ({len(samples)} {name})")  # fmt: skip


def bench(uri: str) -> None:
    app = _app(uri)
    seeded = _seed(app)
    print(f"  PostgreSQL: {SERVICES:,} services and {SEARCHES:,} searches seeded in "
          f"{seeded:.1f} s")  # fmt: skip
    client = app.test_client()
    response = client.post("/sign-in", data={"email": ysd.EMAIL, "password": ysd.PASSWORD})
    assert response.status_code == 302, response.status_code
    first = _new_worker(app, client, CHOICES["wards"][0])
    print(f"    the first view in a new worker (the whole directory read into its index): "
          f"{_line('requests', first)}")  # fmt: skip
    for name, (url, level, category) in CHOICES.items():
        cold = _cold(app, client, url)
        warm, cpu = _warm(client, url)
        straight, same = _straight(app, level, category)
        print(f"    {name}")
        print(f"      cold (first after a change) {_line('requests', cold)}")
        in_process = f"p50 {ysd._ms(ysd._p(cpu, 50))}, p95 {ysd._ms(ysd._p(cpu, 95))}"
        print(f"      warm                        {_line('requests', warm)}; "
              f"CPU in this process {in_process}")  # fmt: skip
        print(f"      straight computation        {_line('runs', straight)}; "
              f"same figures: {same}")  # fmt: skip
        reference = ysd._p(straight, 50)
        print(f"      ratio to the straight computation's p50: warm page p50 "
              f"{reference / ysd._p(warm, 50):,.0f}x faster, cold page p50 "
              f"{reference / ysd._p(cold, 50):,.1f}x")  # fmt: skip


def main() -> None:
    from benchmarks.bench_ballots_concurrency import DATABASE, _pg_bin, postgres

    print(f"({ysd._load()} at the start; scale {SCALE:g})")
    pgbin = _pg_bin()
    if pgbin is None:
        print("  PostgreSQL: not installed here, skipped")
        return
    with postgres(pgbin) as (port, _data):
        bench(f"postgresql+psycopg://engage@127.0.0.1:{port}/{DATABASE}")
    print(f"({ysd._load()} at the end)")


if __name__ == "__main__":
    main()
