"""The working group's operations on an appeal: routing (R-P2-2), closing (R-P2-10, R-P3-2),
and leaving, terminating or merging it (L-5..L-7)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.errors import DomainError, PermissionDenied
from murojaat.orgs.models import Organisation

from .. import workflow
from ..deadlines import Calendar, compute_due, extend_due, local_date
from ..models import (
    FINAL_APPEAL_STATES,
    OPEN_ASSIGNMENT_STATES,
    Answer,
    Appeal,
    AppealKind,
    AppealState,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Document,
    Event,
    EventKind,
    Procedure,
    Topic,
    ViolationKind,
)
from ..selectors.answers import final_answer
from ..selectors.authors import earlier_of_author
from ._common import (
    _answer_record,
    _bump,
    _calendar,
    _check_appeal,
    _check_not_complained_about,
    _close_open_assignments,
    _event,
    _lock_appeal,
    _notify_source,
    _record_violation,
    _reopen_lead,
    _require,
    _rule,
    _sync_appeal_due,
    acceptance_due,
    held_rule,
)
from .targets import routable_orgs


class Keep:
    """The default of an optional service argument that leaves the stored value as it is."""


KEEP = Keep()


def _check_complaint_against(kind: str, org: Organisation) -> None:
    """Only a complaint is about a body's actions (L-1, L-4)."""
    if kind != AppealKind.COMPLAINT:
        raise DomainError(
            _("Only a complaint names the organisation it is about."),
            field="complaint_against",
            code="not_a_complaint",
        )
    if not org.is_active:
        raise DomainError(
            _("“%(org)s” is not active.") % {"org": org.name},
            field="complaint_against",
            code="inactive_org",
        )


def _validate_due_days(procedure: Procedure, due_days: int | None, kind: str) -> int:
    days = procedure.execution_days_for(kind) if due_days is None else due_days
    if days < 1 or days > procedure.longest_term:
        raise DomainError(
            _("The execution term must be between 1 and %(max)s days.")
            % {"max": procedure.longest_term},
            field="due_days",
            code="invalid_due_days",
        )
    return days


def _new_assignment(
    *,
    appeal: Appeal,
    org: Organisation,
    sender_org: Organisation,
    actor: User,
    parent: Assignment | None,
    role: str,
    due_start: date,
    due_days: int,
    extension_days: int,
    instructions: str,
    clock: Appeal | Assignment,
    accept_start: date | None = None,
) -> Assignment:
    """One hop. Its execution clock keeps the rule of `clock` (the appeal's for the working
    group's routing, the parent's for a hop further down) it continues; its acceptance and
    return periods are the procedure's now, kept on the row. `accept_start` is the day the
    appeal reached the sender (R-P2-11), by default the day of sending."""
    procedure = appeal.procedure
    cal = _calendar()
    now = timezone.now()
    today = local_date(now)
    rule = held_rule(clock, due_days)
    due = compute_due(due_start, rule, cal)
    if extension_days:
        due = extend_due(due, extension_days, cal)
    return Assignment.objects.create(
        appeal=appeal,
        parent=parent,
        org=org,
        sender_org=sender_org,
        role=role,
        instructions=instructions,
        sent_at=now,
        sent_by=actor,
        accept_start=accept_start or today,
        accept_due=acceptance_due(
            start=accept_start or today,
            sent_on=today,
            rule=held_rule(clock, procedure.accept_days),
            calendar=cal,
        ),
        return_due=compute_due(today, held_rule(clock, procedure.return_days), cal).due,
        due_start=due_start,
        due_days=due_days,
        extension_days=extension_days,
        due_date=due.due,
        due_unit=clock.due_unit,
        due_roll_forward=clock.due_roll_forward,
        accept_days=procedure.accept_days,
        return_days=procedure.return_days,
    )


