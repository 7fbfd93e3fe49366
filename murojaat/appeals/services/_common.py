"""Shared machinery of the services: locks, versions, events, checks, due-date arithmetic."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from murojaat.core.translit import normalize_for_search
from murojaat.orgs.models import Organisation

from .. import workflow
from ..deadlines import Calendar, DeadlineRule, Due, Unit, compute_due, extend_due, local_date
from ..models import (
    OPEN_ASSIGNMENT_STATES,
    Answer,
    AnswerState,
    Appeal,
    AppealState,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Event,
    EventKind,
    ExtensionRequest,
    ExtensionState,
    Procedure,
    Violation,
)
from ..permissions import appeal_sides, consolidating_lead, sides_of
from ..signals import source_notification

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


log = logging.getLogger("murojaat.appeals")


def _calendar() -> Calendar:
    from murojaat.core.calendar import get_calendar

    return get_calendar()


def _today() -> date:
    return local_date(timezone.now())


def _rule(procedure: Procedure, days: int) -> DeadlineRule:
    unit: Unit = "working" if procedure.deadline_unit == "working" else "calendar"
    return DeadlineRule(days=days, unit=unit, roll_forward=procedure.roll_forward)


def held_rule(holder: Appeal | Assignment, days: int) -> DeadlineRule:
    """The rule a running clock started with (its unit and day-off policy, kept on the row),
    for `days`: the procedure's current rule sets new clocks only (issue 10, item 13)."""
    unit: Unit = "working" if holder.due_unit == "working" else "calendar"
    return DeadlineRule(days=days, unit=unit, roll_forward=holder.due_roll_forward)


def rule_fields(procedure: Procedure) -> dict[str, Any]:
    """The procedure's current rule, as stored on a clock that starts now."""
    return {"due_unit": procedure.deadline_unit, "due_roll_forward": procedure.roll_forward}


def _due_by(rule: DeadlineRule, start: date, extension_days: int, calendar: Calendar | None) -> Due:
    cal = calendar or _calendar()
    due = compute_due(start, rule, cal)
    if extension_days:
        due = extend_due(due, extension_days, cal)
    return due


def explain_due(
    *,
    procedure: Procedure,
    start: date,
    days: int,
    extension_days: int = 0,
    calendar: Calendar | None = None,
) -> Due:
    """A clock that starts now, under the procedure's current rule; it explains itself.
    A running clock is recomputed by `stored_due`, under the rule it started with."""
    return _due_by(_rule(procedure, days), start, extension_days, calendar)


def stored_due(
    holder: Appeal | Assignment,
    calendar: Calendar | None = None,
    *,
    extension_days: int | None = None,
) -> Due:
    """An appeal's or an assignment's due date from its stored inputs (start, days, extension)
    and the rule it started with: the date shown and the explanation beside it are one
    computation. `extension_days` overrides the stored total (an extension being approved)."""
    extra = holder.extension_days if extension_days is None else extension_days
    return _due_by(held_rule(holder, holder.due_days), holder.due_start, extra, calendar)


def assignment_due(assignment: Assignment, calendar: Calendar | None = None) -> Due:
    return stored_due(assignment, calendar)


def assignment_due_with(assignment: Assignment, extension_days: int, calendar: Calendar) -> date:
    return stored_due(assignment, calendar, extension_days=extension_days).due


def acceptance_due(*, start: date, sent_on: date, rule: DeadlineRule, calendar: Calendar) -> date:
    """R-P2-11: sending and acceptance take `rule.days` together, counted from `start` (the day
    the appeal reached the sender). A late sending does not give the receiver a fresh day, nor
    a deadline already past: it accepts by the end of that window, or on the day it received the
    appeal when the window closed before (the sender's delay is recorded against the sender,
    `routing_late_by`)."""
    window = compute_due(start, rule, calendar).due
    received = compute_due(sent_on, DeadlineRule(0, rule.unit, rule.roll_forward), calendar).due
    return max(window, received)


def _event(
    appeal: Appeal,
    kind: str,
    actor: User | None,
    *,
    assignment: Assignment | None = None,
    comment: str = "",
    target_org: Organisation | None = None,
    **data: Any,
) -> Event:
    event = Event.objects.create(
        appeal=appeal,
        assignment=assignment,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        actor_org=getattr(actor, "organisation", None) if actor else None,
        target_org=target_org,
        comment=comment,
        data=data,
    )
    from murojaat.notifications.services import notify_event  # one consumer of every event

    notify_event(event)
    return event


