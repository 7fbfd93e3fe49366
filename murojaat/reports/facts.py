"""A month's facts, derived from the event history alone (R-ORG-7, L-11, issue 9 item 3).

Every figure of the monthly report is a count of distinct `ref`s among these facts. They are
computed only from what cannot change afterwards: events before the month's end (append-only,
`appeals.Event`), what each event recorded when it happened (the due date an answer was judged
against, its outcomes and feedback: `services._common._answer_record`), and rows that are never
edited for the figures they give (violations by their detection time, measures, receptions and
visits by their recording time). So deriving a month again later gives the same facts, which is
what `close_month` freezes and `verify_month` checks.

Whose fact: `org` is the organisation whose work it is (an assignment's organisation, a
measure's); `None` marks the ministry's own acts (registration, the working group's routing, the
answer sent out, the closure). The whole ministry reads its appeal-level figures from the
`None` facts (`MINISTRY_LEVEL`), an organisation reads its subtree's facts.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, cast

from django.db.models import Q

from murojaat.appeals.deadlines import TASHKENT, local_date
from murojaat.appeals.models import (
    Answer,
    Appeal,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Event,
    EventKind,
    IssueOutcome,
    Outcome,
    Violation,
    ViolationKind,
)
from murojaat.control.models import DisciplinaryMeasure
from murojaat.orgs.models import Organisation
from murojaat.receptions.models import ReceptionSession, ReceptionVisit

# The metrics, in the order the report shows them.
RECEIVED = "received"  # whole ministry: registered; an organisation: sent to it
ROUTED = "routed"  # whole ministry: routed by the working group; an organisation: forwarded down
RETURNED = "returned"
ACCEPTED_LATE = "accepted_late"
ON_TIME = "on_time"
LATE = "late"
EXTENDED = "extended"
IN_WORK = "in_work"  # at the end of the month
OVERDUE = "overdue"  # at the end of the month
CLOSED = "closed"  # whole ministry: closed; an organisation: its answer accepted
OUTCOME = "outcome"  # key: Outcome, counted per issue (L-9)
FEEDBACK = "feedback"  # key: FeedbackForm (R-P2-8), the refusal act among them
VIOLATION = "violation"  # key: ViolationKind
EXCUSED = "excused"
CONFIRMED = "confirmed"
MEASURE = "measure"  # key: MeasureKind (R-ORG-6)
RECEPTION = "reception"  # key: SessionKind (R-ORG-2, R-ORG-3)
VISITOR = "visitor"

# Figures the whole ministry takes from its own acts, not from the organisations' (where the
# same appeal could be late at a district and on time for the ministry).
MINISTRY_LEVEL = frozenset({RECEIVED, ROUTED, ON_TIME, LATE, IN_WORK, CLOSED, OUTCOME, FEEDBACK})

_ASSIGNMENT_OPENS = (
    EventKind.ROUTED,
    EventKind.FORWARDED,
    EventKind.CO_EXECUTORS,
    EventKind.ANSWER_REJECTED,
    EventKind.SOURCE_REJECTED,
    EventKind.REVIEW_TAKEN,
)
_ASSIGNMENT_ENDS = (
    EventKind.RETURNED,
    EventKind.RECALLED,
    EventKind.ANSWER_SUBMITTED,
    EventKind.ANSWER_ACCEPTED,
)
_APPEAL_OPENS = (EventKind.REGISTERED, EventKind.SOURCE_REJECTED, EventKind.REVIEW_TAKEN)
_APPEAL_ENDS = (
    EventKind.ANSWER_SENT,
    EventKind.CLOSED,
    EventKind.LEFT_WITHOUT_CONSIDERATION,
    EventKind.TERMINATED,
    EventKind.MERGED,
    EventKind.RETURNED_TO_SOURCE,
)
_FINAL_APPEAL_ENDS = _APPEAL_ENDS[1:]  # an answer sent still has its assignments to settle
_DUE_KEYS = ("due", "new", "due_date")
_CHUNK = 2000  # ids per IN list (SQLite's limit on parameters)
_EPOCH = datetime(1970, 1, 1, tzinfo=TASHKENT)  # routed/forwarded/extended, moved, review taken


class Fact(NamedTuple):
    """One thing counted (a plain tuple: a month has tens of thousands of them)."""

    metric: str
    key: str
    ref: str
    appeal_id: int | None
    org_id: int | None
    org_path: str
    source_path: str
    region_id: int | None
    district_id: int | None
    channel: str
    kind: str
    topic: str


FACT_FIELDS = Fact._fields


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next month."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt


def month_instants(year: int, month: int) -> tuple[datetime, datetime]:
    first, nxt = month_bounds(year, month)
    return (
        datetime.combine(first, time.min, tzinfo=TASHKENT),
        datetime.combine(nxt, time.min, tzinfo=TASHKENT),
    )


def _order(fact: Fact) -> str:
    # The same text as `repr(dataclasses.astuple(fact))` gave when Fact was a dataclass, so
    # digests of months closed before stay valid.
    return repr(tuple(fact))


def digest(facts: Iterable[Fact]) -> str:
    """One hash for a month's facts, whatever order they were read in."""
    h = hashlib.sha256()
    for line in sorted(_order(f) for f in facts):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()


