"""Forum feedback at scale (`make bench`).

1. Ingest 100,000 items the way officers do: 20 session CSV files of 5,000 rows, each parsed,
   checked, redacted, scanned for safeguarding phrases, stored and grouped for
   near-duplicates in one transaction; then a theme suggestion for every item. Items per
   second, and the peak Python memory while one file is imported (tracemalloc), on SQLite
   and on a throwaway PostgreSQL server.
2. The officer's analysis pages over those 100,000 items: p50/p95 on both databases.
3. The text rules against the naive way, in the same run: one regex per phrase per item vs
   one combined pass; all pairs of items vs MinHash bands for near-duplicates; cosine against
   every tagged item vs the inverted index for theme suggestions.
Timings are printed, never asserted; other work on the machine skews them."""

import csv
import io
import itertools
import os
import random
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ITEMS = int(os.environ.get("FEEDBACK_BENCH_ITEMS", 100_000))  # smaller for a quick try
FILES = 20
PAGE_REPEAT = 15
SEED = 2026
TARGET_PER_SECOND = 5_000
OPENINGS = [
    "honestly", "i think", "for me", "the main thing is", "to be fair", "my view is",
    "at the forum we said", "our group thinks", "we all agreed", "it feels like",
]  # fmt: skip
POINTS = [
    ("there is nothing to do after school so people hang about the shops", "youth-provision"),
    ("the youth club shut and nobody opened anything else", "youth-provision"),
    ("the underpass by the station is too dark at night", "environment-lighting"),
    ("more street lights near the park would help people feel safe", "environment-lighting"),
    ("kids carry knives because they think everyone else does", "knife-crime"),
    ("knife crime talks in schools actually made people think", "knife-crime"),
    ("older lads sell vapes and weed outside the chippy", "drugs-alcohol"),
    ("drugs are everywhere and the police never come", "drugs-alcohol"),
    ("county lines gangs pick up younger kids on the estate", "exploitation-county-lines"),
    ("waiting lists for counselling are far too long", "mental-health"),
    ("nobody trusts the police round here after the stop and search", "policing-trust"),
    ("we never hear back after these meetings", "communications"),
    ("fights get filmed and posted online then it kicks off again", "safety-in-my-area"),
    ("buses stop at seven so it is hard to get home safely", "safety-in-my-area"),
    ("women need somewhere safe to go when things get bad at home", "domestic-abuse"),
]
PLACES = ["by the station", "in the town centre", "on the estate", "near the school",
          "at the park", "round our way", "in the village", "after dark"]  # fmt: skip
PERSONAL = ["call me on 07700 900{n:03d}", "email me at person{n}@example.org",
            "I live at NN17 {d}AB", "the car was AB{d}{d} XYZ", ]  # fmt: skip
DISCLOSURES = ["my stepdad hits me when he drinks", "sometimes i want to die",
               "older boys make me carry stuff for them"]  # fmt: skip
AREAS = ["Corby", "Kettering", "Wellingborough", "Daventry", "Brackley", "Northampton North"]


