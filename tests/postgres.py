"""What the PostgreSQL-only tests ask the catalogue."""

from __future__ import annotations

from django.db import connection


def index_definitions(*names: str) -> dict[str, str]:
    """`CREATE INDEX` of each named index that exists, by name (pg_indexes)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(names)]
        )
        return dict(cur.fetchall())