class _Context:
    """Reference data the facts denormalise: organisations, appeals and their topics."""

    def __init__(self) -> None:
        self.orgs = {
            o["pk"]: o
            for o in Organisation.objects.values("pk", "path", "region_id", "district_id")
        }
        self.appeals: dict[int, dict[str, Any]] = {}
        self.topics: dict[int, list[str]] = defaultdict(list)

    def load_appeals(self, ids: Iterable[int]) -> None:
        missing = sorted(set(ids) - set(self.appeals))
        for start in range(0, len(missing), 2000):
            chunk = missing[start : start + 2000]
            for a in Appeal.objects.filter(pk__in=chunk).values(
                "pk",
                "channel",
                "kind",
                "author_region_id",
                "author_district_id",
                "received_at",
                "due_date",
            ):
                self.appeals[a["pk"]] = dict(a)
            through = Appeal.topics.through.objects.filter(appeal_id__in=chunk)
            for appeal_id, code in through.values_list("appeal_id", "topic__code").order_by(
                "appeal_id", "topic__code"
            ):
                self.topics[appeal_id].append(code)

    def fact(
        self,
        metric: str,
        ref: str,
        *,
        appeal_id: int | None = None,
        org_id: int | None = None,
        key: str = "",
        source_org_id: int | None = None,
        topic: str = "",
    ) -> Fact:
        org = self.orgs.get(org_id) if org_id else None
        source = self.orgs.get(source_org_id) if source_org_id else None
        appeal = self.appeals.get(appeal_id) if appeal_id else None
        if appeal is not None:
            region, district = appeal["author_region_id"], appeal["author_district_id"]
        elif org is not None:
            region, district = org["region_id"], org["district_id"]
        else:
            region = district = None
        return Fact(
            metric=metric,
            key=key,
            ref=ref,
            appeal_id=appeal_id,
            org_id=org_id if org else None,
            org_path=org["path"] if org else "",
            source_path=source["path"] if source else "",
            region_id=region,
            district_id=district,
            channel=appeal["channel"] if appeal else "",
            kind=appeal["kind"] if appeal else "",
            topic=topic,
        )


