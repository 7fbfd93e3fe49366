"""Each report against one hand-written SQL aggregate over the same rows (target <= 1.5x).

`DATABASE_URL=... python bench/reports.py`. The page is requested in-process (rendering
included); the aggregate is what a database engineer would write for the same figures, run
through the same connection. Both p50 of 10 runs after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import percentile  # noqa: E402
from murojaat.accounts.models import User  # noqa: E402

# The working group's dashboard: intake today / this month, open, overdue, by organisation.
DASHBOARD_SQL = """
SELECT count(*) FILTER (WHERE a.received_at >= date_trunc('day', now())),
       count(*) FILTER (WHERE a.received_at >= date_trunc('month', now())),
       count(*) FILTER (WHERE a.state NOT IN ('closed', 'merged', 'terminated')),
       count(*) FILTER (WHERE a.due_date < current_date
                        AND a.state NOT IN ('closed', 'merged', 'terminated'))
FROM appeals_appeal a
"""
# The monthly report (R-ORG-7): per organisation, the month's assignments and how they ended.
MONTHLY_SQL = """
SELECT s.org_id, count(*), count(*) FILTER (WHERE s.state = 'done'),
       count(*) FILTER (WHERE s.state IN ('sent', 'accepted') AND s.due_date < current_date)
FROM appeals_assignment s
WHERE s.sent_at >= date_trunc('month', now() - interval '1 month')
  AND s.sent_at < date_trunc('month', now())
GROUP BY s.org_id
"""


def timed(fn, repeat: int = 10) -> float:  # type: ignore[no-untyped-def]
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 50)


def sql(query: str):  # type: ignore[no-untyped-def]
    def run() -> None:
        with connection.cursor() as cur:
            cur.execute(query)
            cur.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    args = parser.parse_args()
    client = Client()
    client.force_login(User.objects.get(username="wg"))
    results = {}
    for label, url, query in [
        ("dashboard (working group)", reverse("reports:dashboard"), DASHBOARD_SQL),
        ("monthly report (working group)", reverse("reports:monthly"), MONTHLY_SQL),
    ]:
        # Counted on every request (REPORTS_LIVE_SECONDS=0): the report's own work against the
        # hand-written aggregate. A dashboard's viewers read a copy of it (bench/pages.py).
        with override_settings(REPORTS_LIVE_SECONDS=0):
            page = timed(lambda url=url: client.get(url))
        floor = timed(sql(query))
        results[label] = {"page": page, "sql": floor}
        print(f"{label:34} page {page:8.1f} ms   SQL aggregate {floor:8.1f} ms   "
              f"{page / floor:5.1f}x")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
