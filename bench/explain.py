"""EXPLAIN ANALYZE of the queries that decide whether a page stays flat (docs/performance.md).

`DATABASE_URL=... python bench/explain.py`: the search's page and capped count for a common and
a rare word (working group, regional executor), a scoped inbox count, a head's dashboard
subtree aggregate, the L-6 repeat-author probe.

`python bench/explain.py --pages [--personas ...] [--only LABEL] [--all]`: every query of every
staff page that bench/pages.py requests (one request per page, after a warm-up, queries logged
with CaptureQueriesContext), each EXPLAINed with ANALYZE; a query is flagged when its plan has a
sequential scan of a big table (appeals, assignments, events, reads) or sorts, hashes or
aggregates more than `--rows` rows. Without `--all` only the flagged queries are printed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murojaat.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402

from bench.common import COMMON, PERSONAS, RARE  # noqa: E402
from murojaat.accounts.models import User  # noqa: E402
from murojaat.appeals import selectors  # noqa: E402
from murojaat.appeals.models import Appeal  # noqa: E402
from murojaat.appeals.selectors.search import (  # noqa: E402
    SEARCH_COUNT_CAP,
    search_appeals,
    search_order,
)

BIG_TABLES = ("appeals_appeal", "appeals_assignment", "appeals_event", "appeals_appealread")
SEQ_SCAN = re.compile(r"Seq Scan on ({})\b".format("|".join(BIG_TABLES)))
# A node that consumes its whole input: its `rows=` (actual) says how much it read.
WHOLE = re.compile(
    r"(Sort|HashAggregate|Hash|GroupAggregate|Aggregate|Bitmap Index Scan)\b.*rows=(\d+)"
)


def explain(title: str, qs: QuerySet) -> None:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}", params)
        plan = [row[0] for row in cur.fetchall()]
    print(f"--- {title}")
    print("\n".join(plan), flush=True)


def plan_of(sql: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SAVEPOINT explain_page")
        try:
            cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
            return [row[0] for row in cur.fetchall()]
        finally:
            cur.execute("ROLLBACK TO SAVEPOINT explain_page")


def defects(plan: list[str], rows: int) -> list[str]:
    found = []
    for line in plan:
        if SEQ_SCAN.search(line):
            found.append(line.strip())
            continue
        whole = WHOLE.search(line)
        if whole and int(whole.group(2)) > rows:
            found.append(line.strip())
    return found


def sweep(personas: list[str], only: str, rows: int, show_all: bool) -> None:
    """Every query of every page of bench/pages.py, EXPLAINed; the suspicious ones printed."""
    from django.db import transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pages_for, username_of

    for persona in personas:
        user = User.objects.get(username=username_of(persona))
        client = Client()
        client.force_login(user)
        for label, url in pages_for(user):
            if only not in label:
                continue
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            print(f"=== {persona} | {label} | {url} | {len(captured)} queries", flush=True)
            with transaction.atomic():
                for i, query in enumerate(captured.captured_queries):
                    sql = query["sql"]
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    plan = plan_of(sql)
                    total = next((p for p in plan if p.startswith("Execution Time")), "")
                    bad = defects(plan, rows)
                    if bad or show_all:
                        print(f"  [{i}] {total}  {sql[:300]}")
                        for line in plan if show_all else bad:
                            print(f"      {line}")
                transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", action="store_true", help="sweep every page's queries")
    parser.add_argument("--personas", default=",".join(PERSONAS))
    parser.add_argument("--only", default="", help="only pages whose label contains this")
    parser.add_argument("--rows", type=int, default=2000, help="flag nodes reading more rows")
    parser.add_argument("--all", action="store_true", help="print every plan in full")
    args = parser.parse_args()
    if args.pages:
        sweep(args.personas.split(","), args.only, args.rows, args.all)
        return
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
