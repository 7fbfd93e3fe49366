"""Deadlines as the order wants them (R-P2-11, R-P2-13): extensions, explanations, violations,
and moving running deadlines when the calendar changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.errors import Conflict, DomainError, PermissionDenied

from ..deadlines import TASHKENT, Calendar, compute_due, local_date
from ..models import (
    FINAL_APPEAL_STATES,
    OPEN_ASSIGNMENT_STATES,
    Appeal,
    Assignment,
    AssignmentState,
    Document,
    EventKind,
    ExtensionRequest,
    ExtensionState,
    Violation,
    ViolationKind,
    ViolationState,
)
from ..permissions import appeal_sides, may_explain
from ._common import (
    _bump,
    _calendar,
    _check_assignment,
    _event,
    _lock_appeal,
    _lock_assignment,
    _notify_source,
    _record_violation,
    _require,
    _sync_appeal_due,
    _today,
    acceptance_due,
    assignment_due,
    assignment_due_with,
    held_rule,
    stored_due,
)

RUNNING = (AssignmentState.SENT, AssignmentState.ACCEPTED)


@dataclass(frozen=True)
class Guidance:
    """R-P2-11: "by the generally accepted rule consideration should not exceed 10 days",
    inside the 13-day term. Advice, not a deadline: shown beside the due date, never recorded as
    a violation. `past` says whether the work ran (or, finished, ran) past the guidance day."""

    day: date
    days: int
    past: bool


def guidance_for(
    holder: Appeal | Assignment, on: date, calendar: Calendar | None = None
) -> Guidance | None:
    """The guidance day of an appeal's or an assignment's clock, counted like its deadline
    (from its start, under the rule it started with), judged on `on` (today, or the day the
    work ended). None when the term itself is no longer than the guidance: nothing to add."""
    procedure = holder.procedure if isinstance(holder, Appeal) else holder.appeal.procedure
    days = procedure.guidance_days
    if not days or days >= holder.due_days:
        return None
    day = compute_due(holder.due_start, held_rule(holder, days), calendar or _calendar()).due
    return Guidance(day=day, days=days, past=on > day)


def extension_refusal(
    assignment: Assignment, requests: Iterable[ExtensionRequest] | None = None
) -> DomainError | None:
    """R-P2-11: why this assignment may not ask for more time now, or None if it may.

    One request at a time, and no more than the procedure's number of extensions (refused
    requests do not count). `requests` are the assignment's, when the caller already holds them
    (the case page); the service passes none and they are read under its lock."""
    held = list(assignment.extension_requests.all() if requests is None else requests)
    if any(r.state == ExtensionState.PENDING for r in held):
        return DomainError(
            _("An extension is already requested: the working group decides on it first."),
            code="extension_pending",
        )
    limit = assignment.appeal.procedure.max_extensions
    if sum(r.state != ExtensionState.REFUSED for r in held) >= limit:
        return DomainError(
            _("The term of this appeal can be extended only %(n)s time(s).") % {"n": limit},
            code="extension_limit",
        )
    return None


def can_request_extension(
    assignment: Assignment, requests: Iterable[ExtensionRequest] | None = None
) -> bool:
    """`extension_refusal` as a yes/no, for the button."""
    return extension_refusal(assignment, requests) is None


def can_extend(assignment: Assignment) -> bool:
    """An extension moves a running deadline only: a recalled or finished assignment has none.
    The same rule decides whether the working group is offered the decision."""
    return assignment.state in RUNNING


@transaction.atomic
def request_extension(
    *,
    actor: User,
    assignment: Assignment,
    days: int,
    reason: str,
    expected_version: int | None = None,
) -> ExtensionRequest:
    """R-P2-11: asked through the system, in advance, for up to 13 more days, once."""
    a = _lock_assignment(assignment, expected_version)
    _check_assignment(actor, a, "request_extension")
    procedure = a.appeal.procedure
    _require(reason, "reason", _("Explain why the term is not enough."))
    if not 1 <= days <= procedure.max_extension_days:
        raise DomainError(
            _("An extension is from 1 to %(max)s days.") % {"max": procedure.max_extension_days},
            field="days",
            code="invalid_days",
        )
    if _today() > a.due_date:
        raise DomainError(
            _(
                "The deadline has already passed: an extension is asked in advance. "
                "Give an explanation of the delay instead."
            ),
            code="too_late",
        )
    refusal = extension_refusal(a)
    if refusal is not None:
        raise refusal
    request = ExtensionRequest.objects.create(
        assignment=a, days=days, reason=reason.strip(), requested_by=actor
    )
    _bump(a)
    _event(a.appeal, EventKind.EXTENSION_REQUESTED, actor, assignment=a, comment=reason, days=days)
    return request


@transaction.atomic
def decide_extension(
    *,
    actor: User,
    request: ExtensionRequest,
    approve: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> ExtensionRequest:
    """The working group approves or refuses; an approval moves the chain's deadlines.
    `expected_version` is the assignment's, as on every assignment's form."""
    if "wg" not in appeal_sides(actor):
        raise PermissionDenied(_("Only the working group decides on extensions."))
    a = _lock_assignment(request.assignment, expected_version)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExtensionState.PENDING:
        raise Conflict(_("This request has already been decided."))
    if not approve:
        _require(comment, "comment", _("Say why the extension is refused."))
    elif not can_extend(a):
        raise DomainError(
            _("The assignment is no longer in work: there is nothing to extend."),
            code="assignment_not_in_work",
        )
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_comment = comment
    request.save()
    if approve:
        # Dates are always recomputed from (start, days, total extension) so that a later
        # recomputation (calendar change) reproduces exactly what was approved here.
        cal = _calendar()
        new_due = assignment_due_with(a, a.extension_days + request.days, cal)
        _bump(a, extension_days=a.extension_days + request.days, due_date=new_due)
        # The chain above must not end before the part it waits for (R-P2-7).
        node = a.parent
        while node is not None:
            if node.due_date < new_due:
                extra = node.extension_days + request.days
                _bump(node, extension_days=extra, due_date=assignment_due_with(node, extra, cal))
            node = node.parent
        appeal = a.appeal
        _sync_appeal_due(appeal)
        event = _event(
            appeal,
            EventKind.EXTENSION_APPROVED,
            actor,
            assignment=a,
            comment=comment,
            days=request.days,
            due=new_due.isoformat(),
        )
        # Issue 5: the source learns the appeal's new due date.
        _notify_source(
            appeal,
            "extended",
            {"due_date": appeal.due_date.isoformat(), "days": request.days},
            key=f"extended:{appeal.pk}:{event.pk}",
        )
    else:
        _event(a.appeal, EventKind.EXTENSION_REFUSED, actor, assignment=a, comment=comment)
    return request


@transaction.atomic
def explain_delay(
    *, actor: User, violation: Violation, text: str, expected_version: int | None = None
) -> Violation:
    """R-P2-11: for a missed deadline the executor must give an explanation.
    `expected_version` is the assignment's (locked first: appeal, assignment, then the row)."""
    _lock_assignment(violation.assignment, expected_version)
    v = (
        Violation.objects.select_for_update()
        .select_related("assignment__appeal")
        .get(pk=violation.pk)
    )
    if not may_explain(actor, v):
        raise PermissionDenied(_("Only the organisation that missed the deadline explains it."))
    if v.state not in (ViolationState.AWAITING_EXPLANATION, ViolationState.EXPLAINED):
        raise DomainError(_("This delay has already been decided."), code="decided")
    _require(text, "text", _("Write the explanation."))
    v.state, v.explanation = ViolationState.EXPLAINED, text.strip()
    v.explained_by, v.explained_at = actor, timezone.now()
    v.save()
    _event(
        v.assignment.appeal,
        EventKind.DELAY_EXPLAINED,
        actor,
        assignment=v.assignment,
        comment=text,
        violation=v.kind,
    )
    return v


