"""The monthly report (R-ORG-7): figures of a month for a scope, frozen once the month closed.

A closed month is read from its stored facts (`MonthFact`): the cost is that month's rows within
the scope, not the history. The current month (or one not yet closed) is derived live from the
events by the same code that closes it, so a month reads the same just before and after it
closed. Closing is idempotent (`MonthClose` is unique per month) and runs from celery beat
(`reports.tasks.close_months`) and from `manage.py month_figures`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from murojaat.appeals.deadlines import TASHKENT
from murojaat.appeals.models import Appeal, FeedbackForm, Outcome
from murojaat.orgs.models import Organisation

from . import facts as F
from . import figures as stored_figures
from .facts import Fact, month_instants
from .models import MonthClose, MonthFact, MonthFigure, MonthSnapshot

# The columns of the report, in order; outcomes are per issue (L-9).
COLUMNS: tuple[str, ...] = (
    F.RECEIVED,
    F.ROUTED,
    F.RETURNED,
    F.ACCEPTED_LATE,
    F.ON_TIME,
    F.LATE,
    F.EXTENDED,
    F.IN_WORK,
    F.OVERDUE,
    F.CLOSED,
    *Outcome.values,
    "feedback",
    "refusal_acts",
    "violations",
    "excused",
    "confirmed",
    "measures",
    "receptions",
    "visitors",
)

_COLUMN_OF_METRIC = {
    F.VIOLATION: "violations",
    F.MEASURE: "measures",
    F.RECEPTION: "receptions",
    F.VISITOR: "visitors",
    F.EXCUSED: "excused",
    F.CONFIRMED: "confirmed",
    F.FEEDBACK: "feedback",
}
# Breakdowns of the totals: (name, metric, attribute of the fact that names the bucket).
BREAKDOWNS = (
    ("channel", F.RECEIVED, "channel"),
    ("kind", F.RECEIVED, "kind"),
    ("topic", F.RECEIVED, "topic"),
    ("feedback", F.FEEDBACK, "key"),
    ("violation", F.VIOLATION, "key"),
    ("measure", F.MEASURE, "key"),
    ("reception", F.RECEPTION, "key"),
)


def columns_of(fact: Fact) -> list[str]:
    if fact.metric == F.OUTCOME:
        return [fact.key]
    if fact.metric == F.FEEDBACK and fact.key == FeedbackForm.REFUSAL_ACT:
        return ["feedback", "refusal_acts"]
    return [_COLUMN_OF_METRIC.get(fact.metric, fact.metric)]


@dataclass(frozen=True)
class Filter:
    """Which facts a report reads: a subtree (None: the whole ministry), a region, a district."""

    org_path: str | None = None
    region_id: int | None = None
    district_id: int | None = None

    def matches(self, fact: Fact) -> bool:
        if self.org_path is not None and not (
            fact.org_id is not None and fact.org_path.startswith(self.org_path)
        ):
            return False
        if self.region_id is not None and fact.region_id != self.region_id:
            return False
        return self.district_id is None or fact.district_id == self.district_id

    def counts(self, fact: Fact) -> bool:
        """Whether the fact counts in the scope's totals (each ref once per column).

        The whole ministry takes its appeal-level figures from its own acts. A subtree counts
        what came into it from outside: forwarding inside it is not intake."""
        if self.org_path is None:
            return (fact.org_id is None) == (fact.metric in F.MINISTRY_LEVEL)
        if fact.metric == F.RECEIVED:
            return not (fact.source_path and fact.source_path.startswith(self.org_path))
        return True


@dataclass
class Figures:
    totals: dict[str, int]
    by_org: dict[int, dict[str, int]]
    breakdowns: dict[str, dict[str, int]]
    appeals: dict[tuple[int | None, str], set[int]] = field(repr=False, default_factory=dict)


def aggregate(facts: Iterable[Fact], flt: Filter) -> Figures:
    """Distinct refs per column: an appeal forwarded down the tree counts once in a total and
    once in each organisation's row."""
    totals: dict[str, set[str]] = defaultdict(set)
    rows: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    parts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    # The appeals behind each figure, for the drill-down: (organisation or None, column).
    appeals: dict[tuple[int | None, str], set[int]] = defaultdict(set)
    for fact in facts:
        if not flt.matches(fact):
            continue
        cols = columns_of(fact)
        if fact.org_id is not None:
            for col in cols:
                rows[fact.org_id][col].add(fact.ref)
                if fact.appeal_id is not None:
                    appeals[(fact.org_id, col)].add(fact.appeal_id)
        if not flt.counts(fact):
            continue
        for col in cols:
            totals[col].add(fact.ref)
            if fact.appeal_id is not None:
                appeals[(None, col)].add(fact.appeal_id)
        for name, metric, attr in BREAKDOWNS:
            if fact.metric == metric:
                parts[name][getattr(fact, attr)].add(fact.ref)
    return Figures(
        totals={c: len(totals.get(c, ())) for c in COLUMNS},
        by_org={org: {c: len(v) for c, v in cols.items()} for org, cols in rows.items()},
        breakdowns={n: {k: len(v) for k, v in b.items()} for n, b in parts.items()},
        appeals=dict(appeals),
    )


