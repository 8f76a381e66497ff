"""Runs every benchmark in this folder (`make bench`) and prints their figures.

Each capability adds a `bench_<name>.py` module with a `main()` that prints what it measured,
with ratios against the naive or reference approach measured in the same run. Timings are
never asserted in tests; they are measured here and recorded in the README.
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if not names:
        print("no benchmarks yet")
        return 0
    for name in names:
        print(f"== {name} ==")
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").main()
        print(f"({time.perf_counter() - started:.1f} s)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
