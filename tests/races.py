"""Two clicks at the same moment, for real: each request from its own thread and client (its
own database connection), released together by a barrier."""

import contextlib
import threading
from collections.abc import Callable


def at_once(*requests: Callable[[], object]) -> list:
    """Run every request at the same moment; their responses (or exceptions), in order."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(n: int, request: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[n] = request()
        except Exception as error:  # reported to the test, which fails on it
            results[n] = error

    threads = [threading.Thread(target=run, args=(n, r)) for n, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


HOLD = 5  # seconds a request waits for the other at the meeting point, at most


def meet_there(monkeypatch, module, name: str, after: bool = False) -> None:
    """Hold each racing thread once at `module.name` (before it runs, or after) until the other
    has reached it too, so that both have read before either writes."""
    original, met, barrier = getattr(module, name), set(), threading.Barrier(2)

    def held(*args, **kwargs):
        result = original(*args, **kwargs) if after else None
        if threading.get_ident() not in met:
            met.add(threading.get_ident())
            # A broken wait: the other was held by a row lock instead, and comes on after.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=HOLD)
        return result if after else original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
