"""EXPLAIN ANALYZE of the queries that decide whether a page stays flat (docs/performance.md).

`DATABASE_URL=... python bench/explain.py`: the search's page and capped count for a common and
a rare word (working group, regional executor), a scoped inbox count, a head's dashboard
subtree aggregate, the L-6 repeat-author probe.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402

from bench.common import COMMON, RARE  # noqa: E402
from murojaat.accounts.models import User  # noqa: E402
from murojaat.appeals import selectors  # noqa: E402
from murojaat.appeals.models import Appeal  # noqa: E402
from murojaat.appeals.selectors.search import (  # noqa: E402
    SEARCH_COUNT_CAP,
    search_appeals,
    search_order,
)


def explain(title: str, qs: QuerySet) -> None:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}", params)
        plan = [row[0] for row in cur.fetchall()]
    print(f"--- {title}")
    print("\n".join(plan), flush=True)


def main() -> None:
    wg, rd, rdhead = (User.objects.get(username=u) for u in ("wg", "rd", "rdhead"))
    for user, who in ((wg, "working group"), (rd, "regional executor")):
        for word in (COMMON[0], RARE[1]):
            capped = search_appeals(user, word)[: SEARCH_COUNT_CAP + 1].count() > SEARCH_COUNT_CAP
            page = search_appeals(user, word).order_by(*search_order(capped))[:25]
            explain(f"search page, {who}, {word!r}", page)
            count = search_appeals(user, word).order_by().values("pk")[: SEARCH_COUNT_CAP + 1]
            explain(f"search capped count (as a subquery), {who}, {word!r}", count)
    mine = selectors.assignments_visible_to(rdhead).filter(state="accepted")
    explain("regional head: subtree assignments in work (inbox tab count)", mine.values("pk"))
    explain(
        "regional head: appeals of the subtree by state (dashboard)",
        selectors.appeals_visible_to(rdhead).values("state").annotate(n=Count("pk")),
    )
    phone = Appeal.objects.exclude(author_phone_key="").values_list("author_phone_key", flat=True)[
        0
    ]
    explain(
        "L-6: the author's latest earlier appeal",
        Appeal.objects.filter(author_phone_key=phone).order_by("-received_at")[:1],
    )


if __name__ == "__main__":
    main()
