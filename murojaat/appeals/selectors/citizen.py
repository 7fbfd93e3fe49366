"""What the author of an appeal may read about it (issue 13, L-8: the right to know the status).

The tracking page tells the author where the appeal is and what happened to it, in plain words,
without opening the office's file: no staff names (the actor of an event, an executor), no
internal notes (instructions, reasons for returns, extension requests, comments), nothing about
other people's appeals (a duplicate's number), and no step the office takes inside itself
(drafts, signatures, violations, urgency flags). The rule is a list of the event kinds an author
sees, with the only fields of each that are read; every other kind is hidden, and a test keeps
the two lists covering every kind, so a new kind is hidden until someone decides otherwise.

The free text an author sees is only text written for them: the working group's comment on an
approved extension (sent to them in the notice too, and labelled so on the form) and its reply
to their review request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from ..models import (
    OPEN_ASSIGNMENT_STATES,
    Appeal,
    Assignment,
    AssignmentRole,
    Event,
    EventKind,
)

# The kinds an author sees, and why each of the others is hidden (the docstring above).
SHOWN_TO_AUTHOR = frozenset(
    {
        EventKind.REGISTERED,
        EventKind.ROUTED,
        EventKind.FORWARDED,
        EventKind.RETURNED,
        EventKind.EXTENSION_APPROVED,
        EventKind.DEADLINES_MOVED,
        EventKind.ANSWER_SENT,
        EventKind.CLOSED,
        EventKind.RETURNED_TO_SOURCE,
        EventKind.LEFT_WITHOUT_CONSIDERATION,
        EventKind.TERMINATED,
        EventKind.MERGED,
        EventKind.RATED,
        EventKind.REVIEW_REQUESTED,
        EventKind.REVIEW_TAKEN,
        EventKind.REVIEW_CLOSED,
    }
)
HIDDEN_FROM_AUTHOR = frozenset(
    {
        EventKind.ACCEPTED,  # the office's receipt of a hop; "sent to X" already says where
        EventKind.CO_EXECUTORS,  # shown as "with the help of" in the holder, not as a step
        EventKind.RECALLED,
        EventKind.EXECUTOR_SET,  # a staff member's name
        EventKind.DOCUMENT_ADDED,
        EventKind.ANSWER_DRAFTED,
        EventKind.ANSWER_SIGNED,
        EventKind.ANSWER_SUBMITTED,
        EventKind.ANSWER_ACCEPTED,
        EventKind.ANSWER_REJECTED,
        EventKind.EXTENSION_REQUESTED,  # the executor's own reasons; only a decision counts
        EventKind.EXTENSION_REFUSED,
        EventKind.DEADLINE_MISSED,
        EventKind.DELAY_EXPLAINED,
        EventKind.DELAY_EXCUSED,
        EventKind.VIOLATION_CONFIRMED,
        EventKind.SOURCE_REJECTED,
        EventKind.DUPLICATE_RECEIVED,  # another person's appeal
        EventKind.COMMENT,
        EventKind.URGENT_FLAGGED,
        EventKind.URGENT_DECIDED,
        EventKind.DUPLICATE_SUSPECTED,
        EventKind.ESCALATED,
        EventKind.TOPICS_SET,
        EventKind.ROUTED_LATE,  # the working group's own violation, an office matter
    }
)


@dataclass(frozen=True)
class AuthorStep:
    """One step of the appeal as its author reads it; `kind` is an EventKind (or, for a
    co-executor's routing, "helping"), phrased by murojaat.citizens.wording."""

    kind: str
    at: datetime
    org: str = ""
    due: date | None = None
    reason: str = ""
    ground: str = ""
    rating: int | None = None


@dataclass(frozen=True)
class Holder:
    """Who considers the appeal now: the organisation preparing the answer, and those helping."""

    org: str
    helping: tuple[str, ...] = ()


def _is_lead_chain(a: Assignment | None) -> bool:
    return a is not None and a.role == AssignmentRole.EXECUTOR


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _step(e: Event) -> AuthorStep | None:
    """The step an event makes for the author, reading only the fields the author may see."""
    kind = e.kind
    org = e.target_org.name if e.target_org is not None else ""
    a = e.assignment
    if kind == EventKind.ROUTED:
        if e.data.get("co_executor"):
            return AuthorStep("helping", e.at, org=org)
        return AuthorStep(kind, e.at, org=org)
    if kind == EventKind.FORWARDED:
        return AuthorStep(kind, e.at, org=org) if _is_lead_chain(a) else None
    if kind == EventKind.RETURNED:
        # The returning body's reasons are internal: only that it is being sent on.
        if not _is_lead_chain(a):
            return None
        assert a is not None
        return AuthorStep(kind, e.at, org=a.org.name)
    if kind == EventKind.EXTENSION_APPROVED:
        if not (_is_lead_chain(a) and a is not None and a.parent_id is None):
            return None  # a part's extension moves the appeal's date only through the lead
        return AuthorStep(kind, e.at, due=_day(e.data.get("due")), reason=e.comment.strip())
    if kind == EventKind.DEADLINES_MOVED:
        if a is not None and not (_is_lead_chain(a) and a.parent_id is None):
            return None
        return AuthorStep(kind, e.at, due=_day(e.data.get("new")))
    if kind == EventKind.TERMINATED:
        return AuthorStep(kind, e.at, ground=str(e.data.get("ground", "")))
    if kind == EventKind.RATED:
        return AuthorStep(kind, e.at, rating=int(e.data.get("rating") or 0) or None)
    if kind == EventKind.REVIEW_TAKEN:
        return AuthorStep(kind, e.at, due=_day(e.data.get("due_date")))
    if kind in SHOWN_TO_AUTHOR:
        return AuthorStep(kind, e.at)
    return None


def author_history(appeal: Appeal) -> list[AuthorStep]:
    """The appeal's steps the author may read, oldest first."""
    events = (
        appeal.events.filter(kind__in=SHOWN_TO_AUTHOR)
        .select_related("target_org", "assignment__org")
        .order_by("at", "pk")
    )
    steps = (_step(e) for e in events)
    return [s for s in steps if s is not None]


def current_holder(appeal: Appeal) -> Holder | None:
    """The organisation preparing the answer now: the furthest open hop of the lead chain (a
    district association the region forwarded it to, say), with the co-executors still at it.
    None when no organisation holds it (waiting for routing, or finished)."""
    open_hops = list(
        Assignment.objects.filter(appeal=appeal, state__in=OPEN_ASSIGNMENT_STATES)
        .select_related("org")
        .order_by("pk")
    )
    executors = [a for a in open_hops if a.role == AssignmentRole.EXECUTOR]
    parents = {a.parent_id for a in executors}
    furthest = [a for a in executors if a.pk not in parents]
    if not furthest:
        return None
    helping = tuple(
        a.org.name
        for a in open_hops
        if a.role == AssignmentRole.CO_EXECUTOR and a.parent_id is None
    )
    return Holder(org=furthest[-1].org.name, helping=helping)


def appeals_of_phone(phone_key: str) -> QuerySet[Appeal]:
    """Every appeal written to the ministry's own doors with this phone (the normalised key,
    murojaat.core.identity), newest first: what a citizen sees after proving the phone with a
    one-time code. Appeals of an external source (the President's Virtual Reception) are
    followed there and are not listed, as they get no notices from here (notifications)."""
    if not phone_key:
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(author_phone_key=phone_key, source_client__isnull=True)
        .select_related("procedure")
        .order_by("-received_at", "-pk")
    )


def appeal_of_phone(phone_key: str, number: str) -> Appeal | None:
    """One appeal of the proven phone, by its number; None for any other number."""
    return appeals_of_phone(phone_key).filter(number=number.strip().upper()).first()
