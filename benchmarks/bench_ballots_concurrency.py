"""Ballots under load: 1,000 youth ambassadors voting at once through the web app on PostgreSQL.

A throwaway PostgreSQL server is started the way scripts/with-postgres.sh starts one (initdb in
a temporary folder, a free loopback port, as the postgres user when run as root, stopped and
removed afterwards); the schema is made with `flask db upgrade`; a round in its voting phase with
12 shortlisted bids, and 1,000 ambassadors sharing one Argon2 hash, are set up in code; the app
is served by gunicorn (4 sync workers, as the README deploys it) on loopback, as in production
(ENGAGE_ENV).

Every ambassador signs in and opens the vote page first, keeping their cookies (not timed:
Argon2 is slow on purpose, about 10 sign-ins a second on 2 idle cores). Sign-ins go through the form
for up to SIGN_IN_BUDGET seconds; on a machine too busy to finish by then, the rest get the
session cookie the app's own login_user makes, and the split is printed. Then:

1. all 1,000 ballots are posted at once from 200 client threads released together, each ticking
   1 to 4 bids: latency p50/p95/max and throughput, then the ballots and participations recorded
   for the round, which must equal the submissions saved, and each ballot's choices;
2. 100 of them change their vote at once, 20 of those sending the same change from two tabs at
   the same moment: the round must still hold one ballot per ambassador, with the new choices.

The client threads share the machine's cores with gunicorn and PostgreSQL, so latencies include
queueing behind the whole burst (ballots are posted with http.client, which costs the shared
cores under 1 ms a ballot where requests cost about 2.4 ms); the CPU time gunicorn,
PostgreSQL and the clients spent per ballot is printed too (what a ballot costs, whatever else
the machine is doing), and last the SQL statements one ballot makes. Timings are printed, never
asserted. Skipped when PostgreSQL is not installed."""

import collections
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BIN = VENV_BIN if (VENV_BIN / "gunicorn").exists() else Path(sys.executable).parent
AMBASSADORS = 1_000
BIDS = 12
CLIENT_THREADS = 200
SIGN_IN_THREADS = 8
SIGN_IN_BUDGET = 150.0  # seconds of form sign-ins (Argon2) before the rest get cookies
CHANGERS = 100
TWO_TABS = 20
# As the README deploys it: 4 sync workers (4 x 4 threads spent ~2 ms more CPU a ballot on 2
# cores, in the GIL's contention). BENCH_GUNICORN="--workers 4 --threads 4" tries another.
GUNICORN_OPTIONS = os.environ.get("BENCH_GUNICORN", "--workers 4 --threads 1").split() + [
    "--timeout",
    "120",
]
PASSWORD = "purple otter lantern"
DATABASE = "engage_bench"
REQUEST_TIMEOUT = 30.0  # seconds per request
BURST_DEADLINE = 150.0  # seconds for a whole burst
SEED = 20_240_601
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PROBLEMS = [
    re.compile(r'<a href="#ballot">(.*?)</a>', re.S),
    re.compile(r"<h1[^>]*>(.*?)</h1>", re.S),
]


# -- servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)],
    )
    return found[-1].parent if found else None


