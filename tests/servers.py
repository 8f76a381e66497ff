"""The app served for real by gunicorn in a subprocess, configured by environment variables as
in production: for tests of what only shows with real workers and real shared stores."""

import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def production_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ENGAGE_ENV": "production",
        "SECRET_KEY": "a-secret-for-this-test-only-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'engage.db'}",
        "ENGAGE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SESSION_COOKIE_SECURE": "false",
        "FLASK_APP": "wsgi.py",
        **settings,
    }
    env.pop("WEB_CONCURRENCY", None)
    return env


def start(env: dict[str, str], workers: int = 1) -> subprocess.Popen:
    return subprocess.Popen(
        [str(GUNICORN), "--workers", str(workers), "--bind", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def gunicorns(env: dict[str, str], machines: int = 1, workers: int = 1):
    """Serve the app from `machines` servers at once; yields their base URLs once they all
    listen (started together, so the wait is one start, not one per server), and stops them."""
    processes = [start(env, workers) for _ in range(machines)]
    try:
        yield [_wait_for_address(process) for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def _wait_for_address(process: subprocess.Popen) -> str:
    deadline, seen = time.monotonic() + 30, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
        if found:
            return found.group(1)
        if process.poll() is not None:
            break
    raise RuntimeError("gunicorn did not start:\n" + "".join(seen))
