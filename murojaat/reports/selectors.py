"""Read-only aggregations for the dashboards (the monthly report is `monthly.py`).

Everything starts from the scoping selectors of the appeals app: the working group (and
auditors) see the whole ministry, an organisation's staff see their own subtree. Each figure is
one GROUP BY or one conditional aggregate, so the number of queries does not grow with the
number of appeals (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language

from murojaat.accounts.models import User
from murojaat.appeals import selectors
from murojaat.appeals.deadlines import TASHKENT
from murojaat.appeals.models import (
    OPEN_ASSIGNMENT_STATES,
    Appeal,
    AppealState,
    Assignment,
    AssignmentState,
    Channel,
    Topic,
)
from murojaat.orgs.models import Organisation, Region
from murojaat.orgs.tree import cached

from . import figures as stored
from .models import MonthClose, MonthFigure

TOP_TOPICS = 10


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TASHKENT)


@dataclass
class Scope:
    """What a dashboard covers: everything, or one organisation and everything under it."""

    user: User
    org: Organisation | None  # None: the whole ministry

    @property
    def whole_ministry(self) -> bool:
        return self.org is None

    @property
    def path(self) -> str:
        """The scope's key in the month-end store: "" for the whole ministry."""
        return stored.WHOLE if self.org is None else self.org.path

    def appeals(self) -> QuerySet[Appeal]:
        return selectors.appeals_visible_to(self.user)

    def charted_appeals(self, since: datetime | None = None) -> QuerySet[Appeal]:
        """The appeals the charts count (topics, channels, regions): the whole ministry's, or
        those the subtree holds or held an assignment on that it did not return (R-P2-3).

        The same rule as the cards: an appeal the organisation returned and the working group
        sent elsewhere stays visible to its head (the history is theirs to read) but is no
        longer their work, so it is not their figure. One subquery, not one more query.
        `since`: the appeals were received then or later, so their assignments were sent then
        or later: the subquery reads the subtree's assignments of the period on the
        `(org, sent_at)` index, not its whole history (issue 9)."""
        if self.org is None:
            return self.appeals()
        kept = self.assignments().exclude(state=AssignmentState.RETURNED)
        if since is not None:
            kept = kept.filter(sent_at__gte=since)
        return Appeal.objects.filter(pk__in=kept.values("appeal"))

    def assignments(self) -> QuerySet[Assignment]:
        if self.org is None:
            return selectors.assignments_visible_to(self.user)
        return selectors.assignments_of_subtree(self.user, self.org)

    def organisations(self) -> QuerySet[Organisation]:
        if self.org is None:
            return Organisation.objects.all()
        return Organisation.objects.subtree_of(self.org)


def scope_for(user: User) -> Scope | None:
    """The working group and auditors: the whole ministry; other staff: their own subtree."""
    if not user.is_authenticated:
        return None
    if selectors.sees_everything(user):
        return Scope(user=user, org=None)
    if user.organisation_id is None:
        return None
    return Scope(user=user, org=user.organisation)


@dataclass
class Period:
    start: date  # inclusive
    end: date  # inclusive

    def q(self, prefix: str = "", field: str = "received_at") -> Q:
        return Q(
            **{
                f"{prefix}{field}__gte": day_start(self.start),
                f"{prefix}{field}__lt": day_start(self.end + timedelta(days=1)),
            }
        )


@dataclass
class Split:
    """A period cut into the closed months wholly inside it, read from the month-end store
    (`figures.py`), and the days left (the running month, a partly covered month, a month not
    closed yet), aggregated from the rows on an indexed time range. So a dashboard of a year
    costs the store's few rows a month plus at most two stretches of days, whatever the
    history (issue 9 items 1 and 3)."""

    months: list[tuple[int, int]]
    live: list[Period]
    buckets: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def q(self, field: str = "received_at") -> Q:
        q = Q(pk__in=[])
        for part in self.live:
            q |= part.q(field=field)
        return q

    @property
    def since(self) -> datetime | None:
        return day_start(self.live[0].start) if self.live else None

    def stored(self) -> QuerySet[MonthFigure]:
        by_year: dict[int, list[int]] = {}
        for year, month in self.months:
            by_year.setdefault(year, []).append(month)
        q = Q(pk__in=[])
        for year, months in by_year.items():
            q |= Q(year=year, month__in=months)
        return MonthFigure.objects.filter(q)