@contextmanager
def postgres(pgbin: Path) -> Iterator[tuple[int, str]]:
    """A new PostgreSQL server on a free loopback port with an empty `engage_bench` database,
    stopped and its folder removed afterwards, whatever happens (as scripts/with-postgres.sh)."""
    work = Path(tempfile.mkdtemp(prefix="engage-pg."))
    port = _free_port()
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data = str(work / "data")
    try:
        quiet = {"check": True, "capture_output": True, "timeout": 120}
        initdb = [str(pgbin / "initdb"), "-D", data, "-U", "engage", "--auth=trust"]
        subprocess.run([*as_owner, *initdb, "-E", "UTF8", "--no-locale"], **quiet)
        options = (
            f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        pg_ctl = [str(pgbin / "pg_ctl"), "-D", data, "-l", str(work / "server.log"), "-w"]
        subprocess.run([*as_owner, *pg_ctl, "start", "-o", options], **quiet)
        psql = [str(pgbin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "engage"]
        subprocess.run([*psql, "-d", "postgres", "-qc", f"CREATE DATABASE {DATABASE}"], **quiet)
        yield port, data
    finally:
        stop = [str(pgbin / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]
        subprocess.run([*as_owner, *stop], capture_output=True, timeout=120, check=False)
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def redis() -> Iterator[str]:
    """A throwaway Redis on loopback for the workers' shared rate limits (production refuses
    several workers without one), as scripts/with-redis.sh starts one; TEST_REDIS_URL if set."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    port, work = _free_port(), tempfile.mkdtemp(prefix="engage-redis.")
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    process = subprocess.Popen(
        [*command, "--appendonly", "no", "--dir", work],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _environment(
    pg_port: int, web_port: int, secret: str, tmp: Path, limits: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env.update(
        FLASK_APP="wsgi.py",
        DATABASE_URL=f"postgresql+psycopg://engage@127.0.0.1:{pg_port}/{DATABASE}",
        ENGAGE_ENV="production",
        SECRET_KEY=secret,
        SESSION_COOKIE_SECURE="false",
        LOGIN_RATE_LIMIT="100000 per minute",
        RATELIMIT_STORAGE_URL=limits,
        BASE_URL=f"http://127.0.0.1:{web_port}",
        MAIL_SERVER="",
        ENGAGE_INSTANCE_PATH=str(tmp / "instance"),
    )
    return env


def _tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@contextmanager
def gunicorn(env: dict[str, str], port: int, log_path: Path) -> Iterator[int]:
    """The app under gunicorn on 127.0.0.1:port (yields the master's pid), stopped afterwards
    whatever happens."""
    command = [str(BIN / "gunicorn"), *GUNICORN_OPTIONS, "--bind", f"127.0.0.1:{port}"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(process, port, log_path)
            yield process.pid
        finally:
            _stop(process)


def _wait_until_up(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{_tail(log_path)}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            pass
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: gunicorn and its workers
        process.wait(timeout=10)


# -- what the servers spend


def _processes() -> dict[int, tuple[int, float, str]]:
    """Every process: pid -> (parent pid, CPU seconds so far, command line)."""
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rpartition(")")[2].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        found[int(entry.name)] = (int(stat[1]), (int(stat[11]) + int(stat[12])) / tick, command)
    return found


def server_cpu(gunicorn_pid: int, pg_data: str) -> dict[str, float]:
    """CPU seconds so far of gunicorn (master and workers) and of PostgreSQL (the server whose
    command line names `pg_data`, and its backends)."""
    table = _processes()
    roots = {"gunicorn": {gunicorn_pid}, "PostgreSQL": set()}
    roots["PostgreSQL"] = {pid for pid, (_, _, command) in table.items() if pg_data in command}
    spent = {}
    for name, pids in roots.items():
        tree = set(pids) | {pid for pid, (parent, _, _) in table.items() if parent in pids}
        spent[name] = sum(table[pid][1] for pid in tree if pid in table)
    return spent


# -- the round


def _bid_values(i: int) -> dict:
    return {
        "title": f"Project {i + 1}",
        "summary": "Plain words about the project.",
        "cost": 5_000 + 2_500 * i,
        "area": "Corby",
        "prevention_level": "primary",
        "minimum_age": 11,
        "maximum_age": 18,
        "reach": 40,
        "evidence": "",
    }


def _set_up_round(officer, provider, organisation) -> tuple[int, list[int]]:
    from engage.budgeting import logic

    values = {
        "title": "Youth fund",
        "description": "",
        "pot": 100_000,
        "max_bid": 40_000,
        "ballot_type": "approval",
        "max_choices": None,
        "points": None,
        "rule": "mes",
    }
    funding_round = logic.create_round(officer, values)
    logic.advance_phase(officer, funding_round)  # bidding
    bids = [
        logic.submit_bid(provider, funding_round, organisation, _bid_values(i)) for i in range(BIDS)
    ]
    logic.advance_phase(officer, funding_round)  # review
    logic.set_shortlist(officer, funding_round, {b.id for b in bids}, {})
    logic.advance_phase(officer, funding_round)  # voting
    return funding_round.id, [b.id for b in bids]


def seed(app) -> tuple[int, list[int], list[tuple[int, str]]]:
    """An officer, a provider with an organisation, a round in voting with 12 shortlisted bids,
    and the ambassadors (one bulk insert, one shared Argon2 hash): (round, bids, (id, email))."""
    from sqlalchemy import insert, select

    from engage.accounts.models import User
    from engage.accounts.passwords import hash_password
    from engage.accounts.roles import Role
    from engage.asset_map.models import Organisation, OrganisationMember
    from engage.extensions import db

    with app.app_context():
        hashed = hash_password(PASSWORD)

        def person(email: str, role: Role) -> User:
            return User(email=email, display_name=email, role=role.value, password_hash=hashed)

        officer = person("officer@example.org", Role.ENGAGEMENT_OFFICER)
        provider = person("provider@example.org", Role.VCSE_PROVIDER)
        organisation = Organisation(name="Corby Youth Boxing Club")
        member = OrganisationMember(organisation=organisation, user=provider, status="approved")
        db.session.add_all([officer, provider, organisation, member])
        db.session.commit()
        round_id, bid_ids = _set_up_round(officer, provider, organisation)
        rows = [
            {
                "email": f"ambassador{i:04d}@example.org",
                "display_name": f"Ambassador {i}",
                "role": Role.YOUTH_AMBASSADOR.value,
                "age_band": "16_17",
                "password_hash": hashed,
            }
            for i in range(AMBASSADORS)
        ]
        db.session.execute(insert(User), rows)
        db.session.commit()
        query = select(User.id, User.email).where(User.role == Role.YOUTH_AMBASSADOR.value)
        ambassadors = [(row.id, row.email) for row in db.session.execute(query.order_by(User.id))]
    return round_id, bid_ids, ambassadors


# -- the clients


@dataclass
class Voter:
    user_id: int
    email: str
    http: requests.Session = field(default_factory=requests.Session)
    token: str = ""


@dataclass
class Outcome:
    ok: bool
    status: int
    seconds: float
    problem: str = ""


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("no csrf_token on the page")
    return match.group(1)


def _problem(text: str, location: str = "") -> str:
    found = [m.group(1) for m in (p.search(text) for p in PROBLEMS) if m]
    shown = found[0] if found else text[:200]
    return re.sub(r"\s+", " ", shown).strip() + (f" (to {location})" if location else "")


def sign_in(base: str, voter: Voter, deadline: float) -> str:
    """Sign in through the form, keeping the cookies: '' when signed in, 'late' when past the
    deadline (nothing sent), or what went wrong."""
    if time.monotonic() > deadline:
        return "late"
    http = voter.http
    http.headers["Connection"] = "close"  # each ambassador is a browser of their own
    try:
        token = _csrf(http.get(f"{base}/sign-in", timeout=REQUEST_TIMEOUT).text)
        form = {"email": voter.email, "password": PASSWORD, "csrf_token": token}
        response = http.post(
            f"{base}/sign-in", data=form, allow_redirects=False, timeout=REQUEST_TIMEOUT
        )
    except (requests.RequestException, RuntimeError) as error:
        return f"{type(error).__name__}: {error}"
    if response.status_code != 302:
        return f"sign-in answered {response.status_code}: {_problem(response.text)}"
    return ""


def open_vote_page(base: str, vote_path: str, voter: Voter) -> str:
    """Open the vote page signed in, keeping its CSRF token: '' or what went wrong."""
    try:
        page = voter.http.get(f"{base}{vote_path}", allow_redirects=False, timeout=REQUEST_TIMEOUT)
        if page.status_code != 200:
            location = page.headers.get("Location", "")
            return f"vote page answered {page.status_code}: {_problem(page.text, location)}"
        voter.token = _csrf(page.text)
    except (requests.RequestException, RuntimeError) as error:
        return f"{type(error).__name__}: {error}"
    return ""


def session_cookies(app, user_ids: list[int]) -> dict[int, str]:
    """Session cookies made by the app's own login_user, as the sign-in form leaves them."""
    from flask import session
    from flask_login import login_user

    from engage.accounts.models import User
    from engage.extensions import db

    serializer = app.session_interface.get_signing_serializer(app)
    headers = {"User-Agent": requests.utils.default_user_agent()}
    cookies = {}
    for uid in user_ids:
        with app.test_request_context(
            "/sign-in", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}
        ):
            login_user(db.session.get(User, uid))
            cookies[uid] = serializer.dumps(dict(session))
    return cookies


def post_ballot(base: str, vote_path: str, http: requests.Session, token: str, bids) -> Outcome:
    """One ballot POST, as the vote page sends it, with the voter's cookies (kept in `http`'s
    jar, and the answer's written back to it). Sent with http.client rather than requests: the
    client threads share the server's cores, and requests spent about 2 ms of them a ballot
    (a real ambassador's phone spends none of ours); the request on the wire is the same."""
    data = {"csrf_token": token}
    for index, bid in enumerate(bids):  # the ballot's rows, as the page sends them
        data.update({f"ballot-{index}-bid_id": str(bid), f"ballot-{index}-ticked": "y"})
    address = urlsplit(base)
    headers = {
        "Cookie": f"session={http.cookies.get('session')}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Connection": "close",
    }
    started = time.perf_counter()
    try:
        connection = HTTPConnection(address.hostname, address.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("POST", vote_path, urlencode(data), headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
    except (OSError, HTTPException) as error:
        return Outcome(False, 0, time.perf_counter() - started, type(error).__name__)
    seconds = time.perf_counter() - started
    cookie = SimpleCookie(response.getheader("Set-Cookie") or "").get("session")
    if cookie is not None:
        http.cookies.set("session", cookie.value, domain=address.hostname, path="/")
    location = (response.getheader("Location") or "").removeprefix(base)
    redirected = response.status == 302 and location == vote_path
    ok = redirected or (response.status == 200 and "Your vote is saved" in text)
    return Outcome(ok, response.status, seconds, "" if ok else _problem(text, location))


def burst(jobs: list[Callable[[], Outcome]], threads: int) -> tuple[list[Outcome], float]:
    """Run the jobs on `threads` threads all released at once; (outcomes, wall seconds)."""
    threads = min(threads, len(jobs))
    pending = collections.deque(enumerate(jobs))
    outcomes: list[Outcome | None] = [None] * len(jobs)
    barrier = threading.Barrier(threads + 1)

    def work() -> None:
        barrier.wait(timeout=60)
        while True:
            try:
                index, job = pending.popleft()
            except IndexError:
                return
            outcomes[index] = job()

    workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    deadline = time.monotonic() + BURST_DEADLINE
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    wall = time.perf_counter() - started
    unfinished = Outcome(False, 0, wall, "no answer before the burst's deadline")
    return [o or unfinished for o in outcomes], wall


# -- what the database holds


@dataclass
class Recorded:
    ballots: int
    participations: int
    by_key: dict[str, list[tuple[dict, str]]]  # voter key -> [(choices, receipt)]


def recorded(app, round_id: int) -> Recorded:
    """The round's ballots and participations as the database holds them."""
    from sqlalchemy import func, select

    from engage.budgeting.models import Ballot, Participation
    from engage.extensions import db

    with app.app_context():
        query = select(Ballot.voter_key, Ballot.choices, Ballot.receipt)
        rows = db.session.execute(query.where(Ballot.round_id == round_id)).all()
        participations = db.session.scalar(
            select(func.count(Participation.id)).where(Participation.round_id == round_id)
        )
    by_key: dict[str, list[tuple[dict, str]]] = collections.defaultdict(list)
    for key, choices, receipt in rows:
        by_key[key].append((choices, receipt))
    return Recorded(len(rows), participations or 0, dict(by_key))


def vote_path(app, round_id: int) -> str:
    """The ballot page of the round's one pot (where /vote sends an ambassador)."""
    from engage.budgeting.models import Round
    from engage.extensions import db

    with app.app_context():
        pot_id = db.session.get(Round, round_id).pots[0].id
    return f"/participatory-budgeting/{round_id}/pots/{pot_id}/vote"


def voter_keys(app, round_id: int, user_ids: list[int]) -> dict[int, str]:
    from engage.budgeting.voting import voter_key

    funding_round = SimpleNamespace(id=round_id)
    with app.app_context():
        return {uid: voter_key(SimpleNamespace(id=uid), funding_round) for uid in user_ids}


def matching(held: Recorded, keys: dict[int, str], expected: dict[int, tuple[int, ...]]) -> int:
    """How many ambassadors have exactly one ballot, holding exactly the bids they last sent."""
    return sum(
        1
        for uid, bids in expected.items()
        if [c for c, _ in held.by_key.get(keys[uid], [])] == [{str(b): 1 for b in bids}]
    )


# -- the waves


def _pick(rng: random.Random, bid_ids: list[int]) -> tuple[int, ...]:
    return tuple(sorted(rng.sample(bid_ids, rng.randint(1, 4))))


def _second_tab(http: requests.Session) -> requests.Session:
    """Another tab of the same browser: the same cookies, its own connection."""
    tab = requests.Session()
    tab.headers["Connection"] = "close"
    tab.cookies = http.cookies.copy()
    return tab


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _responses(outcomes: list[Outcome]) -> str:
    statuses = collections.Counter(o.status for o in outcomes)
    return ", ".join(f"{n} x {s or 'no response'}" for s, n in sorted(statuses.items()))


def _problems(outcomes: list[Outcome], label: str) -> None:
    problems = collections.Counter((o.status, o.problem) for o in outcomes if not o.ok)
    for (status, problem), n in problems.most_common(5):
        print(f"  {label} error x{n}: {status or 'no response'} {problem}")


def wave_one(run: SimpleNamespace, voters: list[Voter], rng: random.Random) -> dict[int, tuple]:
    """All ballots at once; returns the bids each ambassador whose ballot was saved sent."""
    sent = {v.user_id: _pick(rng, run.bid_ids) for v in voters}
    jobs = [
        (lambda v=v: post_ballot(run.base, run.vote_path, v.http, v.token, sent[v.user_id]))
        for v in voters
    ]
    spent_before, client_before = run.spent(), time.process_time()
    outcomes, wall = burst(jobs, CLIENT_THREADS)
    spent = {k: v - spent_before[k] for k, v in run.spent().items()}
    spent["the client threads"] = time.process_time() - client_before
    saved = {v.user_id: sent[v.user_id] for v, o in zip(voters, outcomes, strict=True) if o.ok}
    seconds = sorted(o.seconds for o in outcomes)
    held = recorded(run.app, run.round_id)
    equal = held.ballots == held.participations == len(saved) == len(voters)
    receipts = {r for pairs in held.by_key.values() for _, r in pairs}
    print(f"wave 1: {len(voters):,} ballots posted at once from {CLIENT_THREADS} client threads")
    print(f"  submissions: {len(voters):,} sent, {len(saved):,} saved ({_responses(outcomes)})")
    print(f"  recorded: {held.ballots:,} ballots, {held.participations:,} participations")
    print(f"  recorded = saved submissions = sent: {'yes' if equal else 'NO'}")
    print(f"  ballots holding exactly what was sent: {matching(held, run.keys, saved):,}")
    print(f"  receipt codes unique: {'yes' if len(receipts) == held.ballots else 'NO'}")
    print(
        f"  latency p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {_percentile(seconds, 95) * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms"
    )
    print(f"  throughput: {len(saved) / wall:.0f} ballots/s ({wall:.2f} s for the burst)")
    _cpu_per_ballot(spent, len(voters))
    _problems(outcomes, "wave 1")
    return saved


def _cpu_per_ballot(spent: dict[str, float], ballots: int) -> None:
    """What each ballot cost the machine's cores, and what that allows: on a busy machine the
    CPU time says what the work costs, the latency what waiting behind others felt like."""
    each = {name: seconds * 1000 / ballots for name, seconds in spent.items()}
    total = sum(each.values())
    parts = ", ".join(f"{name} {ms:.1f} ms" for name, ms in each.items())
    cores = os.cpu_count() or 1
    print(
        f"  CPU per ballot: {parts}; {total:.1f} ms in all, so {cores} cores serve at most "
        f"{cores * 1000 / total:.0f} ballots/s; with {CLIENT_THREADS} always waiting, a wait "
        f"near 1 s needs about {CLIENT_THREADS} ballots/s (Little's law), i.e. at most "
        f"{cores * 1000 / CLIENT_THREADS:.0f} ms in all"
    )


def _change_jobs(run: SimpleNamespace, changers: list[Voter], new: dict[int, tuple]):
    jobs, labels = [], []
    for i, voter in enumerate(changers):
        tabs = [voter.http, _second_tab(voter.http)] if i < TWO_TABS else [voter.http]
        for tab in tabs:
            bids = new[voter.user_id]
            jobs.append(
                lambda t=tab, v=voter, b=bids: post_ballot(run.base, run.vote_path, t, v.token, b)
            )
            labels.append("two tabs" if len(tabs) == 2 else "one tab")
    return jobs, labels


def wave_two(run: SimpleNamespace, voters: list[Voter], saved: dict, rng: random.Random) -> None:
    """100 ambassadors change their vote at once, 20 of them twice at the same moment."""
    eligible = [v for v in voters if v.user_id in saved]
    changers = rng.sample(eligible, min(CHANGERS, len(eligible)))
    new = {}
    for voter in changers:
        bids = saved[voter.user_id]
        while bids == saved[voter.user_id]:
            bids = _pick(rng, run.bid_ids)
        new[voter.user_id] = bids
    before = recorded(run.app, run.round_id)
    jobs, labels = _change_jobs(run, changers, new)
    outcomes, wall = burst(jobs, len(jobs))
    held = recorded(run.app, run.round_id)
    expected = {**saved, **new}
    kept = sum(
        1
        for uid in new
        if [r for _, r in held.by_key.get(run.keys[uid], [])]
        == [r for _, r in before.by_key.get(run.keys[uid], [])]
    )
    single = all(len(pairs) == 1 for pairs in held.by_key.values())
    print(
        f"wave 2: {len(new)} ambassadors change their vote at once, {TWO_TABS} of them from two "
        f"tabs at the same moment ({len(jobs)} posts, {wall:.2f} s)"
    )
    for label in ("one tab", "two tabs"):
        group = [o for o, lab in zip(outcomes, labels, strict=True) if lab == label]
        saved_n = sum(o.ok for o in group)
        print(f"  {label}: {len(group)} posts, {saved_n} saved ({_responses(group)})")
    same = held.ballots == held.participations == before.ballots == len(saved)
    print(f"  recorded: {held.ballots:,} ballots, {held.participations:,} participations")
    print(f"  still one per ambassador who voted ({len(saved):,}): {'yes' if same else 'NO'}")
    print(f"  one ballot per voter key: {'yes' if single else 'NO'}")
    print(f"  changed ballots holding the new choices: {matching(held, run.keys, new)}/{len(new)}")
    print(f"  all ballots holding what was last sent: {matching(held, run.keys, expected):,}")
    print(f"  receipt codes kept on change: {kept}/{len(new)}")
    _problems(outcomes, "wave 2")


def statements_per_ballot(run: SimpleNamespace) -> tuple[int, int]:
    """SQL statements one ballot POST makes (a first vote, then a change), counted in this
    process with the same code on the same database, for a new ambassador."""
    from sqlalchemy import event, insert

    from engage.accounts.models import User
    from engage.accounts.roles import Role
    from engage.extensions import db

    with run.app.app_context():
        values = {"email": "counted@example.org", "display_name": "Counted", "password_hash": ""}
        result = db.session.execute(
            insert(User).values(role=Role.YOUTH_AMBASSADOR.value, age_band="16_17", **values)
        )
        user_id = result.inserted_primary_key[0]
        db.session.commit()
    client = run.app.test_client()
    client.set_cookie("session", session_cookies(run.app, [user_id])[user_id], domain="localhost")
    token = _csrf(client.get(run.vote_path).get_data(as_text=True))
    said: list[str] = []

    def heard(conn, cursor, statement, *rest) -> None:
        said.append(statement)

    counts = []
    for bid in run.bid_ids[:2]:
        data = {"csrf_token": token, "ballot-0-bid_id": str(bid), "ballot-0-ticked": "y"}
        with run.app.app_context():
            event.listen(db.engine, "before_cursor_execute", heard)
            try:
                response = client.post(run.vote_path, data=data)
            finally:
                event.remove(db.engine, "before_cursor_execute", heard)
        if response.status_code != 302:
            raise RuntimeError(f"the counted ballot answered {response.status_code}")
        counts.append(len(said) - sum(counts))
    return counts[0], counts[1]


# -- the run


def sign_in_all(run: SimpleNamespace, ambassadors: list[tuple[int, str]]) -> list[Voter]:
    """Every ambassador signed in, with the vote page's CSRF token. Through the form while the
    time budget lasts; should a busy machine run out of it, the rest get the session cookie
    the app's own login_user makes (and the number of each is printed)."""
    from concurrent.futures import ThreadPoolExecutor

    voters = [Voter(uid, email) for uid, email in ambassadors]
    started = time.perf_counter()
    deadline = time.monotonic() + SIGN_IN_BUDGET
    with ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
        problems = list(pool.map(lambda v: sign_in(run.base, v, deadline), voters))
    late = [v for v, p in zip(voters, problems, strict=True) if p == "late"]
    cookies = session_cookies(run.app, [v.user_id for v in late])
    for voter in late:
        voter.http.headers["Connection"] = "close"
        voter.http.cookies.set("session", cookies[voter.user_id], domain="127.0.0.1", path="/")
    with ThreadPoolExecutor(SIGN_IN_THREADS * 2) as pool:
        problems += list(pool.map(lambda v: open_vote_page(run.base, run.vote_path, v), voters))
    failed = collections.Counter(p for p in problems if p and p != "late")
    print(
        f"sign-in of {len(voters):,} ambassadors (not timed, {SIGN_IN_THREADS} at a time): "
        f"{len(voters) - len(late):,} through the form, {len(late):,} by session cookie after "
        f"the {SIGN_IN_BUDGET:.0f} s budget; vote pages opened; {sum(failed.values())} failed; "
        f"{time.perf_counter() - started:.1f} s"
    )
    for problem, n in failed.most_common(5):
        print(f"  sign-in error x{n}: {problem}")
    if failed:
        raise RuntimeError("some ambassadors could not sign in; not measuring")
    return voters


def _server_errors(log_path: Path) -> None:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    tracebacks = text.count("Traceback (most recent call last)")
    errors = [line for line in text.splitlines() if " ERROR " in line or "[ERROR]" in line]
    print(f"server log: {tracebacks} tracebacks, {len(errors)} ERROR lines")
    for line, n in collections.Counter(errors).most_common(5):
        print(f"  x{n}: {line[:300]}")


def _run_text(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout


def _upgrade(env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


def _app(database_url: str, secret: str):
    from engage import create_app
    from engage.config import TestConfig

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret}
    return create_app(type("BallotBench", (TestConfig,), settings))


def measure(tmp: Path, pgbin: Path, pg: tuple[int, str], limits: str) -> None:
    from engage.extensions import db

    (pg_port, pg_data), secret, web_port = pg, secrets.token_urlsafe(32), _free_port()
    env = _environment(pg_port, web_port, secret, tmp, limits)
    version = re.findall(r"\d+\.\d+", _run_text([str(pgbin / "postgres"), "--version"]))[0]
    print(
        f"PostgreSQL {version} on 127.0.0.1:{pg_port}; gunicorn {' '.join(GUNICORN_OPTIONS[:4])} "
        f"on 127.0.0.1:{web_port}; {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    _upgrade(env)
    app = _app(env["DATABASE_URL"], secret)
    try:
        round_id, bid_ids, ambassadors = seed(app)
        print(
            f"set-up (flask db upgrade, round with {len(bid_ids)} shortlisted bids, "
            f"{len(ambassadors):,} ambassadors): {time.perf_counter() - started:.1f} s"
        )
        run = SimpleNamespace(
            app=app,
            base=f"http://127.0.0.1:{web_port}",
            vote_path=vote_path(app, round_id),
            round_id=round_id,
            bid_ids=bid_ids,
            keys=voter_keys(app, round_id, [uid for uid, _ in ambassadors]),
        )
        rng = random.Random(SEED)
        with gunicorn(env, web_port, tmp / "gunicorn.log") as gunicorn_pid:
            run.spent = lambda: server_cpu(gunicorn_pid, pg_data)
            voters = sign_in_all(run, ambassadors)
            saved = wave_one(run, voters, rng)
            wave_two(run, voters, saved, rng)
        _server_errors(tmp / "gunicorn.log")
        first, change = statements_per_ballot(run)
        print(f"SQL statements per ballot POST: {first} for a first vote, {change} for a change")
    finally:
        with app.app_context():
            db.engine.dispose()


def main() -> None:
    pgbin = _pg_bin()
    if pgbin is None:
        print("skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        return
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        print("skipped: running as root and runuser is missing to start PostgreSQL as postgres")
        return
    if shutil.which("redis-server") is None:
        print("skipped: redis-server is missing (several workers need shared rate limits)")
        return
    with (
        tempfile.TemporaryDirectory(prefix="engage-bench.") as tmp,
        postgres(pgbin) as (port, pg_data),
        redis() as limits,
    ):
        measure(Path(tmp), pgbin, (port, pg_data), limits)


if __name__ == "__main__":
    main()