def routing_start(appeal: Appeal) -> date:
    """The day the appeal reached the working group to be routed (R-P2-2, R-P2-3): its
    registration day, or the latest day a receiver returned it (or the group recalled it)."""
    back = (
        appeal.assignments.filter(
            parent__isnull=True,
            state__in=[AssignmentState.RETURNED, AssignmentState.CANCELLED],
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return max(appeal.due_start, local_date(back)) if back else appeal.due_start


def routing_late_by(appeal: Appeal, on: date, calendar: Calendar | None = None) -> date | None:
    """R-P2-2, R-P2-11: the working group routes the same day the appeal reached it, so that
    sending and acceptance fit in one day together. The day it should have routed by when
    routing on `on` is late, else None."""
    last = route_by(appeal, routing_start(appeal), calendar)
    return last if on > last else None


def route_by(appeal: Appeal, start: date, calendar: Calendar | None = None) -> date:
    """The day the working group routes an appeal that reached it on `start` (R-P2-2: the same
    day, or the next working day when `start` is a day off)."""
    return compute_due(start, held_rule(appeal, 0), calendar or _calendar()).due


@transaction.atomic
def route_appeal(
    *,
    actor: User,
    appeal: Appeal,
    to_org: Organisation,
    co_executors: Sequence[Organisation] = (),
    due_days: int | None = None,
    instructions: str = "",
    complaint_against: Organisation | Keep | None = KEEP,
    topics: Sequence[Topic] | Keep = KEEP,
    expected_version: int | None = None,
) -> list[Assignment]:
    """R-P2-2: the working group sends the appeal, the same day, to a stage-2/3 receiver or the
    Control Inspectorate; further receivers become co-executors of a multi-issue appeal (R-P2-5).

    `complaint_against` records the body a complaint is about, which no hop may then receive
    (L-4); None clears a mistaken entry; by default the appeal keeps what it says.
    `topics` sets or corrects the issues the appeal raises (see `set_topics_when_routing`);
    by default (machine callers) the appeal keeps the topics it was registered with.
    """
    appeal = _lock_appeal(appeal, expected_version)
    _check_appeal(actor, appeal, "route")
    if not isinstance(topics, Keep):
        set_topics_when_routing(actor, appeal, topics)
    if not isinstance(complaint_against, Keep) and (
        getattr(complaint_against, "pk", None) != appeal.complaint_against_id
    ):
        if complaint_against is not None:
            _check_complaint_against(appeal.kind, complaint_against)
        _bump(appeal, complaint_against=complaint_against)
    if appeal.assignments.filter(
        parent__isnull=True, role=AssignmentRole.EXECUTOR, state__in=OPEN_ASSIGNMENT_STATES
    ).exists():
        # In work with co-executors whose lead returned it: a new lead may be named, not two.
        raise workflow.TransitionRefused(
            _("The appeal already has a lead executor in work; recall it first."),
            code="lead_in_work",
        )
    targets = [to_org, *co_executors]
    routable = set(
        routable_orgs().filter(pk__in=[o.pk for o in targets]).values_list("pk", flat=True)
    )
    for org in targets:
        if org.pk not in routable:
            raise DomainError(
                _(
                    "“%(org)s” does not receive appeals from the working group: choose a main "
                    "directorate, a republican centre, a regional directorate or the Control "
                    "Inspectorate."
                )
                % {"org": org.name},
                field="to_org",
                code="not_routable",
            )
        _check_not_complained_about(appeal, org, "to_org" if org is to_org else "co_executors")
    if len({o.pk for o in targets}) != len(targets):
        raise DomainError(
            _("The same organisation is chosen twice."),
            field="co_executors",
            code="duplicate_receiver",
        )
    days = _validate_due_days(appeal.procedure, due_days, appeal.kind)
    wg = actor.organisation
    assert wg is not None  # the working group routes (_check_appeal): its members belong to it
    reached = routing_start(appeal)
    late_since = routing_late_by(appeal, local_date(timezone.now()))
    created = []
    lead = _new_assignment(
        appeal=appeal,
        org=to_org,
        sender_org=wg,
        actor=actor,
        parent=None,
        role=AssignmentRole.EXECUTOR,
        due_start=appeal.due_start,
        due_days=days,
        extension_days=0,
        instructions=instructions,
        clock=appeal,
        accept_start=reached,
    )
    created.append(lead)
    _event(
        appeal,
        EventKind.ROUTED,
        actor,
        assignment=lead,
        target_org=to_org,
        comment=instructions,
        due=lead.due_date.isoformat(),
    )
    for org in co_executors:
        co = _new_assignment(
            appeal=appeal,
            org=org,
            sender_org=wg,
            actor=actor,
            parent=None,
            role=AssignmentRole.CO_EXECUTOR,
            due_start=appeal.due_start,
            due_days=days,
            extension_days=0,
            instructions=instructions,
            clock=appeal,
            accept_start=reached,
        )
        created.append(co)
        _event(
            appeal,
            EventKind.ROUTED,
            actor,
            assignment=co,
            target_org=org,
            comment=instructions,
            co_executor=True,
        )
    if late_since is not None:
        # The group's own delay, recorded against it on the lead's hop; the receivers are
        # judged only on their own part of the day (`acceptance_due`).
        _record_violation(lead, ViolationKind.LATE_ROUTING, late_since, actor, org=wg)
    _bump(appeal, state=AppealState.IN_WORK)
    _sync_appeal_due(appeal)
    return created


def set_topics_when_routing(actor: User, appeal: Appeal, topics: Sequence[Topic]) -> None:
    """Issue 13: the working group names every issue the appeal raises as it routes it.

    Refused when none is named: the answer records an outcome per topic (L-9) and the
    statistics count appeals by topic (L-11), so a routed appeal without one would be missing
    from both; the routing form lists the citizen's own choice ticked, for the group to keep or
    correct. A change is recorded as an event (before and after), none when nothing changed."""
    chosen = {t.pk: t for t in topics}
    if not chosen:
        raise DomainError(
            _(
                "Choose at least one topic the appeal raises: an appeal without topics is "
                "missing from the statistics and its answer cannot record an outcome per issue."
            ),
            field="topics",
            code="no_topics",
        )
    inactive = [t.name for t in chosen.values() if not t.is_active]
    if inactive:
        raise DomainError(
            _("The topic “%(topic)s” is no longer used.") % {"topic": inactive[0]},
            field="topics",
            code="inactive_topic",
        )
    before = sorted(appeal.topics.values_list("code", flat=True))
    after = sorted(t.code for t in chosen.values())
    if before == after:
        return
    appeal.topics.set(list(chosen.values()))
    _event(appeal, EventKind.TOPICS_SET, actor, before=before, after=after)


@transaction.atomic
def return_to_source(
    *, actor: User, appeal: Appeal, reason: str, expected_version: int | None = None
) -> Appeal:
    """R-P2-2: outside the ministry's competence, back to the Virtual Reception the same day."""
    appeal = _lock_appeal(appeal, expected_version)
    transition = _check_appeal(actor, appeal, "return_to_source")
    _require(reason, "reason", _("Give the justification for returning the appeal."))
    _bump(appeal, state=transition.next_state, closed_at=timezone.now())
    event = _event(appeal, EventKind.RETURNED_TO_SOURCE, actor, comment=reason)
    _notify_source(appeal, "returned", {"reason": reason}, key=f"returned:{appeal.pk}:{event.pk}")
    return appeal


@transaction.atomic
def leave_without_consideration(
    *,
    actor: User,
    appeal: Appeal,
    ground: str,
    anonymous: bool = False,
    expected_version: int | None = None,
) -> Appeal:
    """L-5 (anonymous) and L-6 (repeated, nothing new): a written conclusion with its ground.

    With `anonymous` the conclusion rests on L-5, which holds only for an appeal without a name
    or without an address or contact: a signed appeal with an address must be considered.
    """
    appeal = _lock_appeal(appeal, expected_version)
    transition = _check_appeal(actor, appeal, "leave")
    _require(
        ground, "ground", _("State the legal ground for leaving the appeal without consideration.")
    )
    if anonymous and not appeal.is_anonymous:
        raise DomainError(
            _(
                "The appeal gives the author's name and address or contact: it is not anonymous"
                " and must be considered."
            ),
            field="anonymous",
            code="not_anonymous",
        )
    _close_open_assignments(appeal, actor)
    _bump(appeal, state=transition.next_state, closed_at=timezone.now())
    event = _event(
        appeal, EventKind.LEFT_WITHOUT_CONSIDERATION, actor, comment=ground, anonymous=anonymous
    )
    _notify_source(appeal, "left", {"ground": ground}, key=f"left:{appeal.pk}:{event.pk}")
    return appeal


class TerminationGround:
    WITHDRAWN = "withdrawn"
    UNREACHABLE = "unreachable"
    DEATH = "death"
    REPEATED = "repeated"
    ALL = (WITHDRAWN, UNREACHABLE, DEATH, REPEATED)


@transaction.atomic
def terminate_appeal(
    *,
    actor: User | None,
    appeal: Appeal,
    ground: str,
    comment: str = "",
    expected_version: int | None = None,
    by_author: bool = False,
) -> Appeal:
    """L-6/L-7: withdrawal, unreachable author, death, or a repeat with nothing new."""
    appeal = _lock_appeal(appeal, expected_version)
    if by_author:
        transition = workflow.appeal_transition(appeal.state, "terminate")
        if ground != TerminationGround.WITHDRAWN:
            raise PermissionDenied(_("The author can only withdraw the appeal."))
    else:
        transition = _check_appeal(actor, appeal, "terminate")
    if ground not in TerminationGround.ALL:
        raise DomainError(
            _("Choose a ground for termination."), field="ground", code="invalid_ground"
        )
    extra: dict[str, Any] = {}
    if ground == TerminationGround.REPEATED:
        earlier = _earlier_answered_appeal(appeal)
        if earlier is None:
            raise DomainError(
                _(
                    "A repeated appeal is terminated only when the same author's earlier appeal "
                    "was answered; none is found."
                ),
                field="ground",
                code="no_earlier_answer",
            )
        extra["earlier"] = earlier.number
    if ground == TerminationGround.WITHDRAWN:
        # L-7: the materials go back to the author within 3 days of the withdrawal.
        now = timezone.now()
        extra["materials_return_due"] = compute_due(
            local_date(now), _rule(appeal.procedure, 3), _calendar()
        ).due.isoformat()
    _close_open_assignments(appeal, actor)
    _bump(appeal, state=transition.next_state, closed_at=timezone.now())
    event = _event(appeal, EventKind.TERMINATED, actor, comment=comment, ground=ground, **extra)
    _notify_source(
        appeal,
        "terminated",
        {"ground": ground, "comment": comment},
        key=f"terminated:{appeal.pk}:{event.pk}",
    )
    return appeal


def _earlier_answered_appeal(appeal: Appeal) -> Appeal | None:
    """The same author's latest earlier appeal that was answered (L-6), on the author keys: the
    one rule of `selectors.authors`, so a phone typed another way is still the same author,
    and an earlier letter counts even if the registration linked a later unanswered one."""
    answered = Event.objects.filter(appeal=OuterRef("pk"), kind=EventKind.ANSWER_SENT)
    return earlier_of_author(appeal, Appeal.objects.filter(Exists(answered))).first()


@transaction.atomic
def merge_duplicate(
    *, actor: User, appeal: Appeal, into: Appeal, expected_version: int | None = None
) -> Appeal:
    """L-6: a duplicate arriving while the original is in work is merged into it."""
    if appeal.pk == into.pk:
        raise DomainError(
            _("An appeal cannot be merged into itself."), field="into", code="self_merge"
        )
    appeal = _lock_appeal(appeal, expected_version)
    transition = _check_appeal(actor, appeal, "merge")
    into = _lock_appeal(into)
    if into.state in FINAL_APPEAL_STATES:
        raise DomainError(
            _("The original appeal %(number)s is no longer in work.") % {"number": into.number},
            field="into",
            code="original_closed",
        )
    _close_open_assignments(appeal, actor)
    _bump(appeal, state=transition.next_state, duplicate_of=into, closed_at=timezone.now())
    _event(appeal, EventKind.MERGED, actor, into=into.number)
    _event(into, EventKind.DUPLICATE_RECEIVED, actor, duplicate=appeal.number)
    _notify_source(appeal, "merged", {"into": into.number}, key=f"merged:{appeal.pk}")
    return appeal


@transaction.atomic
def send_answer(*, actor: User, appeal: Appeal, expected_version: int | None = None) -> Appeal:
    """R-P2-10 / R-P3-2: the ministry's answer goes out. Under the President's procedure the
    appeal waits for the source to confirm; under the Minister's it closes here."""
    appeal = _lock_appeal(appeal, expected_version)
    transition = _check_appeal(actor, appeal, "send_answer")
    answer = final_answer(appeal)
    if answer is None:
        raise DomainError(_("There is no accepted answer to send."), code="no_answer")
    now = timezone.now()
    Answer.objects.filter(pk=answer.pk, sent_to_author_at__isnull=True).update(
        sent_to_author_at=now
    )
    payload = answer_payload(appeal, answer)
    record = _answer_record(answer, appeal.due_date)
    if transition.next_state == AppealState.CLOSED:
        # R-P3-2: closed here, but a source system still receives the answer.
        _bump(appeal, state=transition.next_state, closed_at=now)
        event = _event(appeal, EventKind.ANSWER_SENT, actor, **record)
        closed = _event(appeal, EventKind.CLOSED, actor)
        _notify_source(appeal, "answer", payload, key=f"answer:{appeal.pk}:{event.pk}")
        _notify_closed(appeal, closed)
    else:
        _bump(appeal, state=transition.next_state)
        event = _event(appeal, EventKind.ANSWER_SENT, actor, **record)
        _notify_source(appeal, "answer", payload, key=f"answer:{appeal.pk}:{event.pk}")
    return appeal


def answer_payload(appeal: Appeal, answer: Answer) -> dict[str, Any]:
    return {
        "number": appeal.number,
        "external_id": appeal.external_id,
        "text": answer.text,
        "organisation": answer.assignment.org.code,
        "signed_by": answer.signed_by.full_name if answer.signed_by else None,
        "feedback_form": answer.feedback_form,
        "outcomes": [
            {
                "topic": o.topic.code if o.topic else None,
                "outcome": o.outcome,
                "legal_ground": o.legal_ground,
            }
            for o in answer.outcomes.all()
        ],
        "documents": [
            {"id": d.pk, "kind": d.kind, "name": d.original_name, "sha256": d.sha256}
            for d in Document.objects.filter(
                appeal=appeal, kind__in=["answer_letter", "feedback", "refusal_act", "reference"]
            )
        ],
    }


class SourceMustConfirm(DomainError):
    code = "source_must_confirm"
    status = 409


def source_must_confirm(appeal: Appeal) -> bool:
    """R-P2-10: an appeal that came through a source system's API is closed only by that
    system's confirmation; the working group records one only for an appeal without a source
    system. The case page asks this before offering the group the form."""
    return appeal.source_client_id is not None


@transaction.atomic
def acknowledge_closure(
    *,
    appeal: Appeal,
    actor: User | None = None,
    as_source: bool = False,
    reference: str = "",
    expected_version: int | None = None,
) -> Appeal:
    """R-P2-10: closed only when the Virtual Reception confirms it accepted the documents.

    The source confirms through the API. The working group may record a confirmation only for
    an appeal that has no source system (it came by a channel without an API, and the
    confirmation by letter or the reception's own screen), citing that confirmation; for an
    appeal that came through the API only the source itself can close it.

    Idempotent: a repeated acknowledgement of a closed appeal is a no-op, so the source may retry.
    """
    appeal = _lock_appeal(appeal)
    if appeal.state == AppealState.CLOSED:
        return appeal
    if expected_version is not None and appeal.version != expected_version:
        _lock_appeal(appeal, expected_version)  # raises the usual "changed by someone else"
    transition = _check_appeal(actor, appeal, "acknowledge", as_source=as_source)
    if not as_source:
        if source_must_confirm(appeal):
            raise SourceMustConfirm(
                _(
                    "This appeal came through %(source)s: it is closed only when that system "
                    "confirms it accepted the answer."
                )
                % {"source": appeal.source_client.name if appeal.source_client else ""}
            )
        _require(
            reference,
            "reference",
            _("Cite the source's confirmation (letter number and date, or where it was seen)."),
        )
    _bump(appeal, state=transition.next_state, closed_at=timezone.now())
    closed = _event(
        appeal,
        EventKind.CLOSED,
        actor,
        comment=reference.strip(),
        by_source=as_source,
    )
    _notify_closed(appeal, closed)
    return appeal


def _notify_closed(appeal: Appeal, event: Any) -> None:
    """Tell the source the appeal left control (issue 5: every status change goes to it)."""
    _notify_source(
        appeal,
        "closed",
        {"closed_at": appeal.closed_at.isoformat() if appeal.closed_at else None},
        key=f"closed:{appeal.pk}:{event.pk}",
    )


@transaction.atomic
def source_rejects_answer(
    *,
    appeal: Appeal,
    reason: str,
    actor: User | None = None,
    as_source: bool = False,
    expected_version: int | None = None,
) -> Appeal:
    """The source did not accept the answer: the lead assignment goes back for rework."""
    appeal = _lock_appeal(appeal, expected_version)
    transition = _check_appeal(actor, appeal, "source_reject", as_source=as_source)
    _require(reason, "reason", _("Say why the answer was not accepted."))
    lead = _reopen_lead(appeal)
    _bump(appeal, state=transition.next_state)
    _sync_appeal_due(appeal)
    _event(appeal, EventKind.SOURCE_REJECTED, actor, assignment=lead, comment=reason)
    return appeal
