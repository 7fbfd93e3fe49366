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


def through_api(count: int, run: str) -> tuple[float, int]:
    client, _ = ApiClient.objects.get_or_create(
        name="Bench VR",
        defaults={
            "key_id": "bench-vr",
            "channel": "president_vr",
            "rate_limit_per_minute": 1_000_000,
        },
    )
    transport = DjangoTransport()
    transport.client = Client()  # one handler, as a worker has: middleware loaded once
    api = GatewayClient(client.key_id, client.secret, transport)
    api.create_appeal(body(0, run + "w"))  # warm-up
    queries: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        assert api.create_appeal(body(-1, run + "q")).status == 201
    started = time.perf_counter()
    for i in range(count):
        response = api.create_appeal(body(i, run))
        assert response.status == 201, response.content[:300]
    return count / (time.perf_counter() - started), len(queries)


def by_hand(count: int, run: str) -> tuple[float, int]:
    """The same rows: columns copied from the last API-made appeal, new number and text."""
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
    statements = 4
    started = time.perf_counter()
    for i in range(count):
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
    return count / (time.perf_counter() - started), statements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--json")
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    api_rate, api_queries = through_api(args.count, run)
    queued = purge_bench_queue() if os.environ["CELERY_BROKER_URL"] == BENCH_BROKER else 0
    sql_rate, sql_statements = by_hand(args.count, run)
    print(f"intake through the signed API: {api_rate:7.1f} appeals/s ({api_queries} statements)")
    print(f"intake by hand-written SQL:    {sql_rate:7.1f} appeals/s ({sql_statements} statements)")
    print(f"ratio: {sql_rate / api_rate:.1f}x (target: within 5x)")
    print(f"after-commit tasks queued for workers (not run here): {queued}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"api": api_rate, "sql": sql_rate, "api_queries": api_queries})
        )


if __name__ == "__main__":
    main()
