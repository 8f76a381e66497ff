"""`flask demo load --services 100000` on SQLite (`make bench`): the command anyone runs to try
Engage at scale, timed as a child process on a fresh database, against `flask demo load` alone
(the ordinary demo: 152 services, areas, users, rounds, feedback) on another fresh database in
the same run. The command prints how long the synthetic directory itself took (target: well
under a minute for 100,000 services). Timings are printed, never asserted."""

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVICES = int(os.environ.get("DEMO_BENCH_SERVICES", 100_000))
TARGET_SECONDS = 60.0
ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).with_name("flask")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(folder: Path, *args: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, output): on a busy machine the CPU time says what the
    command costs, the wall time what waiting for it felt like."""
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "ENGAGE_INSTANCE_PATH": str(folder),
    }
    env.pop("ENGAGE_ENV", None)
    subprocess.run([str(FLASK), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([str(FLASK), "demo", "load", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return time.perf_counter() - started, _children_cpu() - cpu, done.stdout


def main() -> None:
    print(f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs at the start)")
    with tempfile.TemporaryDirectory() as plain, tempfile.TemporaryDirectory() as scaled:
        reference, reference_cpu, _ = _run(Path(plain))
        took, took_cpu, output = _run(Path(scaled), "--services", str(SERVICES))
    found = re.search(r"synthetic directory added in ([\d.]+) s: (.*)", output)
    if found is None:
        print(f"  the command did not report its synthetic directory:\n{output}")
        return
    seconds = float(found.group(1))
    verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
    print(f"  `flask demo load --services {SERVICES:,}`: {took:.1f} s end to end "
          f"(CPU {took_cpu:.1f} s) vs {reference:.1f} s (CPU {reference_cpu:.1f} s) "
          f"for `flask demo load` alone; "
          f"the synthetic directory itself "
          f"{seconds:.1f} s = {SERVICES / seconds:,.0f} services/s "
          f"(target < {TARGET_SECONDS:.0f} s: {verdict})")  # fmt: skip
    print(f"    rows: {found.group(2)}")
    print(f"(load average {os.getloadavg()[0]:.2f} at the end)")


if __name__ == "__main__":
    main()