def split(period: Period) -> Split:
    """One query: which months of the period are closed with their figures counted."""
    first = period.start.replace(day=1)
    counted = set(
        MonthClose.objects.filter(figures__isnull=False, year__gte=first.year)
        .filter(year__lte=period.end.year)
        .values_list("year", "month")
    )
    months: list[tuple[int, int]] = []
    live: list[Period] = []
    cursor = first
    while cursor <= period.end:
        nxt = (cursor + timedelta(days=32)).replace(day=1)
        start, end = max(cursor, period.start), min(nxt - timedelta(days=1), period.end)
        whole = start == cursor and end == nxt - timedelta(days=1)
        if whole and (cursor.year, cursor.month) in counted:
            months.append((cursor.year, cursor.month))
        elif live and live[-1].end + timedelta(days=1) == start:
            live[-1] = Period(live[-1].start, end)
        else:
            live.append(Period(start, end))
        cursor = nxt
    return Split(months, live)


def _stored_buckets(scope: Scope, parts: Split, part: str) -> dict[str, int]:
    """The store's counts of the period's closed months for one chart; the three charts are
    read in one query, kept on the split."""
    if not parts.months:
        return {}
    if scope.path not in parts.buckets:
        found: dict[str, dict[str, int]] = {}
        for part_, key, n in (
            parts.stored()
            .filter(scope_path=scope.path, part__in=(stored.TOPIC, stored.CHANNEL, stored.REGION))
            .values("part", "key")
            .annotate(total=Sum("n"))
            .values_list("part", "key", "total")
            .order_by()
        ):
            found.setdefault(part_, {})[key] = n
        parts.buckets[scope.path] = found
    return parts.buckets[scope.path].get(part, {})


# --- the figures --------------------------------------------------------------------------------


def intake_summary(scope: Scope, today: date) -> dict[str, int]:
    """Intake today and this month, the backlog and what is open, in one query.

    The whole ministry counts appeals by their own state and deadline: the working group routes
    them. An organisation counts its subtree's assignments instead, because an appeal's state
    says nothing about a subtree that returned it or was never asked again: an appeal counts as
    received when an assignment entered the subtree (from outside it) that day or month, waits
    while an assignment of the subtree is still to accept, is open while one is open and
    overdue while one is past its own due date.
    """
    if scope.org is not None:
        return _subtree_summary(scope, today)
    month_start = today.replace(day=1)
    # Only this month's intake and what is open can count: the WHERE says so, so the read is
    # a BitmapOr of the received_at and (state, due_date) indexes, not a pass over history.
    open_states = [
        AppealState.NEW,
        AppealState.IN_WORK,
        AppealState.ANSWER_READY,
        AppealState.SENT_TO_SOURCE,
    ]
    relevant = Q(received_at__gte=day_start(month_start)) | Q(state__in=open_states)
    return (
        scope.appeals()
        .filter(relevant)
        .aggregate(
            today=Count("pk", filter=Q(received_at__gte=day_start(today))),
            month=Count("pk", filter=Q(received_at__gte=day_start(month_start))),
            backlog=Count("pk", filter=Q(state=AppealState.NEW)),
            open=Count("pk", filter=Q(state__in=open_states)),
            overdue=Count(
                "pk",
                filter=Q(
                    state__in=[AppealState.NEW, AppealState.IN_WORK],
                    due_date__lt=today,
                ),
            ),
        )
    )


