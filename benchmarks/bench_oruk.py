"""Open Referral UK figures: imports as background jobs and the API's fuller records.

1. 100,000 rows of our CSV template imported as a job on a real Huey consumer (SQLite): how
   long it takes, how often the job's progress moved, and how fast the open API answers
   *while* the import runs (other requests must not wait for it).
2. 10,000 Open Referral UK 3.0 services (a JSON list, nested records and all) imported the
   same way.
3. /api/v1/services?full=true&per_page=100 and /api/v1/services/{id} on the 10,000.

Timings are printed, never asserted. Run with `make bench`, or alone with
`.venv/bin/python -m benchmarks.bench_oruk`."""

import csv
import io
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from engage import create_app, demo
from engage.asset_map import background
from engage.asset_map.models import Service
from engage.asset_map.seed import load_demo_directory
from engage.config import TestConfig
from engage.extensions import db
from engage.jobs.models import Job, JobStatus

CSV_ROWS = 100_000
ORUK_SERVICES = 10_000
EXAMPLE = (
    Path(__file__).resolve().parent.parent / "tests/fixtures/oruk/examples/single-service.json"
)


def _app(folder: Path, name: str):
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/{name}.db",
        "JOBS_SQLITE_PATH": str(folder / f"{name}-jobs.db"),
    }
    app = create_app(type("OrukBench", (TestConfig,), settings))
    with app.app_context():
        upgrade()
        demo.load_demo_areas()
        load_demo_directory(date.today(), None)
    return app


def _csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "organisation",
            "name",
            "description",
            "categories",
            "latitude",
            "longitude",
            "postcode",
            "opening_times",
            "languages",
        ]
    )
    for n in range(rows):
        writer.writerow(
            [
                f"Trust {n % 2000}",
                f"Service {n}",
                "Somewhere to go and someone to talk to.",
                "youth-activities;sport",
                f"{52.2 + (n % 500) / 1000:.4f}",
                f"{-0.9 + (n % 400) / 1000:.4f}",
                "NN14 6AB",
                "MO 18:00-20:00; FR 16:00-18:00",
                "en;pl",
            ]
        )
    return out.getvalue().encode()


def _oruk(services: int) -> bytes:
    one = json.loads(EXAMPLE.read_text())
    items = []
    for n in range(services):
        copy = json.loads(json.dumps(one).replace("counselling-harborough", f"s{n}"))
        copy["id"] = f"neighbour-service-{n}"
        copy["name"] = f"Youth Counselling {n}"
        for key in ("schedules", "languages", "contacts", "phones", "cost_options", "funding"):
            for m, record in enumerate(copy.get(key) or []):
                record["id"] = f"{key}-{n}-{m}"
        location = copy["service_at_locations"][0]
        location["id"] = f"sal-{n}"
        location["location"]["id"] = f"loc-{n}"
        items.append(copy)
    return json.dumps(items).encode()


def _run_job(app, filename: str, raw: bytes, probe_url: str | None) -> None:
    huey = app.extensions["huey"]
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer._set_signal_handlers = lambda: None
    consumer.start()
    probes: list[float] = []
    try:
        with app.app_context():
            job = background.start_import(None, filename, raw)
            job_id = job.id
        started, moves, last = time.perf_counter(), 0, None
        client = app.test_client()
        while True:
            with app.app_context():
                found = db.session.get(Job, job_id)
                state, done = found.state, found.done
            if done != last:
                moves, last = moves + 1, done
            if state in (JobStatus.DONE, JobStatus.FAILED):
                break
            if probe_url:
                t = time.perf_counter()
                client.get(probe_url)
                probes.append(time.perf_counter() - t)
            time.sleep(0.2)
        took = time.perf_counter() - started
    finally:
        consumer.stop(graceful=True)
    with app.app_context():
        job = db.session.get(Job, job_id)
        total = db.session.scalar(select(func.count(Service.id)))
        print(
            f"   {filename}: {job.state.value} in {took:.1f} s; progress moved {moves} times; "
            f"{(job.report or {}).get('created', 0)} created; {total} services in the directory"
        )
    if probes:
        print(
            f"   while it ran: {len(probes)} API requests, median "
            f"{statistics.median(probes) * 1000:.0f} ms, slowest {max(probes) * 1000:.0f} ms"
        )


def _timed(client, url: str, repeat: int = 20) -> str:
    client.get(url)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
    assert response.status_code == 200, url
    return f"median {statistics.median(samples) * 1000:.0f} ms, {len(response.data) / 1024:.0f} KB"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"-- 1. {CSV_ROWS:,} CSV rows as a job")
        app = _app(folder, "csv")
        _run_job(app, "big.csv", _csv(CSV_ROWS), "/api/v1/services?per_page=20")
        print(f"-- 2. {ORUK_SERVICES:,} Open Referral UK services as a job")
        oruk_app = _app(folder, "oruk")
        _run_job(oruk_app, "neighbour.json", _oruk(ORUK_SERVICES), None)
        print("-- 3. the API on that directory")
        client = oruk_app.test_client()
        full = _timed(client, "/api/v1/services?full=true&per_page=100", 5)
        print(f"   /services?full=true&per_page=100: {full}")
        with oruk_app.app_context():
            some = db.session.scalar(select(Service.oruk_id).limit(1))
        print(f"   /services/{{id}}: {_timed(client, f'/api/v1/services/{some}')}")
        minimal = _timed(client, "/api/v1/services?minimal=true&per_page=5000", 5)
        print(f"   /services?minimal=true&per_page=5000: {minimal}")


if __name__ == "__main__":
    main()
