"""What bench/data.py writes and bench/pages.py asks for: words, personas, percentiles."""

from __future__ import annotations

import math

# About 10% of the generated texts carry a common word, 0.05% a rare one (both scripts).
COMMON = ["insulin", "инсулин"]
RARE = ["gemodializ", "гемодиализ"]

# The demo staff (murojaat/orgs/demo.py): the working group, a regional directorate's executor
# and head (rd-1727), a district association's executor and head (tma-1727237).
PERSONAS = {
    "working group": "wg",
    "regional executor": "rd",
    "regional head": "rdhead",
    "association executor": "tma",
    "association head": "tmahead",
}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# Production runs the after-commit tasks (duplicate search, notifications, outbox) on Celery
# workers; without a broker the settings run them eagerly inside the request, which would time
# the worker's job as the clerk's. The benches queue them to a Redis database nobody consumes
# and purge it afterwards (`purge_bench_queue`).
BENCH_BROKER = "redis://127.0.0.1:6379/13"


def purge_bench_queue() -> int:
    from murojaat.celery import app

    return int(app.control.purge() or 0)