def _legacy_records(events: Sequence[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """Events written before answers were recorded on them (`_answer_record`): read each
    answer as it is now, in two queries for the whole month. Keyed by the event's pk."""
    legacy = [
        e
        for e in events
        if e["kind"] in (EventKind.ANSWER_SUBMITTED, EventKind.ANSWER_SENT)
        and "outcomes" not in (e["data"] or {})
    ]
    if not legacy:
        return {}
    appeal_ids = {e["appeal_id"] for e in legacy}
    answers = list(
        Answer.objects.filter(assignment__appeal_id__in=appeal_ids).values(
            "pk",
            "assignment_id",
            "assignment__appeal_id",
            "assignment__parent_id",
            "assignment__role",
            "assignment__answered_at",
            "assignment__state",
            "feedback_form",
        )
    )
    outcomes: dict[int, list[list[str]]] = defaultdict(list)
    for answer_id, code, outcome in (
        IssueOutcome.objects.filter(answer_id__in=[x["pk"] for x in answers])
        .order_by("pk")
        .values_list("answer_id", "topic__code", "outcome")
    ):
        outcomes[answer_id].append([code or "", outcome])
    by_assignment = {x["assignment_id"]: x for x in answers}
    # The lead's accepted answer, chosen as `services.final_answer` chooses it.
    leads = sorted(
        (
            x
            for x in answers
            if x["assignment__parent_id"] is None
            and x["assignment__role"] == AssignmentRole.EXECUTOR
            and x["assignment__state"] == AssignmentState.DONE
        ),
        key=lambda x: (x["assignment__answered_at"] or _EPOCH, x["assignment_id"]),
    )
    final = {x["assignment__appeal_id"]: x for x in leads}  # the last one wins
    records = {}
    for e in legacy:
        if e["kind"] == EventKind.ANSWER_SUBMITTED:
            answer = by_assignment.get(e["assignment_id"])
        else:
            answer = final.get(e["appeal_id"])
        if answer is not None:
            records[e["pk"]] = {
                "outcomes": outcomes.get(answer["pk"], []),
                "feedback": answer["feedback_form"],
            }
    return records


def _last_kinds(
    field: str, ids: Iterable[int], kinds: tuple[str, ...], end: datetime
) -> dict[int, str]:
    """The kind of the latest of `kinds` before `end` for each of `ids` (appeals or
    assignments, by `field`), as ordered by (at, pk): one indexed read of those rows' events,
    not a subquery per row."""
    last: dict[int, str] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        rows = (
            Event.objects.filter(
                **{f"{field}_id__in": wanted[start : start + _CHUNK]}, kind__in=kinds, at__lt=end
            )
            .order_by("at", "pk")
            .values_list(f"{field}_id", "kind")
        )
        for pk, kind in rows:
            last[pk] = kind  # the latest wins
    return last


def month_facts(year: int, month: int) -> list[Fact]:
    """Every fact of the month, derived from the history as it stood at the month's end."""
    start, end = month_instants(year, month)
    ctx = _Context()
    facts: list[Fact] = []
    facts.extend(_event_facts(ctx, start, end))
    facts.extend(_end_of_month_facts(ctx, start, end))
    facts.extend(_record_facts(ctx, start, end))
    return sorted(set(facts), key=_order)


def _assignments(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    wanted = sorted(set(ids))
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), _CHUNK):
        for a in Assignment.objects.filter(pk__in=wanted[start : start + _CHUNK]).values(
            "pk", "org_id", "sender_org_id", "parent_id", "due_date"
        ):
            out[a["pk"]] = dict(a)
    return out


def _event_facts(ctx: _Context, start: datetime, end: datetime) -> Iterator[Fact]:
    events: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            Event.objects.filter(at__gte=start, at__lt=end)
            .exclude(kind=EventKind.COMMENT)
            .order_by("at", "pk")
            .values("pk", "appeal_id", "assignment_id", "kind", "at")
        ),
    )
    # Only answers' events carry what the facts read from `data` (decoding every event's JSON
    # was a third of the time).
    answers = (EventKind.ANSWER_SUBMITTED, EventKind.ANSWER_SENT)
    recorded = dict(
        Event.objects.filter(at__gte=start, at__lt=end, kind__in=answers).values_list("pk", "data")
    )
    for e in events:
        e["data"] = recorded.get(e["pk"])
    ctx.load_appeals(e["appeal_id"] for e in events)
    assignments = _assignments({e["assignment_id"] for e in events if e["assignment_id"]})
    parents = _assignments({a["parent_id"] for a in assignments.values() if a["parent_id"]})
    legacy = _legacy_records(events)
    for e in events:
        kind, appeal_id, ref = e["kind"], e["appeal_id"], f"a:{e['appeal_id']}"
        a = assignments.get(e["assignment_id"]) if e["assignment_id"] else None
        data = e["data"] or {}
        f = ctx.fact
        if kind == EventKind.REGISTERED:
            for topic in ctx.topics.get(appeal_id) or [""]:
                yield f(RECEIVED, ref, appeal_id=appeal_id, topic=topic)
        elif kind in (EventKind.ROUTED, EventKind.FORWARDED, EventKind.CO_EXECUTORS) and a:
            source = a["sender_org_id"]
            for topic in ctx.topics.get(appeal_id) or [""]:
                yield f(
                    RECEIVED,
                    ref,
                    appeal_id=appeal_id,
                    org_id=a["org_id"],
                    source_org_id=source,
                    topic=topic,
                )
            if kind == EventKind.ROUTED:
                yield f(ROUTED, ref, appeal_id=appeal_id)
            else:
                parent = parents.get(a["parent_id"]) if a["parent_id"] else None
                by = parent["org_id"] if parent else None
                yield f(ROUTED, ref, appeal_id=appeal_id, org_id=by)
        elif kind == EventKind.RETURNED and a:
            yield f(RETURNED, ref, appeal_id=appeal_id, org_id=a["org_id"])
        elif kind == EventKind.EXTENSION_APPROVED and a:
            yield f(EXTENDED, ref, appeal_id=appeal_id, org_id=a["org_id"])
        elif kind == EventKind.ANSWER_ACCEPTED and a:
            yield f(CLOSED, ref, appeal_id=appeal_id, org_id=a["org_id"])
        elif kind == EventKind.CLOSED:
            yield f(CLOSED, ref, appeal_id=appeal_id)
        elif kind == EventKind.LEFT_WITHOUT_CONSIDERATION:
            yield f(OUTCOME, f"{ref}:*", appeal_id=appeal_id, key=Outcome.LEFT)
        elif kind in (EventKind.ANSWER_SUBMITTED, EventKind.ANSWER_SENT):
            org_id = a["org_id"] if (kind == EventKind.ANSWER_SUBMITTED and a) else None
            if kind == EventKind.ANSWER_SUBMITTED and a is None:
                continue
            record = data if "outcomes" in data else legacy.get(e["pk"], {})
            due_text = data.get("due")
            if due_text:
                due = date.fromisoformat(due_text)
            else:
                due = a["due_date"] if a else ctx.appeals[appeal_id]["due_date"]
            on_time = local_date(e["at"]) <= due
            # The ministry's answer carries the days it took (L-11: the average term).
            days = ""
            if org_id is None and appeal_id in ctx.appeals:
                received_on = local_date(ctx.appeals[appeal_id]["received_at"])
                days = str((local_date(e["at"]) - received_on).days)
            yield f(ON_TIME if on_time else LATE, ref, appeal_id=appeal_id, org_id=org_id, key=days)
            for topic, outcome in record.get("outcomes", []):
                yield f(
                    OUTCOME,
                    f"{ref}:{topic or '*'}",
                    appeal_id=appeal_id,
                    org_id=org_id,
                    key=outcome,
                    topic=topic,
                )
            if record.get("feedback"):
                yield f(FEEDBACK, ref, appeal_id=appeal_id, org_id=org_id, key=record["feedback"])
        elif kind in (EventKind.DELAY_EXCUSED, EventKind.VIOLATION_CONFIRMED) and a:
            metric = EXCUSED if kind == EventKind.DELAY_EXCUSED else CONFIRMED
            yield f(metric, f"e:{e['pk']}", appeal_id=appeal_id, org_id=a["org_id"])