@transaction.atomic
def decide_violation(
    *,
    actor: User,
    violation: Violation,
    excuse: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> Violation:
    """With supporting documents the delay is excused; otherwise it stands (R-P2-13, R-ORG-6).
    `expected_version` is the assignment's (locked first: appeal, assignment, then the row)."""
    if "wg" not in appeal_sides(actor):
        raise PermissionDenied(_("Only the working group decides on delays."))
    _lock_assignment(violation.assignment, expected_version)
    v = (
        Violation.objects.select_for_update()
        .select_related("assignment__appeal")
        .get(pk=violation.pk)
    )
    if v.state in (ViolationState.EXCUSED, ViolationState.CONFIRMED):
        raise Conflict(_("This delay has already been decided."))
    if excuse:
        if v.state != ViolationState.EXPLAINED:
            raise DomainError(
                _("A delay is excused only after the executor explains it."), code="not_explained"
            )
        if not Document.objects.filter(assignment=v.assignment, kind="supporting").exists():
            raise DomainError(
                _("Excusing a delay needs supporting documents attached to the assignment."),
                code="no_supporting_documents",
            )
    v.state = ViolationState.EXCUSED if excuse else ViolationState.CONFIRMED
    v.decided_by, v.decided_at, v.decision_comment = actor, timezone.now(), comment
    v.save()
    _event(
        v.assignment.appeal,
        EventKind.DELAY_EXCUSED if excuse else EventKind.VIOLATION_CONFIRMED,
        actor,
        assignment=v.assignment,
        comment=comment,
        violation=v.kind,
    )
    return v


def record_overdue(today: date | None = None) -> int:
    """Record the deadlines missed by open assignments (run daily by celery beat).

    Due-soon and overdue are queried from due dates (selectors); this only opens the
    explanation record the order demands for each missed deadline.
    """
    today = today or _today()
    count = 0
    late = (
        Assignment.objects.filter(
            state__in=[AssignmentState.SENT, AssignmentState.ACCEPTED], due_date__lt=today
        )
        .exclude(violations__kind=ViolationKind.LATE_ANSWER)
        .select_related("appeal", "org")
    )
    for a in late:
        with transaction.atomic():
            _record_violation(a, ViolationKind.LATE_ANSWER, a.due_date, None)
            count += 1
    unaccepted = (
        Assignment.objects.filter(state=AssignmentState.SENT, accept_due__lt=today)
        .exclude(violations__kind=ViolationKind.LATE_ACCEPTANCE)
        .select_related("appeal", "org")
    )
    for a in unaccepted:
        with transaction.atomic():
            _record_violation(a, ViolationKind.LATE_ACCEPTANCE, a.accept_due, None)
            count += 1
    return count


def recompute_running_deadlines() -> int:
    """A day off added (or removed) later moves the deadlines still running (issue 3, item 7).

    Every date of a running assignment is recomputed from its stored inputs: the execution
    deadline from (start, days, extension), the acceptance and return deadlines from the day it
    was sent. Each row is re-read under its lock (appeal first, then assignment: the services'
    lock order), so an extension approved while this runs is never overwritten by a stale copy.
    """
    cal = _calendar()
    moved = 0
    _move_future_registrations(cal)
    running = Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES).values_list(
        "pk", "appeal_id"
    )
    for pk, appeal_id in list(running):
        with transaction.atomic():
            appeal = _lock_appeal(Appeal(pk=appeal_id))
            if _move_assignment(pk, cal):
                moved += 1
            _sync_appeal_due(appeal)
    running_top = Assignment.objects.filter(
        appeal=OuterRef("pk"), parent__isnull=True, state__in=OPEN_ASSIGNMENT_STATES
    )
    waiting = Appeal.objects.exclude(state__in=FINAL_APPEAL_STATES).exclude(Exists(running_top))
    for appeal_id in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            appeal = _lock_appeal(Appeal(pk=appeal_id))
            new_due = stored_due(appeal, cal).due
            if new_due != appeal.due_date:
                _bump(appeal, due_date=new_due)
    return moved