def synthetic_rows(n: int, seed: int = SEED) -> list[dict[str, str]]:
    """Items like those said at sessions: a point in a person's own words, sometimes with
    personal data (1 in 100) or a disclosure (1 in 500); half tagged with the point's theme."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        point, theme = rng.choice(POINTS)
        text = f"{rng.choice(OPENINGS)} {point} {rng.choice(PLACES)}"
        if i % 100 == 7:
            text += ", " + rng.choice(PERSONAL).format(n=i % 1000, d=i % 10)
        if i % 500 == 11:
            text += ". " + rng.choice(DISCLOSURES)
        rows.append(
            {
                "text": text,
                "themes": theme if rng.random() < 0.5 else "",
                "area": rng.choice(AREAS),
                "young_person": rng.choice(["yes", "no", ""]),
                "language": "en",
            }
        )
    return rows


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _p(samples: list[float], q: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


# -- the app on a database


def _app(uri: str):
    from flask_migrate import upgrade

    from engage import create_app
    from engage.config import TestConfig

    settings = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    }
    app = create_app(type("FeedbackBench", (TestConfig,), settings))
    with app.app_context():
        upgrade()
        _seed()
    return app


def _seed() -> None:
    from engage import demo
    from engage.accounts.models import User
    from engage.accounts.passwords import hash_password
    from engage.accounts.roles import Role
    from engage.extensions import db
    from engage.feedback.models import Forum, ForumSession
    from engage.feedback.safeguarding import load_default_indicators
    from engage.feedback.seed import load_area_profiles, load_themes
    from engage.geo.models import Area

    demo.load_demo_areas()
    load_themes()
    load_default_indicators()
    load_area_profiles()
    db.session.add(
        User(
            email="officer@bench.example.org",
            display_name="Officer",
            role=Role.ENGAGEMENT_OFFICER.value,
            password_hash=hash_password("bench password here"),
        )
    )
    forum = Forum(
        name="Bench forum",
        audience="mixed",
        areas=list(db.session.scalars(db.select(Area).where(Area.level == "lap"))),
    )
    for n in range(FILES):
        profile = {"age": {"16_24": 20 + n, "25_44": 10}, "gender": {"female": 12, "male": 18}}
        db.session.add(
            ForumSession(
                forum=forum,
                held_on=date(2026, 1, 5) + timedelta(days=7 * n),
                attendees=40 + n,
                profile=profile,
            )
        )
    db.session.commit()


def ingest(app, rows: list[dict[str, str]]) -> dict[str, float]:
    """Import the rows as FILES session files; returns the figures."""
    from engage.accounts.models import User
    from engage.extensions import db
    from engage.feedback.importing import import_session_items
    from engage.feedback.models import ForumSession

    per_file = len(rows) // FILES
    files = [_csv(rows[i * per_file : (i + 1) * per_file]) for i in range(FILES)]
    peak = 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    with app.app_context():
        officer_id = db.session.scalar(db.select(User.id))
        ids = list(db.session.scalars(db.select(ForumSession.id).order_by(ForumSession.id)))
        for n, (session_id, data) in enumerate(zip(ids, files, strict=True)):
            traced = n == FILES - 1  # the last file, with everything else already held
            if traced:
                tracemalloc.start()
            officer = db.session.get(User, officer_id)
            session = db.session.get(ForumSession, session_id)
            import_session_items(officer, session, io.BytesIO(data))
            if traced:
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            db.session.expunge_all()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": took, "per_second": len(rows) / took, "peak_mb": peak, "cpu": cpu}


def suggest_all(app) -> tuple[float, int]:
    """A theme suggestion for every item held: (seconds, items)."""
    from engage.extensions import db
    from engage.feedback.models import FeedbackItem
    from engage.feedback.moderation import suggester

    with app.app_context():
        model_started = time.perf_counter()
        model = suggester()
        texts = list(db.session.scalars(db.select(FeedbackItem.text)))
        for text in texts:
            model.suggest(text)
        return time.perf_counter() - model_started, len(texts)


def pages(app) -> dict[str, tuple[float, float]]:
    """p50 and p95 of the officer's analysis pages."""
    from engage.extensions import db
    from engage.feedback.models import Theme

    client = app.test_client()
    with app.app_context():
        theme = db.session.scalar(db.select(Theme).where(Theme.slug == "knife-crime"))
        theme_id, slug = theme.id, theme.slug
    response = client.post(
        "/sign-in",
        data={"email": "officer@bench.example.org", "password": "bench password here"},
    )
    assert response.status_code == 302, response.status_code
    urls = {
        "analysis": "/feedback/analysis",
        "analysis, one theme": f"/feedback/analysis?theme={theme_id}",
        "theme page": f"/feedback/themes/{slug}",
        "reach": "/feedback/reach",
        "moderation queue": "/feedback/moderation",
    }
    figures = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url  # warm
        samples = []
        for _ in range(PAGE_REPEAT):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
        figures[name] = (_p(samples, 50), _p(samples, 95))
    return figures


def bench_database(label: str, uri: str, rows) -> None:
    app = _app(uri)
    figures = ingest(app, rows)
    print(
        f"  {label}: {len(rows):,} items imported in {figures['seconds']:.1f} s "
        f"= {figures['per_second']:,.0f} items/s (parse, check, redact, scan, store, group); "
        f"CPU {figures['cpu']:.1f} s = {len(rows) / figures['cpu']:,.0f} items per CPU second"
    )
    if label == "SQLite":
        verdict = "met" if figures["per_second"] >= TARGET_PER_SECOND else "NOT met"
        print(f"    target ≥ {TARGET_PER_SECOND:,} items/s on SQLite: {verdict}")
    print(f"    peak Python memory importing one {len(rows) // FILES:,}-row file: "
          f"{figures['peak_mb']:.0f} MB")  # fmt: skip
    if label == "SQLite":
        took, count = suggest_all(app)
        print(f"    theme suggestions for all {count:,} items: {took:.1f} s "
              f"= {count / took:,.0f} items/s (model built from 20,000 tagged items)")  # fmt: skip
    for name, (p50, p95) in pages(app).items():
        print(f"    {name:<22} p50 {_ms(p50):>9}   p95 {_ms(p95):>9}")


# -- the text rules against the naive way