def _answer_record(answer: Answer, due: date) -> dict[str, Any]:
    """What an answer was when it went up or out, kept on its event: the due date it was judged
    against, each issue's outcome and the author's feedback form. The month-end figures
    (`murojaat/reports/facts.py`) read these back, so a later rework or an extension never
    rewrites a month that has closed."""
    return {
        "due": due.isoformat(),
        "outcomes": [
            [o.topic.code if o.topic is not None else "", o.outcome]
            for o in answer.outcomes.select_related("topic").order_by("pk")
        ],
        "feedback": answer.feedback_form,
    }


def _lock_appeal(appeal: Appeal, expected_version: int | None = None) -> Appeal:
    locked = (
        Appeal.objects.select_for_update(of=("self",)).select_related("procedure").get(pk=appeal.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "This appeal was changed by someone else while you were looking at it. "
                "Reload the page to see the current state."
            )
        )
    return locked


def _lock_assignment(assignment: Assignment, expected_version: int | None = None) -> Assignment:
    _lock_appeal(assignment.appeal)
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("appeal__procedure", "org", "sender_org", "parent")
        .get(pk=assignment.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "This assignment was changed by someone else while you were looking at it. "
                "Reload the page to see the current state."
            )
        )
    return locked


def _bump(obj: Appeal | Assignment, **fields: Any) -> None:
    """Save changed fields and the new version in one UPDATE."""
    for name, value in fields.items():
        setattr(obj, name, value)
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1, **fields)
    obj.version += 1


def _reopen_lead(appeal: Appeal, **fields: Any) -> Assignment | None:
    """Send the lead's accepted answer back for rework (a source's rejection, a citizen's review).

    Chosen by role, never by sort order, as `final_answer` chooses what is sent: a co-executor's
    part was only an input to the lead's consolidation (R-P2-5), so it stays done. The answer goes
    back to draft and loses its signature: the reworked text is signed again (R-P2-9)."""
    lead = (
        appeal.assignments.filter(
            parent__isnull=True, role=AssignmentRole.EXECUTOR, state=AssignmentState.DONE
        )
        .select_related("org")
        .order_by("-answered_at", "-pk")
        .first()
    )
    if lead is not None:
        _bump(lead, state=AssignmentState.ACCEPTED, finished_at=None, **fields)
        Answer.objects.filter(assignment=lead).update(
            state=AnswerState.DRAFT, signed_by=None, signed_at=None
        )
    return lead


def _check_assignment(user: User, assignment: Assignment, action: str) -> workflow.Transition:
    transition = workflow.assignment_transition(assignment.state, action)
    if not (transition.sides & sides_of(user, assignment)):
        raise PermissionDenied(
            _("You cannot %(action)s on behalf of this organisation.")
            % {"action": workflow.ASSIGNMENT_ACTIONS[action]}
        )
    return transition


def _check_consolidation(user: User, assignment: Assignment) -> None:
    """A co-executor's part named by the working group is taken by the lead, not the group."""
    if consolidating_lead(assignment) is not None and "lead" not in sides_of(user, assignment):
        raise DomainError(
            _(
                "This is a co-executor's part: the lead executor takes it into the consolidated "
                "answer."
            ),
            code="consolidated_by_lead",
        )


def _check_appeal(
    user: User | None, appeal: Appeal, action: str, *, as_source: bool = False
) -> workflow.Transition:
    transition = workflow.appeal_transition(
        appeal.state, action, closure_mode=appeal.procedure.closure_mode
    )
    sides = {"source"} if as_source else (appeal_sides(user) if user else set())
    if not (transition.sides & sides):
        raise PermissionDenied(
            _("Only the working group can %(action)s.")
            % {"action": workflow.APPEAL_ACTIONS[action]}
        )
    return transition


def _notify_source(appeal: Appeal, kind: str, payload: dict[str, Any], key: str) -> None:
    if appeal.source_client_id is None:
        return
    source_notification.send(sender=Appeal, appeal=appeal, kind=kind, payload=payload, key=key)


def _check_not_complained_about(appeal: Appeal, org: Organisation, field: str) -> None:
    """L-4 (art. 25): a complaint is never forwarded to the body whose actions it is about."""
    if appeal.complaint_against_id is not None and org.pk == appeal.complaint_against_id:
        raise DomainError(
            _(
                "The complaint is about “%(org)s”: it is never sent to the body it complains "
                "about. Choose another organisation."
            )
            % {"org": org.name},
            field=field,
            code="complained_about",
        )


def _search_texts(appeal: Appeal) -> tuple[str, str]:
    """The two search columns: `search_text`, the one indexed column for everyone, and
    `content_search_text`, the number and text alone, for those who may not see a withheld
    author (L-10). The text, the long part, is normalised once for both; the phone is stored also
    as bare digits, so "93 555-44-33" and "+998935554433" find each other through the same
    trigram index."""
    content = normalize_for_search(f"{appeal.number} {appeal.text}")
    author = normalize_for_search(
        " ".join(
            p
            for p in (
                appeal.author_name,
                appeal.author_organisation,
                appeal.author_phone,
                re.sub(r"\D", "", appeal.author_phone),
                appeal.author_email,
            )
            if p
        )
    )
    return (f"{content} {author}" if author else content), content