def _subtree_summary(scope: Scope, today: date) -> dict[str, int]:
    """The cards of an organisation: distinct appeals, from the subtree's assignments."""
    assert scope.org is not None
    month_start = today.replace(day=1)
    # Forwarding inside the subtree is not intake: only hops that came from outside it count.
    entered = Q(parent__isnull=True) | ~Q(sender_org_id__in=scope.org.subtree_ids())
    running = [AssignmentState.SENT, AssignmentState.ACCEPTED]

    def appeals(condition: Q) -> Count:
        return Count("appeal", filter=condition, distinct=True)

    # Only this month's hops and open assignments count: both on the (org, ...) indexes.
    relevant = Q(sent_at__gte=day_start(month_start)) | Q(state__in=OPEN_ASSIGNMENT_STATES)
    return (
        scope.assignments()
        .filter(relevant)
        .aggregate(
            today=appeals(entered & Q(sent_at__gte=day_start(today))),
            month=appeals(entered & Q(sent_at__gte=day_start(month_start))),
            backlog=appeals(Q(state=AssignmentState.SENT)),
            open=appeals(Q(state__in=OPEN_ASSIGNMENT_STATES)),
            overdue=appeals(Q(state__in=running, due_date__lt=today)),
        )
    )


@dataclass
class OrgFigure:
    org: Organisation
    values: dict[str, int] = field(default_factory=dict)

    def n(self, key: str) -> int:
        """One figure, 0 when absent. (Not __getitem__: templates would take every attribute
        lookup for a key.)"""
        return self.values.get(key, 0)

    @property
    def rating(self) -> float | None:
        """The citizens' average rating (1-5) of the answers the organisation led."""
        count = self.values.get("ratings", 0)
        return self.values.get("rating_sum", 0) / count if count else None

    @property
    def on_time_rate(self) -> float | None:
        answered = self.values.get("answered", 0)
        if not answered:
            return None
        return 100.0 * self.values.get("on_time", 0) / answered


def _orgs_by_pk(pks: Iterable[int]) -> dict[int, Organisation]:
    return Organisation.objects.in_bulk(list(pks))


def overdue_by_organisation(scope: Scope, today: date) -> list[OrgFigure]:
    """Open assignments past their due date, per organisation, most overdue first."""
    rows = (
        selectors.overdue(scope.assignments(), today)
        .values("org")
        .annotate(n=Count("pk"))
        .order_by("-n", "org")
    )
    rows = list(rows)
    orgs = _orgs_by_pk(r["org"] for r in rows)
    return [OrgFigure(orgs[r["org"]], {"overdue": r["n"]}) for r in rows]


def _answered_local_date() -> Any:
    return TruncDate("answered_at", tzinfo=TASHKENT)


def on_time_by_organisation(
    scope: Scope, period: Period | None = None, parts: Split | None = None
) -> list[OrgFigure]:
    """Answered assignments whose answer was submitted (Tashkent date) on or before the due date,
    over all answered, per organisation. `period` limits by the answer's date; its closed
    months are read from the month-end store, the rest from the assignments."""
    qs = scope.assignments().filter(answered_at__isnull=False)
    values: dict[int, dict[str, int]] = {}
    if period is not None:
        parts = parts or split(period)
        qs = qs.filter(parts.q("answered_at")) if parts.live else qs.none()
        if parts.months:
            counted = parts.stored().filter(
                scope_path=stored.WHOLE, part__in=(stored.ANSWERED, stored.ON_TIME)
            )
            if scope.org is not None:
                counted = counted.filter(org_id__in=scope.org.subtree_ids())
            for org_id, part, n in (
                counted.values("org_id", "part")
                .annotate(total=Sum("n"))
                .values_list("org_id", "part", "total")
                .order_by()
            ):
                figure = values.setdefault(org_id, {"answered": 0, "on_time": 0})
                figure[part] += n
    rows = (
        list(
            qs.annotate(answered_on=_answered_local_date())
            .values("org")
            .annotate(
                answered=Count("pk"),
                on_time=Count("pk", filter=Q(answered_on__lte=F("due_date"))),
            )
            .order_by("org")
        )
        if not (period is not None and parts is not None and not parts.live)
        else []
    )
    for r in rows:
        figure = values.setdefault(r["org"], {"answered": 0, "on_time": 0})
        figure["answered"] += r["answered"]
        figure["on_time"] += r["on_time"]
    orgs = _orgs_by_pk(values)
    figures = [OrgFigure(orgs[pk], v) for pk, v in values.items() if pk in orgs and v["answered"]]
    figures.sort(key=lambda f: (f.on_time_rate or 0, f.org.path))
    return figures