def _end_of_month_facts(ctx: _Context, start: datetime, end: datetime) -> Iterator[Fact]:
    """What was in work, and what was overdue, when the month ended: the last opening or ending
    event before the end decides, never the assignment's state today."""
    last_day = (end - timedelta(days=1)).date()
    # Candidates only: an appeal or assignment open at the end cannot have been closed or
    # finished before the month began (closing stamps the time it happens, reopening clears
    # it), so what was settled before the month is left out: the cost follows what was open
    # during the month, not the whole history.
    candidates = list(
        Appeal.objects.filter(received_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .order_by()
        .values_list("pk", flat=True)
    )
    opened = _last_kinds("appeal", candidates, (*_APPEAL_OPENS, *_APPEAL_ENDS), end)
    open_appeals = [pk for pk in candidates if opened.get(pk) in _APPEAL_OPENS]
    ctx.load_appeals(open_appeals)
    for appeal_id in open_appeals:
        yield ctx.fact(IN_WORK, f"a:{appeal_id}", appeal_id=appeal_id)
    maybe_running = list(
        Assignment.objects.filter(sent_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        .order_by()
        .values("pk", "appeal_id", "org_id", "due_date", "parent_id")
    )
    kinds = (*_ASSIGNMENT_OPENS, *_ASSIGNMENT_ENDS)
    own = _last_kinds("assignment", (r["pk"] for r in maybe_running), kinds, end)
    parent_ids = {r["parent_id"] for r in maybe_running if r["parent_id"]}
    of_parent = _last_kinds("assignment", parent_ids, kinds, end)
    appeal_kinds = (*_APPEAL_OPENS, *_FINAL_APPEAL_ENDS)
    of_appeal = _last_kinds("appeal", (r["appeal_id"] for r in maybe_running), appeal_kinds, end)
    running = [
        r
        for r in maybe_running
        if own.get(r["pk"]) in _ASSIGNMENT_OPENS
        and (r["parent_id"] is None or of_parent.get(r["parent_id"]) != EventKind.RECALLED)
        and of_appeal.get(r["appeal_id"], EventKind.REGISTERED) in _APPEAL_OPENS
    ]
    ctx.load_appeals(r["appeal_id"] for r in running)
    due_at_end: dict[int, date] = {}
    ids = [r["pk"] for r in running]
    for offset in range(0, len(ids), _CHUNK):
        for assignment_id, data in (
            Event.objects.filter(
                assignment_id__in=ids[offset : offset + _CHUNK],
                at__lt=end,
                data__has_any_keys=list(_DUE_KEYS),
            )
            .order_by("at", "pk")
            .values_list("assignment_id", "data")
        ):
            for key in _DUE_KEYS:
                if isinstance(data, dict) and isinstance(data.get(key), str):
                    due_at_end[assignment_id] = date.fromisoformat(data[key])
                    break
    for r in running:
        ref = f"a:{r['appeal_id']}"
        yield ctx.fact(IN_WORK, ref, appeal_id=r["appeal_id"], org_id=r["org_id"])
        if due_at_end.get(r["pk"], r["due_date"]) <= last_day:
            yield ctx.fact(OVERDUE, ref, appeal_id=r["appeal_id"], org_id=r["org_id"])


def _record_facts(ctx: _Context, start: datetime, end: datetime) -> Iterator[Fact]:
    """Violations, measures, receptions and visitors: rows fixed when they were recorded."""
    first, nxt = start.date(), end.date()
    violations = list(
        Violation.objects.filter(detected_at__gte=start, detected_at__lt=end).values(
            "pk", "org_id", "kind", "assignment__appeal_id"
        )
    )
    ctx.load_appeals(v["assignment__appeal_id"] for v in violations)
    for v in violations:
        appeal_id = v["assignment__appeal_id"]
        ref = f"viol:{v['pk']}"
        yield ctx.fact(VIOLATION, ref, appeal_id=appeal_id, org_id=v["org_id"], key=v["kind"])
        if v["kind"] == ViolationKind.LATE_ACCEPTANCE:
            yield ctx.fact(ACCEPTED_LATE, f"a:{appeal_id}", appeal_id=appeal_id, org_id=v["org_id"])
    for m in DisciplinaryMeasure.objects.filter(created_at__gte=start, created_at__lt=end).values(
        "pk", "organisation_id", "kind"
    ):
        yield ctx.fact(MEASURE, f"m:{m['pk']}", org_id=m["organisation_id"], key=m["kind"])
    sessions = ReceptionSession.objects.filter(date__gte=first, date__lt=nxt, created_at__lt=end)
    for s in sessions.values("pk", "organisation_id", "kind"):
        yield ctx.fact(RECEPTION, f"s:{s['pk']}", org_id=s["organisation_id"], key=s["kind"])
    for visit in ReceptionVisit.objects.filter(session__in=sessions, created_at__lt=end).values(
        "pk", "session__organisation_id"
    ):
        yield ctx.fact(VISITOR, f"visit:{visit['pk']}", org_id=visit["session__organisation_id"])
