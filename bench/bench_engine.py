"""Benchmark of the appeals engine: registration, routing, and the inbox with a large database.

Prints figures; asserts nothing (targets are read off the printout and docs/performance.md).
Runs on a throw-away test database of whatever DATABASE_URL points at (SQLite by default):

    .venv/bin/python bench/bench_engine.py --appeals 2000
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appeals", type=int, default=2000)
    args = parser.parse_args()

    import django

    django.setup()
    # The engine logs every registration and routing at INFO ("appeal registered"): thousands of
    # lines that would bury the figures. Warnings and errors still show.
    logging.getLogger("murojaat").setLevel(logging.WARNING)
    # WhiteNoise warns when collectstatic has not run; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at: .*staticfiles")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        _run(args.appeals, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(n: int, capture, connection) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from murojaat.appeals import services
    from murojaat.appeals.models import Procedure, Topic
    from murojaat.appeals.reference import load_reference
    from tests.factories import build_ministry

    load_reference(Procedure, Topic)
    m = build_ministry()
    topic = Topic.objects.get(code="quality-of-care")
    started = time.perf_counter()
    appeals = []
    for i in range(n):
        appeals.append(
            services.register_appeal(
                actor=m.wg_member,
                channel="president_vr",
                external_id=f"B-{i}",
                author_name=f"Muallif {i}",
                author_address="Zangiota",
                author_phone=f"+99890{i:07d}",
                text="Poliklinikada navbat uzun, shifokor qabul qilmadi.",
                topics=[topic],
            ).appeal
        )
    reg = time.perf_counter() - started
    started = time.perf_counter()
    for appeal in appeals:
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    route = time.perf_counter() - started
    # Memory is measured on a separate batch: tracing allocations slows everything down.
    tracemalloc.start()
    for _ in range(100):
        services.register_appeal(
            actor=m.wg_member,
            channel="hotline",
            author_name="Muallif",
            author_address="Parkent",
            text="Dori yetishmaydi.",
            topics=[topic],
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    client = Client()
    client.force_login(m.regional_executor)
    timings = {}
    for name, url in [
        ("inbox", "/appeals/inbox/"),
        ("search", "/appeals/search/?q=muallif"),
        ("dashboard", "/reports/"),
        ("appeal page", f"/appeals/{appeals[0].number}/"),
    ]:
        client.get(url)  # warm
        with capture(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            timings[name] = (time.perf_counter() - t0, len(queries), response.status_code)

    print(f"database: {connection.vendor}; appeals: {n}")
    print(f"register_appeal: {n / reg:8.1f} appeals/s  ({reg * 1000 / n:.2f} ms each)")
    print(f"route_appeal:    {n / route:8.1f} appeals/s  ({route * 1000 / n:.2f} ms each)")
    print(f"peak Python memory registering 100 appeals: {peak / 1024 / 1024:.1f} MiB")
    for name, (seconds, count, status) in timings.items():
        print(f"GET {name:12s} {seconds * 1000:8.1f} ms  {count:3d} queries  HTTP {status}")


if __name__ == "__main__":
    main()
