"""Reminders and the escalation ladder: periodic sweeps that read due dates, never flags.

Both run hourly (beat, or `run_jobs` in the demo) and are idempotent: reminders are keyed by
(assignment, due date, days left, recipient, channel) and every escalation rung by a unique
EscalationRecord, so running a sweep twice, or on two workers at once, tells nobody twice. On a
day off neither speaks: nobody is at work, and "working days left" does not change over it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from murojaat.accounts.models import User
from murojaat.appeals.deadlines import Calendar, local_date, working_days_left
from murojaat.appeals.models import Assignment, AssignmentState, Event
from murojaat.core.calendar import get_calendar

from . import recipients
from .models import EscalationRecord, EscalationStep, EscalationTarget, Kind
from .services import _assignment_context, notify_event, to_staff

UNANSWERED = (AssignmentState.SENT, AssignmentState.ACCEPTED)
REMIND_AT = (2, 1, 0)  # working days before the due date
# Rungs before a deadline reach at most this far ahead (ten working days across holidays).
LOOK_AHEAD = timedelta(days=30)

# Before the deadline the executor, then the head; once missed, the parent organisation, then
# the working group (used by every procedure that has no rungs of its own).
DEFAULT_LADDER: tuple[tuple[int, str], ...] = (
    (-2, EscalationTarget.EXECUTOR),
    (-1, EscalationTarget.HEAD),
    (1, EscalationTarget.PARENT),
    (3, EscalationTarget.WORKING_GROUP),
)


def _today() -> date:
    return local_date(timezone.now())


def send_reminders(today: date | None = None) -> int:
    """Acceptance due today; execution due in 2, 1 and 0 working days. Returns rows written."""
    cal = get_calendar()
    today = today or _today()
    if cal.is_day_off(today):
        return 0
    written = 0
    horizon = today + timedelta(days=21)  # 2 working days can span long holidays
    for a in (
        Assignment.objects.filter(state=AssignmentState.SENT, accept_due=today)
        .select_related("appeal", "org")
        .order_by("pk")
    ):
        with transaction.atomic():
            written += len(
                to_staff(
                    recipients.responsible(a.org_id),
                    kind=Kind.ACCEPT_DUE,
                    appeal=a.appeal,
                    source=f"acc{a.pk}:{a.accept_due}",
                    context=_assignment_context(a),
                )
            )
    for a in (
        Assignment.objects.filter(state__in=UNANSWERED, due_date__gte=today, due_date__lte=horizon)
        .select_related("appeal", "org", "executor")
        .order_by("pk")
    ):
        left = working_days_left(today, a.due_date, cal)
        if left not in REMIND_AT:
            continue
        with transaction.atomic():
            written += len(
                to_staff(
                    recipients.executor_or_responsible(a),
                    kind=Kind.EXECUTION_DUE,
                    appeal=a.appeal,
                    source=f"due{a.pk}:{a.due_date}:{left}",
                    context={**_assignment_context(a), "days_left": left},
                )
            )
    return written


def shift_working_days(day: date, offset: int, cal: Calendar) -> date:
    """`offset` working days after (or, negative, before) `day`."""
    step = 1 if offset > 0 else -1
    left = abs(offset)
    while left:
        day += timedelta(days=step)
        if not cal.is_day_off(day):
            left -= 1
    return day


def ladder(procedure_id: int) -> list[tuple[int, str]]:
    own = list(
        EscalationStep.objects.filter(procedure_id=procedure_id).values_list("offset", "target")
    )
    return sorted(own) if own else list(DEFAULT_LADDER)


def escalation_recipients(a: Assignment, target: str) -> list[User]:
    if target == EscalationTarget.EXECUTOR:
        return recipients.executor_or_responsible(a)
    if target == EscalationTarget.HEAD:
        return recipients.head(a.org_id)
    if target == EscalationTarget.PARENT:
        parent = a.org.parent_id or a.sender_org_id
        return [*recipients.responsible(parent), *recipients.head(parent)]
    if target == EscalationTarget.WORKING_GROUP:
        return recipients.working_group()
    return []


def _target_org_id(a: Assignment, target: str) -> int | None:
    if target == EscalationTarget.PARENT:
        return a.org.parent_id or a.sender_org_id
    if target == EscalationTarget.WORKING_GROUP:
        return None
    return a.org_id


def escalate(today: date | None = None) -> int:
    """Climb every rung that is due for every unanswered assignment; returns rungs climbed.

    Each rung is recorded once (a unique row) and written to the appeal's timeline as an
    `escalated` event, whose notification goes to the rung's people. An answered assignment
    leaves the query, so its ladder stops there.
    """
    cal = get_calendar()
    today = today or _today()
    if cal.is_day_off(today):
        return 0
    climbed = 0
    ladders: dict[int, list[tuple[int, str]]] = {}
    for a in (
        Assignment.objects.filter(state__in=UNANSWERED, due_date__lte=today + LOOK_AHEAD)
        .select_related("appeal__procedure", "org", "executor")
        .order_by("pk")
    ):
        rungs = ladders.setdefault(a.appeal.procedure_id, ladder(a.appeal.procedure_id))
        for offset, target in rungs:
            if shift_working_days(a.due_date, offset, cal) > today:
                continue
            try:
                with transaction.atomic():
                    EscalationRecord.objects.create(
                        assignment=a, due_date=a.due_date, offset=offset, target=target
                    )
                    event = Event.objects.create(
                        appeal=a.appeal,
                        assignment=a,
                        kind="escalated",
                        at=timezone.now(),
                        target_org_id=_target_org_id(a, target),
                        data={"target": target, "offset": offset, "due": a.due_date.isoformat()},
                    )
                    notify_event(event)
            except IntegrityError:
                continue  # another sweep climbed this rung first
            climbed += 1
    return climbed
