"""Intake per second: the signed API against the same rows inserted by hand-written SQL.

`DATABASE_URL=... python bench/intake.py [--count 200]`. The API side is the whole path: HMAC
signature check, rate limit, validation, idempotency record, numbering, L-6 repeat check,
appeal, topics and the registration event, each request in its own transaction (through
Django's stack in-process, no network). The SQL side is the floor: in one transaction each,
the number (UPDATE ... RETURNING), the appeal row, its topic and its event, as the services
would write them. The rows stay in the database (a few hundred among the bench's volume).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
from bench.common import BENCH_BROKER, purge_bench_queue

os.environ.setdefault("CELERY_BROKER_URL", BENCH_BROKER)

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from murojaat.core.identity import author_keys  # noqa: E402
from murojaat.core.translit import normalize_for_search  # noqa: E402
from murojaat.gateway.client import DjangoTransport, GatewayClient  # noqa: E402
from murojaat.gateway.models import ApiClient  # noqa: E402


def body(i: int, run: str) -> dict:
    return {
        "external_id": f"BENCH-{run}-{i}",
        "text": f"Poliklinikada shifokor qabul qilmadi, navbat uch kun ({i}).",
        "kind": "complaint",
        "topics": ["quality-of-care"],
        "author": {
            "name": f"Bench Muallif {i}",
            "address": "Zangiota tumani, Eshonguzar MFY, 12-uy",
            "phone": f"+99899{i % 10**7:07d}",
        },
    }


def signed_api() -> GatewayClient:
    """The bench's API client (a Virtual Reception with no rate limit), signing requests that
    Django's test client serves in this process: the gateway as a worker runs it."""
    client, _ = ApiClient.objects.get_or_create(
        name="Bench VR",
        defaults={
            "key_id": "bench-vr",
            "channel": "president_vr",
            "rate_limit_per_minute": 1_000_000,
        },
    )
    transport = DjangoTransport()
    transport.client = Client()
    return GatewayClient(client.key_id, client.secret, transport)


class Api:
    """The signed API as a worker serves it: one handler, middleware loaded once."""

    def __init__(self, run: str) -> None:
        self.api = signed_api()
        self.api.create_appeal(body(0, run + "w"))  # warm-up
        self.api.create_appeal(body(1, run + "w"))
        queries: list[str] = []
        with connection.execute_wrapper(
            lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
        ):
            assert self.api.create_appeal(body(-1, run + "q")).status == 201
        self.statements = len(queries)

    def register(self, indices: range, run: str) -> tuple[float, float]:
        """Wall and CPU seconds for these registrations."""
        wall, cpu = time.perf_counter(), time.process_time()
        for i in indices:
            response = self.api.create_appeal(body(i, run))
            assert response.status == 201, response.content[:300]
        return time.perf_counter() - wall, time.process_time() - cpu


def by_hand(run: str) -> Callable[[range], tuple[float, float]]:
    """The same rows: columns copied from an API-made appeal, new number and text."""
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM appeals_appeal WHERE external_id = %s", [f"BENCH-{run}-0"])
        cols = [c.name for c in cur.description]
        template = dict(zip(cols, cur.fetchone(), strict=True))
        cur.execute(
            "SELECT topic_id FROM appeals_appeal_topics WHERE appeal_id = %s", [template["id"]]
        )
        (topic_id,) = cur.fetchone()
        cur.execute(
            "SELECT kind, data FROM appeals_event WHERE appeal_id = %s ORDER BY id LIMIT 1",
            [template["id"]],
        )
        event_kind, event_data = cur.fetchone()
    cols = [c for c in cols if c != "id"]
    insert = (
        f"INSERT INTO appeals_appeal ({', '.join(cols)}) "
        f"VALUES ({', '.join(['%s'] * len(cols))}) RETURNING id"
    )

    def insert_rows(indices: range) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in indices:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(
                    "UPDATE appeals_numbersequence SET last = last + 1 "
                    "WHERE channel = %s AND year = %s RETURNING last",
                    [template["channel"], template["year"]],
                )
                (seq,) = cur.fetchone()
                row = dict(template)
                text = f"Poliklinikada shifokor qabul qilmadi, navbat uch kun ({i})."
                phone = f"+99898{i % 10**7:07d}"
                keys = author_keys(phone=phone, email="", name=row["author_name"], address="")
                row.update(
                    number=f"SQL-{run}-{i}",
                    seq=seq,
                    external_id=f"SQL-{run}-{i}",
                    text=text,
                    author_phone=phone,
                    author_phone_key=keys.phone,
                    search_text=normalize_for_search(f"{row['author_name']} {phone} {text}"),
                    content_search_text=normalize_for_search(text),
                    received_at=timezone.now(),
                    registered_at=timezone.now(),
                    repeat_of_id=None,
                )
                cur.execute(insert, [row[c] for c in cols])
                (appeal_id,) = cur.fetchone()
                cur.execute(
                    "INSERT INTO appeals_appeal_topics (appeal_id, topic_id) VALUES (%s, %s)",
                    [appeal_id, topic_id],
                )
                cur.execute(
                    "INSERT INTO appeals_event (appeal_id, kind, at, comment, data) "
                    "VALUES (%s, %s, now(), '', %s)",
                    [appeal_id, event_kind, Jsonb(event_data)],
                )
        return time.perf_counter() - wall, time.process_time() - cpu

    return insert_rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument(
        "--rounds",
        type=int,
        default=6,
        help="the two sides alternate in this many batches, so both meet the same machine load",
    )
    parser.add_argument("--json")
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    api = Api(run)
    sql = by_hand(run + "w")
    totals = {"api": [0.0, 0.0], "sql": [0.0, 0.0]}
    per_round = []
    step = max(1, args.count // args.rounds)
    for start in range(0, args.count, step):
        indices = range(start, min(start + step, args.count))
        a = api.register(indices, run)
        b = sql(indices)
        for side, (wall, cpu) in (("api", a), ("sql", b)):
            totals[side][0] += wall
            totals[side][1] += cpu
        per_round.append(a[0] / b[0])
    queued = purge_bench_queue() if os.environ["CELERY_BROKER_URL"] == BENCH_BROKER else 0
    api_rate, sql_rate = args.count / totals["api"][0], args.count / totals["sql"][0]
    api_cpu, sql_cpu = (1000 * totals[s][1] / args.count for s in ("api", "sql"))
    print(
        f"intake through the signed API: {api_rate:7.1f} appeals/s ({api.statements} statements, "
        f"{api_cpu:.1f} ms Python CPU each)"
    )
    print(
        f"intake by hand-written SQL:    {sql_rate:7.1f} appeals/s (4 statements, "
        f"{sql_cpu:.1f} ms Python CPU each)"
    )
    print(
        f"ratio: {sql_rate / api_rate:.1f}x (target: within 5x); per round: "
        + " ".join(f"{r:.1f}" for r in per_round)
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"after-commit tasks queued for workers (not run here): {queued}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"api": api_rate, "sql": sql_rate, "api_queries": api.statements})
        )


if __name__ == "__main__":
    main()
