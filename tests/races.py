"""Two clicks at the same moment, for real: each request from its own thread and client (its
own database connection), released together by a barrier."""

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
