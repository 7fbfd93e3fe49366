"""Per page: p50/p95 wall time, p50 Python CPU time and SQL queries, per persona, in one DB.

`DATABASE_URL=... python bench/pages.py [--repeat 15] [--json out.json]`. Pages are requested
in-process through Django's test client (no network, no gunicorn), after two warm-up requests,
so the figure is the server's own time: SQL plus Python plus template. bench/run_all.py runs
it against two volumes and prints the growth ratio.
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import COMMON, PERSONAS, RARE, percentile  # noqa: E402
from murojaat.accounts.models import User  # noqa: E402
from murojaat.appeals import selectors  # noqa: E402

# Not in the default run (bench/run_all.py compares bench.common.PERSONAS); asked for by name:
# `--personas auditor` times the appeal page with its panel of reads (issue 10) and the search
# with the L-10 conditions for withheld authors.
EXTRA_PERSONAS = {"auditor": "auditor"}


def username_of(persona: str) -> str:
    return PERSONAS.get(persona) or EXTRA_PERSONAS[persona]


def pages_for(user: User) -> list[tuple[str, str]]:
    """(label, url) of every staff page this persona uses."""
    inbox, search = reverse("appeals:inbox"), reverse("appeals:search")
    visible = selectors.appeals_visible_to(user).order_by("-received_at", "pk")
    latest = visible.values_list("number", "author_name", "author_phone").first()
    pages = [("inbox", inbox)]
    if selectors.sees_everything(user):
        pages += [(f"inbox {t}", f"{inbox}?tab={t}") for t in ("routing", "answers", "overdue")]
        pages.append(("inbox region filter", f"{inbox}?tab=overdue&region=1&sort=-received"))
    else:
        pages += [(f"inbox {t}", f"{inbox}?tab={t}") for t in ("to_accept", "in_work", "overdue")]
    if latest:
        number, name, phone = latest
        pages += [
            ("appeal page", reverse("appeals:detail", args=[number])),
            ("search number", f"{search}?q={number}"),
            ("search name", f"{search}?q={name.split()[0]}"),
            ("search phone", f"{search}?q={phone.replace('+', '%2B')}"),
        ]
    pages += [
        ("search common latin", f"{search}?q={COMMON[0]}"),
        ("search common cyrillic", f"{search}?q={COMMON[1]}"),
        ("search rare latin", f"{search}?q={RARE[0]}"),
        ("search rare cyrillic", f"{search}?q={RARE[1]}"),
        ("dashboard", reverse("reports:dashboard")),
        ("dashboard xlsx", reverse("reports:export")),
        # Not a page: what a Celery worker does once a minute per scope when the dashboard's
        # copy is stale, and the first view of a day (reports.selectors.dashboard).
        (BACKGROUND_COUNT, ""),
    ]
    if selectors.sees_everything(user):
        pages += [
            ("monthly report", reverse("reports:monthly")),
            ("monthly xlsx", reverse("reports:monthly_export")),
        ]
    return pages


BACKGROUND_COUNT = "dashboard count (Celery)"


def count_dashboard(user: User) -> int:
    """The dashboard's figures counted as the background task counts them (default period)."""
    from murojaat.reports import selectors as reports
    from murojaat.reports.views import today_local

    scope = reports.scope_for(user)
    assert scope is not None
    today = today_local()
    reports.recount_dashboard(scope, today, reports.Period(today.replace(month=1, day=1), today))
    return 200


def measure(client: Client, url: str, repeat: int, user: User | None = None) -> dict:
    def get() -> int:
        if not url:
            assert user is not None
            return count_dashboard(user)
        return client.get(url).status_code

    for _ in range(2):
        get()
    times, cpu, queries, status = [], [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            status = get()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured)
    return {
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "cpu": percentile(cpu, 50),
        "queries": queries,
        "status": status,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json")
    parser.add_argument("--personas", default=",".join(PERSONAS))
    parser.add_argument("--only", default="", help="only pages whose label contains this")
    args = parser.parse_args()
    from murojaat.appeals.models import Appeal

    volume = Appeal.objects.count()
    results: dict[str, dict] = {}
    print(f"{volume} appeals in {connection.settings_dict['NAME']}")
    print(f"{'persona':22} {'page':26} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>7} {'queries':>7}")
    for persona in args.personas.split(","):
        user = User.objects.get(username=username_of(persona))
        client = Client()
        client.force_login(user)
        for label, url in pages_for(user):
            if args.only not in label:
                continue
            row = measure(client, url, args.repeat, user)
            results[f"{persona} | {label}"] = row
            flag = "" if row["status"] == 200 else f"  HTTP {row['status']}"
            print(
                f"{persona:22} {label:26} {row['p50']:8.1f} {row['p95']:8.1f} {row['cpu']:7.1f} "
                f"{row['queries']:7d}{flag}",
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps({"volume": volume, "pages": results}, indent=1))


if __name__ == "__main__":
    main()