def bench_rules() -> None:
    from engage.feedback.safeguarding import DEFAULT_INDICATORS
    from engage.feedback.similarity import ThemeSuggester, duplicate_groups, tokens
    from engage.feedback.triage import Scanner, normalise

    rows = synthetic_rows(ITEMS, seed=SEED + 1)
    texts = [r["text"] for r in rows]
    phrases = [p for group in DEFAULT_INDICATORS.values() for p in group]
    scanner = Scanner(phrases)
    started = time.perf_counter()
    ours = [scanner.scan(t) for t in texts]
    fast = time.perf_counter() - started
    started = time.perf_counter()
    naive = [[p for p, pattern in scanner._patterns if pattern.search(normalise(t))] for t in texts]
    slow = time.perf_counter() - started
    assert ours == naive
    print(f"  safeguarding scan of {len(texts):,} items, {len(phrases)} phrases: "
          f"{_ms(fast)} combined vs {_ms(slow)} one regex per phrase ({slow / fast:.1f}x), "
          f"{sum(1 for x in ours if x):,} flagged, same result")  # fmt: skip

    sample = texts[:3000]
    started = time.perf_counter()
    groups = duplicate_groups(sample)
    fast = time.perf_counter() - started
    started = time.perf_counter()
    naive_groups = _all_pairs_groups(sample)
    slow = time.perf_counter() - started
    agree = sum(1 for a, b in itertools.combinations(range(len(sample)), 2)
                if (groups[a] == groups[b]) == (naive_groups[a] == naive_groups[b]))  # fmt: skip
    pairs = len(sample) * (len(sample) - 1) // 2
    print(f"  near-duplicates among {len(sample):,} items: {_ms(fast)} MinHash bands vs "
          f"{_ms(slow)} all pairs ({slow / fast:.0f}x); pairs judged alike: "
          f"{agree / pairs:.4%}")  # fmt: skip
    started = time.perf_counter()
    duplicate_groups(texts)
    print(f"  near-duplicates among all {len(texts):,} items: "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    tagged = [(tokens(r["text"]), [hash(r["themes"]) % 10]) for r in rows[:20000] if r["themes"]]
    model = ThemeSuggester(tagged, {})
    queries = texts[20000:20500]
    started = time.perf_counter()
    fast_results = [model.similar(tokens(q)) for q in queries]
    fast = time.perf_counter() - started
    vectors = [model._vector(words) for words, _ in tagged]
    started = time.perf_counter()
    slow_results = [_brute_similar(model, vectors, tokens(q)) for q in queries]
    slow = time.perf_counter() - started
    same = sum(1 for a, b in zip(fast_results, slow_results, strict=True)
               if {d for d, _ in a} == {d for d, _ in b} or _same_scores(a, b))  # fmt: skip
    print(f"  theme suggestions, {len(queries)} items against {len(tagged):,} tagged: "
          f"{_ms(fast)} inverted index vs {_ms(slow)} cosine with every item "
          f"({slow / fast:.0f}x); same neighbours for {same}/{len(queries)}")  # fmt: skip


def _all_pairs_groups(texts: list[str], threshold: float = 0.6) -> list[int]:
    from engage.feedback.similarity import _jaccard, _shingles

    sets = [_shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in itertools.combinations(range(len(texts)), 2):
        if _jaccard(sets[a], sets[b]) >= threshold:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return [root(i) for i in range(len(texts))]


def _brute_similar(model, vectors, words) -> list[tuple[int, float]]:
    query = dict(sorted(model._vector(words).items(), key=lambda kv: (-kv[1], kv[0]))[:12])
    scores = [(d, sum(w * v.get(t, 0.0) for t, w in query.items())) for d, v in enumerate(vectors)]
    scores = [(d, s) for d, s in scores if s > 0]
    return sorted(scores, key=lambda kv: (-kv[1], kv[0]))[: model.neighbours]


def _same_scores(a, b) -> bool:
    """Ties at the cut-off may pick different items with the same score."""
    return [round(s, 9) for _, s in a] == [round(s, 9) for _, s in b]


def main() -> None:
    from benchmarks.bench_ballots_concurrency import DATABASE, _pg_bin, postgres

    print(f"({_load()} at the start)")
    print("-- The text rules against the naive way")
    bench_rules()
    rows = synthetic_rows(ITEMS)
    print(f"-- Ingest and analysis pages, {ITEMS:,} items")
    with tempfile.TemporaryDirectory() as tmp:
        bench_database("SQLite", f"sqlite:///{Path(tmp) / 'feedback.db'}", rows)
    pgbin = _pg_bin()
    if pgbin is None:
        print("  PostgreSQL: not installed here, skipped")
    else:
        with postgres(pgbin) as (port, _data):
            uri = f"postgresql+psycopg://engage@127.0.0.1:{port}/{DATABASE}"
            bench_database("PostgreSQL", uri, rows)
    print(f"({_load()} at the end)")


if __name__ == "__main__":
    main()