def _move_future_registrations(cal: Calendar) -> None:
    """An appeal received after hours or on a day off waits for its registration day (L-2); if
    the calendar now says that day is off (or that an earlier one is working), the appeal is
    registered on the new day and its deadlines start there. A registration day already begun
    stays: the clerks worked on it. Only the starts move here: the due dates follow in the
    recomputation's own passes over running assignments and waiting appeals."""
    from .intake import receipt_of

    waiting = Appeal.objects.exclude(state__in=FINAL_APPEAL_STATES).filter(
        registered_at__gt=timezone.now()
    )
    for appeal_id in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            appeal = _lock_appeal(Appeal(pk=appeal_id))
            if appeal.registered_at <= timezone.now():
                continue
            procedure = appeal.procedure
            day = receipt_of(procedure, appeal.received_at, calendar=cal).day
            old = appeal.due_start
            if day == old:
                continue
            # Only the running parts that started with the appeal move with it; one the working
            # group set on its own start keeps it.
            Assignment.objects.filter(
                appeal=appeal, due_start=old, state__in=OPEN_ASSIGNMENT_STATES
            ).update(due_start=day)
            registered_at = datetime.combine(day, procedure.working_day_starts, tzinfo=TASHKENT)
            _bump(appeal, due_start=day, registered_at=registered_at)
            _event(
                appeal,
                EventKind.DEADLINES_MOVED,
                None,
                old=old.isoformat(),
                new=day.isoformat(),
                moved={"registered_on": [old.isoformat(), day.isoformat()]},
            )


def _move_assignment(pk: int, cal: Calendar) -> bool:
    """Recompute one locked assignment's dates; record what moved."""
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("appeal__procedure")
        .get(pk=pk)
    )
    if a.state not in OPEN_ASSIGNMENT_STATES:
        return False  # it ended between the listing and the lock
    # Every date by the rule and the periods the assignment started with, kept on its row: an
    # unrelated calendar edit moves a date only by the days off it changed (issue 10, item 13).
    sent_on = local_date(a.sent_at)
    new = {
        "due_date": assignment_due(a, cal).due,
        "accept_due": acceptance_due(
            start=a.accept_start or sent_on,
            sent_on=sent_on,
            rule=held_rule(a, a.accept_days),
            calendar=cal,
        ),
        "return_due": compute_due(sent_on, held_rule(a, a.return_days), cal).due,
    }
    changed = {name: value for name, value in new.items() if getattr(a, name) != value}
    if not changed:
        return False
    old = {name: getattr(a, name).isoformat() for name in changed}
    _bump(a, **changed)
    _event(
        a.appeal,
        EventKind.DEADLINES_MOVED,
        None,
        assignment=a,
        old=old.get("due_date", a.due_date.isoformat()),
        new=a.due_date.isoformat(),
        moved={name: [old[name], value.isoformat()] for name, value in changed.items()},
    )
    return True