def _sync_appeal_due(appeal: Appeal) -> None:
    """The appeal's clock is its latest open top-level assignment's (R-P2-11).

    Copying that assignment's inputs (days, extension) as well as its date keeps the appeal's
    `explain()` true and makes every recomputation reproduce the same date; summing extensions
    of parallel parts would push the appeal past every deadline it actually runs on.
    """
    latest = (
        appeal.assignments.filter(parent__isnull=True, state__in=OPEN_ASSIGNMENT_STATES)
        .order_by("-due_date", "-pk")
        .values("due_date", "due_days", "extension_days", "due_unit", "due_roll_forward")
        .first()
    )
    if latest is None:
        return  # nothing running: the appeal keeps the date it was answered or ended on
    if any(getattr(appeal, name) != value for name, value in latest.items()):
        _bump(appeal, **latest)


def _sync_appeal_state(appeal: Appeal, actor: User | None) -> None:
    """Derive the appeal's state and due date from its top-level assignments after one of them
    changed."""
    _sync_appeal_due(appeal)
    if appeal.state not in (AppealState.NEW, AppealState.IN_WORK, AppealState.ANSWER_READY):
        return
    top = list(appeal.assignments.filter(parent__isnull=True).values_list("state", "role"))
    if any(s in OPEN_ASSIGNMENT_STATES for s, _role in top):
        new_state = AppealState.IN_WORK
    elif (AssignmentState.DONE, AssignmentRole.EXECUTOR) in top:
        # R-P2-5, R-P3-4: only the lead's consolidated answer makes the appeal answerable; a
        # co-executor's part alone does not.
        new_state = AppealState.ANSWER_READY
    else:
        new_state = AppealState.NEW  # everything came back: the working group routes again
    if new_state != appeal.state:
        _bump(appeal, state=new_state)


def _record_violation(
    assignment: Assignment,
    kind: str,
    due: date,
    actor: User | None,
    *,
    org: Organisation | None = None,
) -> None:
    """Open the explanation record of a missed deadline (R-P2-11, R-P2-13), against the
    assignment's receiver unless `org` (the sender who was late) is named."""
    _, created = Violation.objects.get_or_create(
        assignment=assignment, kind=kind, defaults={"org": org or assignment.org, "due_date": due}
    )
    if created and org is not None and org.pk != assignment.org_id:
        # The sender's own delay: its own event, so the receiver is neither told it missed a
        # deadline nor counted for it.
        _event(
            assignment.appeal,
            EventKind.ROUTED_LATE,
            actor,
            assignment=assignment,
            target_org=org,
            violation=kind,
            due=due.isoformat(),
        )
    elif created:
        _event(
            assignment.appeal,
            EventKind.DEADLINE_MISSED,
            actor,
            assignment=assignment,
            target_org=assignment.org,
            violation=kind,
            due=due.isoformat(),
        )


def _close_open_assignments(appeal: Appeal, actor: User | None) -> None:
    now = timezone.now()
    closed = []
    for a in appeal.assignments.filter(state__in=OPEN_ASSIGNMENT_STATES):
        _bump(a, state=AssignmentState.CANCELLED, finished_at=now)
        closed.append(a.pk)
    _drop_pending_extensions(closed)


def _drop_pending_extensions(assignment_ids: list[int]) -> None:
    """A request for more time means nothing once its assignment has ended."""
    if assignment_ids:
        ExtensionRequest.objects.filter(
            assignment_id__in=assignment_ids, state=ExtensionState.PENDING
        ).update(
            state=ExtensionState.REFUSED,
            decided_at=timezone.now(),
            decision_comment=str(_("The assignment ended before a decision.")),
        )


def _require(value: str, field: str, message: str) -> None:
    if not value or not str(value).strip():
        raise DomainError(message, field=field, code="required")


def get_assignment_for(user: User, appeal: Appeal, pk: int) -> Assignment:
    try:
        return appeal.assignments.select_related("org", "sender_org", "appeal__procedure").get(
            pk=pk
        )
    except Assignment.DoesNotExist as exc:
        raise NotFound(_("No such assignment.")) from exc


def due_soon_threshold(today: date | None = None, calendar: Calendar | None = None) -> date:
    """The last date that still counts as "due soon": N working days ahead."""
    from django.conf import settings

    cal = calendar or _calendar()
    day = today or _today()
    left = settings.MUROJAAT_DUE_SOON_WORKING_DAYS
    while left > 0:
        day += timedelta(days=1)
        if not cal.is_day_off(day):
            left -= 1
    return day