# --- the store ----------------------------------------------------------------------------------


def is_closable(year: int, month: int, now: datetime | None = None) -> bool:
    """Only a month that has ended closes."""
    return month_instants(year, month)[1] <= (now or timezone.now())


def closed(year: int, month: int) -> MonthClose | None:
    return MonthClose.objects.filter(year=year, month=month).first()


def stored_facts(year: int, month: int, flt: Filter) -> list[Fact]:
    qs = MonthFact.objects.filter(year=year, month=month)
    if flt.org_path is not None:
        qs = qs.filter(org_path__startswith=flt.org_path, org_id__isnull=False)
    if flt.region_id is not None:
        qs = qs.filter(region_id=flt.region_id)
    if flt.district_id is not None:
        qs = qs.filter(district_id=flt.district_id)
    return [Fact(*row) for row in qs.values_list(*F.FACT_FIELDS).iterator(chunk_size=5000)]


def facts_for(year: int, month: int, flt: Filter) -> tuple[list[Fact], MonthClose | None]:
    """A closed month's stored facts, or the month derived live from the events."""
    record = closed(year, month)
    if record is not None:
        return stored_facts(year, month, flt), record
    return [f for f in F.month_facts(year, month) if flt.matches(f)], None


def _insert_facts(year: int, month: int, rows: Iterable[Fact]) -> None:
    """Store a month's facts: PostgreSQL's COPY (tens of thousands of rows in a fraction of a
    second), else bulk_create."""
    if connection.vendor != "postgresql":
        MonthFact.objects.bulk_create(
            (MonthFact(year=year, month=month, **r._asdict()) for r in rows), batch_size=2000
        )
        return
    column = {f.name: f.column for f in MonthFact._meta.concrete_fields if f.column}
    names = ("year", "month", *F.FACT_FIELDS)
    columns = ", ".join(connection.ops.quote_name(column[name]) for name in names)
    table = connection.ops.quote_name(MonthFact._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for r in rows:
            copy.write_row((year, month, *r))


@transaction.atomic
def close_month(year: int, month: int) -> MonthClose:
    """Freeze a month that has ended; a second call (or a concurrent one) changes nothing."""
    record = closed(year, month)
    if record is not None:
        return record
    if not is_closable(year, month):
        raise ValueError(f"{year:04d}-{month:02d} has not ended yet")
    rows = F.month_facts(year, month)
    # A refresh of the month's provisional snapshot finishes first (`snapshot_month`).
    snapshots = list(MonthSnapshot.objects.select_for_update().filter(year=year, month=month))
    try:
        with transaction.atomic():
            record = MonthClose.objects.create(
                year=year, month=month, facts=len(rows), digest=F.digest(rows)
            )
    except IntegrityError:
        return MonthClose.objects.get(year=year, month=month)
    # The final figures replace the provisional ones (the snapshot's rows of this month).
    MonthSnapshot.objects.filter(pk__in=[x.pk for x in snapshots]).delete()
    MonthFact.objects.filter(year=year, month=month).delete()
    _insert_facts(year, month, rows)
    record.figures = stored_figures.store(year, month, rows)
    record.save(update_fields=["figures"])
    return record


# --- the running month: a provisional snapshot -----------------------------------------------


def snapshot_minutes() -> int:
    """How often celery beat refreshes the running month's figures."""
    return int(getattr(settings, "REPORTS_SNAPSHOT_MINUTES", 10))


def running_month(now: datetime | None = None) -> tuple[int, int]:
    local = timezone.localtime(now or timezone.now(), TASHKENT)
    return local.year, local.month


def snapshot(year: int, month: int) -> MonthSnapshot | None:
    """The month's provisional snapshot, once its figures were written (not the bare row a
    first refresh creates before it counts)."""
    return MonthSnapshot.objects.filter(year=year, month=month).exclude(digest="").first()


def snapshot_month(year: int, month: int, now: datetime | None = None) -> MonthSnapshot | None:
    """Count the running month from the events and store its figures as provisional, as of the
    time the derivation began. A month that has ended is closed instead, never snapshotted
    (None): its provisional figures stay until `close_month` replaces them.

    Against a concurrent close: the snapshot's row exists (committed) before its rows are
    written under its lock, and `close_month` takes the same lock before it writes; a month
    can only close once it has ended, which is checked again under the lock."""
    as_of = now or timezone.now()
    if is_closable(year, month):
        return snapshot(year, month) if closed(year, month) is None else None
    rows = F.month_facts(year, month)
    MonthSnapshot.objects.get_or_create(year=year, month=month, defaults={"as_of": as_of})
    with transaction.atomic():
        record = MonthSnapshot.objects.select_for_update().filter(year=year, month=month).first()
        if record is None or closed(year, month) is not None or is_closable(year, month):
            if record is not None and not record.digest:  # never filled: not a snapshot
                record.delete()
            return None
        MonthFact.objects.filter(year=year, month=month).delete()
        _insert_facts(year, month, rows)
        record.as_of = as_of
        record.facts = len(rows)
        record.digest = F.digest(rows)
        record.figures = stored_figures.store(year, month, rows)
        record.save()
    return record


def refresh_running_month(now: datetime | None = None) -> MonthSnapshot | None:
    """Every few minutes (celery beat): a month that ended since its last snapshot closes (its
    final figures replace the provisional ones), and the running month is counted again."""
    now = now or timezone.now()
    current = running_month(now)
    for year, month in MonthSnapshot.objects.values_list("year", "month"):
        if (year, month) != current and is_closable(year, month, now):
            close_month(year, month)
    return snapshot_month(*current, now=now)


@transaction.atomic
def count_figures(year: int, month: int) -> MonthClose:
    """Count the figures of a month closed before they were stored, from its stored facts."""
    record = MonthClose.objects.select_for_update().get(year=year, month=month)
    record.figures = stored_figures.store(year, month, stored_facts(year, month, Filter()))
    record.save(update_fields=["figures"])
    return record


def months_to_count() -> list[tuple[int, int]]:
    return list(
        MonthClose.objects.filter(figures__isnull=True)
        .order_by("year", "month")
        .values_list("year", "month")
    )


@dataclass
class Verification:
    year: int
    month: int
    stored: str
    derived: str
    stored_rows: str

    @property
    def ok(self) -> bool:
        return self.stored == self.derived == self.stored_rows


def verify_month(year: int, month: int) -> Verification:
    """Derive the closed month again from the events and compare with what was frozen (the
    digest written at closing, and the stored rows themselves)."""
    record = MonthClose.objects.get(year=year, month=month)
    derived = F.digest(F.month_facts(year, month))
    rows = F.digest(stored_facts(year, month, Filter()))
    return Verification(year, month, record.digest, derived, rows)


@transaction.atomic
def rebuild_month(year: int, month: int) -> MonthClose:
    """Replace a closed month's facts by a fresh derivation (after a fix of the derivation)."""
    MonthFact.objects.filter(year=year, month=month).delete()
    MonthFigure.objects.filter(year=year, month=month).delete()
    MonthClose.objects.filter(year=year, month=month).delete()
    return close_month(year, month)


def months_to_close(now: datetime | None = None) -> list[tuple[int, int]]:
    """Every ended month since the first appeal that is not closed yet, oldest first."""
    now = now or timezone.now()
    first = Appeal.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if first is None:
        return []
    first_local = timezone.localtime(first, TASHKENT)
    year, month = first_local.year, first_local.month
    done = set(MonthClose.objects.values_list("year", "month"))
    months = []
    while is_closable(year, month, now):
        if (year, month) not in done:
            months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- the report -------------------------------------------------------------------------------


@dataclass
class Row:
    org: Organisation
    values: dict[str, int]

    def n(self, key: str) -> int:
        return self.values.get(key, 0)


@dataclass
class MonthlyFigures:
    year: int
    month: int
    flt: Filter
    rows: list[Row]
    totals: dict[str, int]
    breakdowns: dict[str, dict[str, int]]
    record: MonthClose | None
    appeals: dict[tuple[int | None, str], set[int]]
    snapshot: MonthSnapshot | None = None  # the running month's provisional figures

    @property
    def is_closed(self) -> bool:
        return self.record is not None

    @property
    def as_of(self) -> datetime | None:
        return self.snapshot.as_of if self.snapshot is not None else None

    @property
    def refresh_minutes(self) -> int:
        return snapshot_minutes()


def counted_figures(year: int, month: int, flt: Filter) -> Figures:
    """A closed month's report as counted when it closed (`figures.py`): three reads of a few
    hundred rows, whatever the number of appeals. Totals and breakdowns are stored per
    subtree; an organisation's row is the same in every subtree it lies in."""
    scope = flt.org_path or stored_figures.WHOLE
    base = MonthFigure.objects.filter(year=year, month=month)
    totals: dict[str, int] = dict.fromkeys(COLUMNS, 0)
    breakdowns: dict[str, dict[str, int]] = defaultdict(dict)
    for part, key, n in base.filter(
        scope_path=scope, part__in=(stored_figures.TOTAL, stored_figures.BREAKDOWN)
    ).values_list("part", "key", "n"):
        if part == stored_figures.TOTAL:
            totals[key] = n
        else:
            name, _sep, bucket = key.partition(":")
            breakdowns[name][bucket] = n
    rows = base.filter(scope_path=stored_figures.WHOLE, part=stored_figures.ROW)
    if flt.org_path is not None:
        rows = rows.filter(org_path__startswith=flt.org_path)
    by_org: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, key, n in rows.values_list("org_id", "key", "n"):
        by_org[org_id][key] = n
    return Figures(totals=totals, by_org=dict(by_org), breakdowns=dict(breakdowns))


def monthly_figures(year: int, month: int, flt: Filter, drill: bool = False) -> MonthlyFigures:
    """The report of a month. A closed month whose figures were counted reads them (unless a
    region or district filter, or a drill-down to the appeals behind a figure, needs the
    facts); any other month is counted from its facts, stored or derived live."""
    record = closed(year, month)
    # A month not closed reads its provisional snapshot when celery beat has stored one; with
    # none yet (a fresh install) it is derived from the events.
    provisional = snapshot(year, month) if record is None else None
    counted = record.figures is not None if record is not None else provisional is not None
    if counted and not drill and flt.region_id is None and flt.district_id is None:
        figures = counted_figures(year, month, flt)
    elif record is not None or provisional is not None:
        figures = aggregate(stored_facts(year, month, flt), flt)
    else:
        figures = aggregate((f for f in F.month_facts(year, month) if flt.matches(f)), flt)
    orgs = Organisation.objects.in_bulk(list(figures.by_org))
    rows = [
        Row(orgs[pk], values)
        for pk, values in figures.by_org.items()
        if pk in orgs and any(values.values())
    ]
    rows.sort(key=lambda r: r.org.path)
    return MonthlyFigures(
        year=year,
        month=month,
        flt=flt,
        rows=rows,
        totals=figures.totals,
        breakdowns=figures.breakdowns,
        record=record,
        appeals=figures.appeals,
        snapshot=provisional,
    )


def appeal_ids(figures: MonthlyFigures, column: str, org_id: int | None = None) -> set[int]:
    """The appeals behind one figure (the drill-down list); `org_id` picks an organisation's
    row, None the totals."""
    return figures.appeals.get((org_id, column), set())


# --- trends -------------------------------------------------------------------------------------

TREND_COLUMNS = (F.RECEIVED, F.ON_TIME, F.LATE, F.OVERDUE)


def trend(flt: Filter, months: int = 12) -> list[tuple[int, int, dict[str, int]]]:
    """Closed months, oldest first, with their main figures: one GROUP BY over the stored facts
    (the same rule as `Filter.counts`, in SQL), never a derivation from the events."""
    recent = list(
        MonthClose.objects.order_by("-year", "-month").values_list("year", "month", "figures")[
            :months
        ]
    )
    closes = [(y, m) for y, m, _n in recent][::-1]
    if not closes:
        return []
    counted = all(n is not None for *_x, n in recent)
    if flt.region_id is None and flt.district_id is None and counted:
        # Counted when each month closed: a few rows a month, whatever the volume.
        stored: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
        for year, month, key, n in MonthFigure.objects.filter(
            scope_path=flt.org_path or stored_figures.WHOLE,
            part=stored_figures.TOTAL,
            key__in=TREND_COLUMNS,
            year__gte=closes[0][0],
        ).values_list("year", "month", "key", "n"):
            stored[(year, month)][key] = n
        return [(y, m, {c: stored[(y, m)].get(c, 0) for c in TREND_COLUMNS}) for y, m in closes]
    qs = MonthFact.objects.filter(year__gte=closes[0][0], metric__in=TREND_COLUMNS).exclude(
        year=closes[0][0], month__lt=closes[0][1]
    )
    if flt.org_path is None:
        ministry = Q(metric__in=F.MINISTRY_LEVEL)
        qs = qs.filter((ministry & Q(org_id__isnull=True)) | (~ministry & Q(org_id__isnull=False)))
    else:
        qs = qs.filter(org_path__startswith=flt.org_path, org_id__isnull=False).exclude(
            metric=F.RECEIVED, source_path__startswith=flt.org_path
        )
    if flt.region_id is not None:
        qs = qs.filter(region_id=flt.region_id)
    if flt.district_id is not None:
        qs = qs.filter(district_id=flt.district_id)
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for year, month, metric, n in (
        qs.values("year", "month", "metric")
        .annotate(n=Count("ref", distinct=True))
        .values_list("year", "month", "metric", "n")
        .order_by()
    ):
        counts[(year, month)][metric] = n
    return [(y, m, {c: counts[(y, m)].get(c, 0) for c in TREND_COLUMNS}) for y, m in closes]
