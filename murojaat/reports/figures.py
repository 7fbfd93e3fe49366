"""A closed month's figures, counted once when it closes (issue 9 items 1 and 3).

The facts of a month (`facts.py`) hold one row per thing counted, so reading them costs what the
month held: at a million appeals a month is ~30,000 appeals and ~100,000 facts, and the monthly
report of the whole ministry would count them all on every request. When a month closes, the
figures every page reads are counted here once, for the whole ministry and for the subtree of
every organisation that had anything that month:

- the monthly report: its totals and breakdowns per subtree (COUNT DISTINCT is not additive
  over a tree: an appeal forwarded from a region to a district counts once in the region's
  total), and each organisation's row, which does not depend on the subtree it is read in;
- the dashboards: the appeals received that month per topic, channel and the author's region
  (the whole ministry's, or those a subtree held without returning them), and each
  organisation's answers and on-time answers by the date they were given.

So a past period costs the number of organisations and buckets, not the number of appeals.
Every figure is computed by the same rule as the live page (`monthly.Filter`,
`selectors.Scope.charted_appeals`, `selectors.on_time_by_organisation`);
tests/reports/test_month_store.py checks the stored figures against a fresh derivation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from murojaat.appeals.deadlines import TASHKENT
from murojaat.appeals.models import Appeal, Assignment, AssignmentState
from murojaat.orgs.models import PATH_STEP, Organisation

from . import facts as F_
from .facts import Fact, month_instants
from .models import MonthFigure

WHOLE = ""  # the scope path of the whole ministry

# Parts of the store.
TOTAL = "total"  # key: a column of the report, per scope
ROW = "row"  # key: a column, per organisation (scope "")
BREAKDOWN = "breakdown"  # key: "<name>:<bucket>", per scope
TOPIC = "topic"  # key: topic pk, per scope (dashboards)
CHANNEL = "channel"
REGION = "region"  # key: region pk or "" (author outside the tree of places)
ANSWERED = "answered"  # per organisation (scope ""), by the answer's date
ON_TIME = "on_time"
REPORT_PARTS = (TOTAL, ROW, BREAKDOWN)
DASHBOARD_PARTS = (TOPIC, CHANNEL, REGION, ANSWERED, ON_TIME)


def prefixes(path: str) -> list[str]:
    """The paths of an organisation's ancestors and its own, root first."""
    step = PATH_STEP + 1
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _report_rows(year: int, month: int, facts: Iterable[Fact]) -> list[MonthFigure]:
    """`monthly.aggregate` for every subtree at once: each fact counts for the whole ministry
    (by `Filter().counts`) and for each subtree its organisation lies in (`Filter.matches`,
    then `Filter.counts` with that subtree's path)."""
    from .monthly import BREAKDOWNS, Filter, columns_of

    whole = Filter()
    totals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    parts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows: dict[tuple[int, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for fact in facts:
        cols = columns_of(fact)
        scopes = [WHOLE] if whole.counts(fact) else []
        if fact.org_id is not None:
            for col in cols:
                rows[(fact.org_id, fact.org_path)][col].add(fact.ref)
            for path in prefixes(fact.org_path):
                if fact.metric == F_.RECEIVED and fact.source_path.startswith(path):
                    continue  # forwarded inside this subtree: not its intake
                scopes.append(path)
        for scope in scopes:
            for col in cols:
                totals[scope][col].add(fact.ref)
            for name, metric, attr in BREAKDOWNS:
                if fact.metric == metric:
                    parts[scope][f"{name}:{getattr(fact, attr)}"].add(fact.ref)
    out = []
    for scope, cols_ in totals.items():
        out += [_row(year, month, scope, TOTAL, c, len(refs)) for c, refs in cols_.items()]
    for scope, buckets in parts.items():
        out += [_row(year, month, scope, BREAKDOWN, k, len(refs)) for k, refs in buckets.items()]
    for (org_id, org_path), cols_ in rows.items():
        out += [
            _row(year, month, WHOLE, ROW, c, len(refs), org_id=org_id, org_path=org_path)
            for c, refs in cols_.items()
        ]
    return out


def _row(
    year: int,
    month: int,
    scope: str,
    part: str,
    key: str,
    n: int,
    org_id: int | None = None,
    org_path: str = "",
) -> MonthFigure:
    return MonthFigure(
        year=year,
        month=month,
        scope_path=scope,
        part=part,
        key=key[:80],
        n=n,
        org_id=org_id,
        org_path=org_path,
    )


def _dashboard_rows(year: int, month: int) -> list[MonthFigure]:
    """The dashboards' charts of the appeals received in the month, and the answers given in
    it per organisation. A subtree's charts count the appeals it held without returning them
    (`Scope.charted_appeals`), so each appeal counts once per subtree however many of the
    subtree's organisations held it."""
    start, end = month_instants(year, month)
    appeals = {
        a["pk"]: a
        for a in Appeal.objects.filter(received_at__gte=start, received_at__lt=end).values(
            "pk", "channel", "author_region_id"
        )
    }
    topics: dict[int, list[int]] = defaultdict(list)
    for appeal_id, topic_id in Appeal.topics.through.objects.filter(
        appeal__received_at__gte=start, appeal__received_at__lt=end
    ).values_list("appeal_id", "topic_id"):
        topics[appeal_id].append(topic_id)
    paths = dict(Organisation.objects.values_list("pk", "path"))
    held: dict[int, set[str]] = defaultdict(set)
    for appeal_id, org_id in (
        Assignment.objects.filter(appeal__received_at__gte=start, appeal__received_at__lt=end)
        .exclude(state=AssignmentState.RETURNED)
        .values_list("appeal_id", "org_id")
        .distinct()
    ):
        if org_id in paths:
            held[appeal_id].update(prefixes(paths[org_id]))
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for pk, a in appeals.items():
        for scope in (WHOLE, *held.get(pk, ())):
            counts[(scope, CHANNEL, a["channel"])] += 1
            counts[(scope, REGION, str(a["author_region_id"] or ""))] += 1
            for topic_id in topics.get(pk, ()):
                counts[(scope, TOPIC, str(topic_id))] += 1
    out = [_row(year, month, s, part, k, n) for (s, part, k), n in counts.items()]
    answered = (
        Assignment.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .annotate(answered_on=TruncDate("answered_at", tzinfo=TASHKENT))
        .values("org")
        .annotate(
            answered=Count("pk"), on_time=Count("pk", filter=Q(answered_on__lte=F("due_date")))
        )
        .order_by("org")
    )
    for r in answered:
        path = paths.get(r["org"], "")
        for part, value in ((ANSWERED, r["answered"]), (ON_TIME, r["on_time"])):
            if value:
                out.append(_row(year, month, WHOLE, part, "", value, r["org"], path))
    return out


def month_rows(year: int, month: int, facts: Iterable[Fact]) -> list[MonthFigure]:
    return _report_rows(year, month, facts) + _dashboard_rows(year, month)


def store(year: int, month: int, facts: Iterable[Fact]) -> int:
    """Count and store a month's figures (replacing any); the caller holds the transaction."""
    MonthFigure.objects.filter(year=year, month=month).delete()
    rows = month_rows(year, month, facts)
    MonthFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