@dataclass
class Bucket:
    key: str
    label: str
    count: int


def _live_counts(scope: Scope, parts: Split, field: str, **filters: Any) -> dict[Any, int]:
    """Appeals of the days the store does not cover, per `field`: one GROUP BY on the
    received_at range (none when the store covers the whole period)."""
    if not parts.live:
        return {}
    return dict(
        scope.charted_appeals(parts.since)
        .filter(parts.q(), **filters)
        .values_list(field)
        .annotate(n=Count("pk"))
        .order_by()
    )


def top_topics(
    scope: Scope, period: Period, limit: int = TOP_TOPICS, parts: Split | None = None
) -> list[Bucket]:
    parts = parts or split(period)
    counts = _live_counts(scope, parts, "topics", topics__isnull=False)
    for key, n in _stored_buckets(scope, parts, stored.TOPIC).items():
        counts[int(key)] = counts.get(int(key), 0) + n
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    topics = Topic.objects.in_bulk([pk for pk, _n in ranked]) if ranked else {}
    return [Bucket(topics[pk].code, topics[pk].name, n) for pk, n in ranked if pk in topics]


def by_channel(scope: Scope, period: Period, parts: Split | None = None) -> list[Bucket]:
    parts = parts or split(period)
    counts = _live_counts(scope, parts, "channel")
    for key, n in _stored_buckets(scope, parts, stored.CHANNEL).items():
        counts[key] = counts.get(key, 0) + n
    return [
        Bucket(value, str(label), counts.get(value, 0))
        for value, label in Channel.choices
        if counts.get(value)
    ]


def by_region(scope: Scope, period: Period, parts: Split | None = None) -> list[Bucket]:
    parts = parts or split(period)
    counts: dict[int | None, int] = _live_counts(scope, parts, "author_region")
    for key, n in _stored_buckets(scope, parts, stored.REGION).items():
        region_id = int(key) if key else None
        counts[region_id] = counts.get(region_id, 0) + n
    # Most first; then by region, the author without a region last (as PostgreSQL orders NULL).
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))
    regions = Region.objects.in_bulk([pk for pk, _n in ranked if pk]) if ranked else {}
    buckets = []
    for pk, n in ranked:
        region = regions.get(pk) if pk else None
        if region is None:
            buckets.append(Bucket("", "", n))  # label filled by the view (translated)
        else:
            buckets.append(Bucket(region.soato, region.name, n))
    return buckets


@dataclass
class Dashboard:
    scope: Scope
    today: date
    period: Period
    summary: dict[str, int]
    overdue: list[OrgFigure]
    on_time: list[OrgFigure]
    topics: list[Bucket]
    channels: list[Bucket]
    regions: list[Bucket]
    as_of: datetime | None = None  # None: counted for this request


def count_dashboard(scope: Scope, today: date, period: Period) -> Dashboard:
    """Every figure of the dashboard, counted now (see `dashboard` for the cached read)."""
    parts = split(period)
    return Dashboard(
        scope=scope,
        today=today,
        period=period,
        summary=intake_summary(scope, today),
        overdue=overdue_by_organisation(scope, today),
        on_time=on_time_by_organisation(scope, period, parts),
        topics=top_topics(scope, period, parts=parts),
        channels=by_channel(scope, period, parts),
        regions=by_region(scope, period, parts),
    )


