"""`make test`'s own time: the README's second command, run here as a newcomer runs it, with the
time each half of the suite takes (SQLite with the browser tests; PostgreSQL without them) read
from pytest's summary lines, against the target of 200 s of test time on 2 cores and against
the 400 s the suite took on a quiet machine when the target was set.

It runs the whole suite (about ten minutes on 2 cores), so it is skipped unless
BENCH_TEST_SUITE=1: `BENCH_TEST_SUITE=1 make bench`. Where the time goes is printed too: the
slowest tests of the SQLite half (pytest's --durations), the ones a faster suite would have to
shrink."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 200.0  # seconds of test time, both databases, 2 cores
WHEN_SET = 400.0  # what the suite took on a quiet machine when the target was set
SUMMARY = re.compile(r"^=*\s*(\d[\d,]*) passed.*? in ([\d.]+)s", re.M)
SLOWEST = re.compile(r"^([\d.]+)s (call|setup|teardown)\s+(\S+)", re.M)


def main() -> None:
    if os.environ.get("BENCH_TEST_SUITE") != "1":
        print("skipped: runs the whole suite (about ten minutes); BENCH_TEST_SUITE=1 to run it")
        return
    started = time.perf_counter()
    env = {**os.environ, "PYTEST_ADDOPTS": "--durations=25"}
    done = subprocess.run(
        ["make", "test"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    output = done.stdout + done.stderr
    halves = [(int(n.replace(",", "")), float(s)) for n, s in SUMMARY.findall(output)]
    if done.returncode != 0 or len(halves) != 2:
        print(f"make test failed (exit {done.returncode}); its last lines:", file=sys.stderr)
        print("\n".join(output.splitlines()[-30:]), file=sys.stderr)
        return
    (sqlite_tests, sqlite_s), (pg_tests, pg_s) = halves
    tests = sqlite_s + pg_s
    print(f"make test: {wall:.0f} s in all (set-up and lint included)")
    print(f"  SQLite with the browser tests: {sqlite_tests:,} passed in {sqlite_s:.0f} s")
    print(f"  PostgreSQL, without them:      {pg_tests:,} passed in {pg_s:.0f} s")
    print(f"  test time {tests:.0f} s: {tests / TARGET:.2f}x the target of {TARGET:.0f} s "
          f"({'met' if tests <= TARGET else 'not met'}); {tests / WHEN_SET:.2f}x the "
          f"{WHEN_SET:.0f} s when the target was set")  # fmt: skip
    slowest = SLOWEST.findall(output)[:10]
    if slowest:
        print("  slowest tests (the first half):")
        for seconds, phase, test in slowest:
            print(f"    {float(seconds):6.1f} s {phase:<8} {test}")
