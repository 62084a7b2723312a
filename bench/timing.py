"""How every benchmark here times a call: p50 and p95 in milliseconds, after one warming
run (a running shop's page cache is warm)."""

from __future__ import annotations

import statistics
import time


def timings(fn, runs: int = 30) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]