# --- the dashboard as its users read it: counted at most REPORTS_LIVE_SECONDS ago -------------


@dataclass(frozen=True)
class Counted:
    """A dashboard's figures without names or objects: what the shared cache keeps, so every
    worker and every language reads the same counts, and names follow the current language
    (and a renamed organisation) when the page is drawn."""

    as_of: datetime
    summary: dict[str, int]
    overdue: list[tuple[int, dict[str, int]]]
    on_time: list[tuple[int, dict[str, int]]]
    topics: list[tuple[str, int]]
    channels: list[tuple[str, int]]
    regions: list[tuple[str, int]]


def _counted(data: Dashboard, as_of: datetime) -> Counted:
    return Counted(
        as_of=as_of,
        summary=dict(data.summary),
        overdue=[(f.org.pk, f.values) for f in data.overdue],
        on_time=[(f.org.pk, f.values) for f in data.on_time],
        topics=[(b.key, b.count) for b in data.topics],
        channels=[(b.key, b.count) for b in data.channels],
        regions=[(b.key, b.count) for b in data.regions],
    )


def _named(counted: Counted, scope: Scope, today: date, period: Period) -> Dashboard:
    """The counts with their organisations, topics, channels and regions, from the per-process
    copies of those small tables (`orgs.tree.cached`, dropped when any of them changes): no
    query."""
    language = get_language() or settings.LANGUAGE_CODE
    orgs = cached(("reports-orgs",), lambda: Organisation.objects.in_bulk())
    topics = cached(
        ("reports-topics", language), lambda: {t.code: t.name for t in Topic.objects.all()}
    )
    regions = cached(
        ("reports-regions", language), lambda: {r.soato: r.name for r in Region.objects.all()}
    )
    channels = dict(Channel.choices)

    def org_figures(rows: list[tuple[int, dict[str, int]]]) -> list[OrgFigure]:
        return [OrgFigure(orgs[pk], dict(values)) for pk, values in rows if pk in orgs]

    return Dashboard(
        scope=scope,
        today=today,
        period=period,
        summary=dict(counted.summary),
        overdue=org_figures(counted.overdue),
        on_time=org_figures(counted.on_time),
        topics=[Bucket(k, topics[k], n) for k, n in counted.topics if k in topics],
        channels=[Bucket(k, str(channels.get(k, k)), n) for k, n in counted.channels],
        regions=[Bucket(k, regions.get(k, ""), n) for k, n in counted.regions],
        as_of=counted.as_of,
    )


def scope_key(scope: Scope) -> str:
    """Who reads the same figures: everyone who sees the whole ministry, or everyone whose
    scope is the same organisation's subtree (the scoping selectors depend on nothing else).
    Never a user's own id: that would count the same figures once per user."""
    return "ministry" if scope.org is None else f"org-{scope.org.pk}"


def _cache_key(scope: Scope, today: date, period: Period) -> str:
    return f"reports:dashboard:{scope_key(scope)}:{today}:{period.start}:{period.end}"


def recount_dashboard(scope: Scope, today: date, period: Period) -> Counted:
    """Count the dashboard now and keep it for every reader of the same scope and period."""
    counted = _counted(count_dashboard(scope, today, period), timezone.now())
    key = _cache_key(scope, today, period)
    # Kept ten times as long as it is fresh: a stale copy is shown (with its time) while one
    # reader's request has it counted again in the background, so no reader waits for a count.
    cache.set(key, counted, timeout=10 * settings.REPORTS_LIVE_SECONDS)
    cache.delete(f"{key}:recounting")
    return counted


