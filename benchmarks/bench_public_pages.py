"""Anonymous public pages against a bare Flask "hello", both served the same way.

Two gunicorn servers run side by side on loopback, set up as `make run` serves the site (2 sync
workers, development settings): one serves a four-line Flask app that answers "Hello, World!",
the other Engage on SQLite with the demo loaded (`flask demo load`). Each URL is hit for SECONDS
by CLIENTS concurrent clients (plain sockets in CLIENT_PROCESSES processes, one request per
connection as gunicorn's sync workers do); the figure is completed requests per second and its
ratio to the hello measured in the same run (target: at least 25%). Pages are measured warm: the
first request of each URL renders it, as the first visitor after a change would.

The clients share the 2 cores with the servers, equally for every URL."""

import multiprocessing
import re
import socket
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.servers import FLASK, GUNICORN, ROOT, _wait_for_address, migrate, production_env

SECONDS = 4.0
CLIENTS = 16
CLIENT_PROCESSES = 2
TARGET = 0.25
HELLO = textwrap.dedent(
    """
    from flask import Flask
    app = Flask(__name__)
    @app.route("/")
    def hello():
        return "Hello, World!"
    """
)


def _serve(env: dict[str, str], app: str, cwd: Path):
    import subprocess

    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", "127.0.0.1:0", app],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, _wait_for_address(process)


def _client(host: str, port: int, request: bytes, until: float, threads: int, out) -> None:
    import threading

    counts = [0] * threads
    failures = [0] * threads

    def loop(i: int) -> None:
        while time.monotonic() < until:
            try:
                with socket.create_connection((host, port), timeout=10) as conn:
                    conn.sendall(request)
                    head = conn.recv(65536)
                    while conn.recv(65536):
                        pass
                if head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200"):
                    counts[i] += 1
                else:
                    failures[i] += 1
            except OSError:
                failures[i] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((sum(counts), sum(failures)))


def requests_per_second(base: str, path: str) -> tuple[float, int]:
    host, port = base.removeprefix("http://").split(":")
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode()
    urllib.request.urlopen(base + path, timeout=30).read()  # warm: the first visitor renders it
    queue: multiprocessing.Queue = multiprocessing.Queue()
    started = time.monotonic()
    until = started + SECONDS
    processes = [
        multiprocessing.Process(
            target=_client,
            args=(host, int(port), request, until, CLIENTS // CLIENT_PROCESSES, queue),
        )
        for _ in range(CLIENT_PROCESSES)
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


def _first_results_path(base: str) -> str:
    """A published round's results page, from the rounds the public list links to."""
    page = urllib.request.urlopen(base + "/participatory-budgeting", timeout=30).read().decode()
    for round_id in dict.fromkeys(re.findall(r'href="/participatory-budgeting/(\d+)"', page)):
        path = f"/participatory-budgeting/{round_id}/results"
        try:
            urllib.request.urlopen(base + path, timeout=30).read()
        except urllib.error.HTTPError:
            continue
        return path
    raise RuntimeError("the demo has no published round")


def main() -> None:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "hello.py").write_text(HELLO)
        # As `make run` serves it: development settings, limits in each worker's memory.
        env = production_env(tmp_path, ENGAGE_ENV="development")
        migrate(env)
        loaded = subprocess.run(
            [str(FLASK), "demo", "load"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        hello, hello_base = _serve(env, "hello:app", tmp_path)
        engage, engage_base = _serve(env, "wsgi:app", ROOT)
        try:
            reference, _ = requests_per_second(hello_base, "/")
            print(f"bare Flask hello (reference), gunicorn 2 workers: {reference:7.0f} requests/s")
            paths = [
                "/",
                "/find-support?q=Rothwell",
                "/find-support?q=Kettering&category=youth-activities&free=y",
                "/you-said-we-did",
                "/participatory-budgeting",
                _first_results_path(engage_base),
                "/api/v1/services",
            ]
            for path in paths:
                rate, failed = requests_per_second(engage_base, path)
                ratio = rate / reference
                verdict = "met" if ratio >= TARGET else "not met"
                note = f", {failed} not 200" if failed else ""
                print(
                    f"  {path[:58]:<58} {rate:7.0f} requests/s  {ratio:6.1%} of hello "
                    f"(target {TARGET:.0%}: {verdict}){note}"
                )
        finally:
            for process in (hello, engage):
                process.terminate()
                process.wait(timeout=20)


if __name__ == "__main__":
    main()
