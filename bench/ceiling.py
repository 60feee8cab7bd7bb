"""How much faster this machine runs N processes of pure CPU work at once than one after another.

    python bench/ceiling.py N

Prints a JSON object: the seconds one process takes, the seconds N processes
take side by side (each doing the same work), and the speed-up that gives,
at most N.  Virtual machines often give less than N (cores that are threads
of one physical core, or shared with other guests); a batch build cannot
scale better than this, so the batch rows are read against it.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time

WORK = 6_000_000  # about half a second of interpreter work


def _work(_: int = 0) -> int:
    total = 0
    for i in range(WORK):
        total += i * i % 7
    return total


def _timed(processes: int) -> float:
    started = time.perf_counter()
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    workers = [(context or multiprocessing).Process(target=_work) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def main(count: int) -> None:
    # Alternate the two, best of three each: the least disturbed runs show the machine itself.
    one, many = [], []
    for _ in range(3):
        one.append(_timed(1))
        many.append(_timed(count))
    best_one, best_many = min(one), min(many)
    print(json.dumps({"one": best_one, "together": best_many, "processes": count,
                      "speedup": count * best_one / best_many}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