def dashboard(scope: Scope, today: date, period: Period) -> Dashboard:
    """The dashboard as of at most REPORTS_LIVE_SECONDS ago (issue 9).

    Its cards count the scope's open work and its charts the running month: both grow with
    the ministry's flow, so counting them on every view would make the page as slow as the
    ministry is big. Counted once per scope and period, kept in the shared cache; the page says
    when. A copy older than REPORTS_LIVE_SECONDS is still shown while the first reader to find
    it stale has it counted again by a Celery worker (once: `cache.add` is the lock). With no
    copy at all (the first view of the day, a new period), the reader's request counts it.
    REPORTS_LIVE_SECONDS = 0 counts on every view. The inboxes stay live: work is done there."""
    fresh_for = settings.REPORTS_LIVE_SECONDS
    if fresh_for <= 0:
        return count_dashboard(scope, today, period)
    key = _cache_key(scope, today, period)
    counted: Counted | None = cache.get(key)
    if counted is None:
        counted = recount_dashboard(scope, today, period)
    elif timezone.now() - counted.as_of >= timedelta(seconds=fresh_for) and cache.add(
        f"{key}:recounting", 1, timeout=fresh_for
    ):
        from .tasks import recount_dashboard as task

        args = (scope.user.pk, today.isoformat(), period.start.isoformat())
        transaction.on_commit(lambda: task.delay(*args, period.end.isoformat()))
    return _named(counted, scope, today, period)


# --- discipline (R-ORG-6, R-P2-13) -------------------------------------------------------------


def discipline_ranking(scope: Scope, period: Period) -> list[OrgFigure]:
    """Organisations of the scope by their discipline over the period: violations recorded
    (excused, confirmed, still to explain), disciplinary measures, the on-time rate of their
    answers and the citizens' ratings of the answers they led. Worst first: most confirmed
    violations, then the lowest on-time rate. One GROUP BY per figure."""
    from murojaat.appeals.models import Violation, ViolationState
    from murojaat.control.models import DisciplinaryMeasure

    start, end = day_start(period.start), day_start(period.end + timedelta(days=1))
    orgs = scope.organisations()
    values: dict[int, dict[str, Any]] = {}

    def put(rows: Iterable[dict[str, Any]], key: str = "org") -> None:
        for r in rows:
            org_id = r.pop(key)
            values.setdefault(org_id, {}).update({k: v for k, v in r.items() if v is not None})

    put(
        Violation.objects.filter(org__in=orgs, detected_at__gte=start, detected_at__lt=end)
        .values("org")
        .annotate(
            violations=Count("pk"),
            excused=Count("pk", filter=Q(state=ViolationState.EXCUSED)),
            confirmed=Count("pk", filter=Q(state=ViolationState.CONFIRMED)),
            awaiting=Count(
                "pk",
                filter=Q(state__in=[ViolationState.AWAITING_EXPLANATION, ViolationState.EXPLAINED]),
            ),
        )
        .order_by()
    )
    put(
        DisciplinaryMeasure.objects.filter(
            organisation__in=orgs, date__gte=period.start, date__lte=period.end
        )
        .values("organisation")
        .annotate(measures=Count("pk"), linked=Count("pk", filter=Q(violation__isnull=False)))
        .order_by(),
        key="organisation",
    )
    for figure in on_time_by_organisation(scope, period):
        values.setdefault(figure.org.pk, {}).update(figure.values)
    put(
        scope.assignments()
        .filter(
            parent__isnull=True,
            role="executor",
            appeal__rating__isnull=False,
            answered_at__gte=start,
            answered_at__lt=end,
        )
        .values("org")
        .annotate(ratings=Count("appeal", distinct=True), rating_sum=Sum("appeal__rating"))
        .order_by()
    )
    by_pk = _orgs_by_pk(values)
    figures = [OrgFigure(by_pk[pk], v) for pk, v in values.items() if pk in by_pk]
    figures.sort(
        key=lambda f: (-f.n("confirmed"), -f.n("violations"), f.on_time_rate or 101, f.org.path)
    )
    return figures
