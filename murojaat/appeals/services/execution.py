"""The receivers' operations: accept, return, forward, co-executors (R-P2-3..R-P2-7), and the
answer with its signature and the author's feedback (R-P2-8, R-P2-9)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.errors import Conflict, DomainError, PermissionDenied
from murojaat.orgs.models import Organisation

from ..deadlines import local_date
from ..models import (
    OPEN_ASSIGNMENT_STATES,
    Answer,
    AnswerState,
    Appeal,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Document,
    DocumentKind,
    Event,
    EventKind,
    FeedbackForm,
    IssueOutcome,
    Outcome,
    Topic,
    ViolationKind,
)
from ..permissions import appeal_sides
from ._common import (
    DOCX_MIME,
    _answer_record,
    _bump,
    _check_assignment,
    _check_consolidation,
    _check_not_complained_about,
    _drop_pending_extensions,
    _event,
    _lock_appeal,
    _lock_assignment,
    _notify_source,
    _record_violation,
    _require,
    _sync_appeal_state,
    _today,
)
from .routing import _new_assignment
from .targets import co_executor_targets, forward_targets, may_receive


@transaction.atomic
def accept_assignment(
    *, actor: User, assignment: Assignment, expected_version: int | None = None
) -> Assignment:
    """R-P2-11: sending and acceptance together take at most one day; later is recorded."""
    a = _lock_assignment(assignment, expected_version)
    transition = _check_assignment(actor, a, "accept")
    now = timezone.now()
    _bump(
        a,
        state=transition.next_state,
        accepted_at=now,
        executor=a.executor or (actor if actor.has_role("executor") else None),
    )
    event = _event(a.appeal, EventKind.ACCEPTED, actor, assignment=a, target_org=a.org)
    if a.parent_id is None and not (
        Event.objects.filter(
            appeal=a.appeal, kind=EventKind.ACCEPTED, assignment__parent__isnull=True
        )
        .exclude(pk=event.pk)
        .exists()
    ):
        # Issue 5: the source learns when the appeal is first taken into execution.
        _notify_source(
            a.appeal,
            "in_work",
            {"organisation": a.org.code, "due_date": a.appeal.due_date.isoformat()},
            key=f"in_work:{a.appeal_id}:{event.pk}",
        )
    if local_date(now) > a.accept_due:
        _record_violation(a, ViolationKind.LATE_ACCEPTANCE, a.accept_due, actor)
    return a


@transaction.atomic
def return_assignment(
    *, actor: User, assignment: Assignment, reason: str, expected_version: int | None = None
) -> Assignment:
    """R-P2-3 / R-P3-3: not ours: back to the sender, with a justification, within 5 days."""
    a = _lock_assignment(assignment, expected_version)
    transition = _check_assignment(actor, a, "return")
    _require(reason, "reason", _("Give the justification for returning the appeal."))
    if _today() > a.return_due:
        raise DomainError(
            _(
                "The period for returning this appeal ended on %(date)s. Execute it, or ask the "
                "sender to recall it."
            )
            % {"date": a.return_due.strftime("%d.%m.%Y")},
            code="return_period_over",
        )
    if a.children.filter(state__in=OPEN_ASSIGNMENT_STATES).exists():
        raise DomainError(
            _("Recall the assignments you sent further down first."), code="children_open"
        )
    _bump(a, state=transition.next_state, return_reason=reason.strip(), finished_at=timezone.now())
    _event(
        a.appeal, EventKind.RETURNED, actor, assignment=a, target_org=a.sender_org, comment=reason
    )
    _drop_pending_extensions([a.pk])
    _sync_appeal_state(a.appeal, actor)
    return a


def _check_receiver_target(a: Assignment, org: Organisation, *, co_executor: bool) -> None:
    if org.pk == a.org_id:
        raise DomainError(_("Choose another organisation."), field="to_org", code="same_org")
    if not org.is_active:
        raise DomainError(
            _("“%(org)s” is not active.") % {"org": org.name}, field="to_org", code="inactive_org"
        )
    _check_not_complained_about(a.appeal, org, "orgs" if co_executor else "to_org")
    if co_executor:
        # R-P2-5: co-executors work at the same level as the lead (e.g. other main directorates).
        if not may_receive(co_executor_targets(a), org):
            raise DomainError(
                _("Co-executors must be organisations of the same stage as yours."),
                field="orgs",
                code="co_executor_stage",
            )
    elif not may_receive(forward_targets(a), org):
        # R-P2-6: down the tree only (regional directorate -> its district associations).
        raise DomainError(
            _("You can forward only to organisations under yours."),
            field="to_org",
            code="not_subordinate",
        )


@transaction.atomic
def forward_assignment(
    *,
    actor: User,
    assignment: Assignment,
    to_org: Organisation,
    due_days: int | None = None,
    instructions: str = "",
    ask_word_reference: bool = False,
    expected_version: int | None = None,
) -> Assignment:
    """R-P2-6: a regional directorate sends an appeal about a district institution to stage 4."""
    a = _lock_assignment(assignment, expected_version)
    _check_assignment(actor, a, "forward")
    _check_receiver_target(a, to_org, co_executor=False)
    if a.children.filter(org=to_org, state__in=OPEN_ASSIGNMENT_STATES).exists():
        raise DomainError(
            _("“%(org)s” already has this appeal.") % {"org": to_org.name},
            field="to_org",
            code="already_assigned",
        )
    days = a.due_days if due_days is None else due_days
    if days < 1 or days > a.due_days:
        raise DomainError(
            _("The term for the organisation below must be between 1 and %(max)s days.")
            % {"max": a.due_days},
            field="due_days",
            code="invalid_due_days",
        )
    child = _new_assignment(
        appeal=a.appeal,
        org=to_org,
        sender_org=a.org,
        actor=actor,
        parent=a,
        role=AssignmentRole.EXECUTOR,
        due_start=a.due_start,
        due_days=days,
        extension_days=a.extension_days if days == a.due_days else 0,
        instructions=instructions,
        clock=a,
    )
    if ask_word_reference:
        # R-P2-12: the directorate asks the field for the reference in Word, to build its letter.
        _bump(child, word_reference_requested=True)
    _bump(a)
    _event(
        a.appeal,
        EventKind.FORWARDED,
        actor,
        assignment=child,
        target_org=to_org,
        comment=instructions,
        due=child.due_date.isoformat(),
    )
    return child


@transaction.atomic
def involve_co_executors(
    *,
    actor: User,
    assignment: Assignment,
    orgs: Sequence[Organisation],
    instructions: str = "",
    expected_version: int | None = None,
) -> list[Assignment]:
    """R-P2-5: the lead involves the other relevant organisations; one consolidated answer."""
    a = _lock_assignment(assignment, expected_version)
    _check_assignment(actor, a, "involve")
    if a.role != AssignmentRole.EXECUTOR:
        raise DomainError(_("Only the lead executor can involve co-executors."), code="not_lead")
    if not orgs:
        raise DomainError(_("Choose at least one co-executor."), field="orgs", code="required")
    created = []
    for org in orgs:
        _check_receiver_target(a, org, co_executor=True)
        if a.children.filter(org=org, state__in=OPEN_ASSIGNMENT_STATES).exists():
            raise DomainError(
                _("“%(org)s” already has this appeal.") % {"org": org.name},
                field="orgs",
                code="already_assigned",
            )
        co = _new_assignment(
            appeal=a.appeal,
            org=org,
            sender_org=a.org,
            actor=actor,
            parent=a,
            role=AssignmentRole.CO_EXECUTOR,
            due_start=a.due_start,
            due_days=a.due_days,
            extension_days=a.extension_days,
            instructions=instructions,
            clock=a,
        )
        created.append(co)
        _event(
            a.appeal,
            EventKind.CO_EXECUTORS,
            actor,
            assignment=co,
            target_org=org,
            comment=instructions,
        )
    _bump(a)
    return created


@transaction.atomic
def set_executor(
    *, actor: User, assignment: Assignment, executor: User, expected_version: int | None = None
) -> Assignment:
    a = _lock_assignment(assignment, expected_version)
    _check_assignment(actor, a, "set_executor")
    if executor.organisation_id != a.org_id or not executor.is_active:
        raise DomainError(
            _("The executor must be an active employee of %(org)s.") % {"org": a.org.name},
            field="executor",
            code="foreign_executor",
        )
    _bump(a, executor=executor)
    _event(a.appeal, EventKind.EXECUTOR_SET, actor, assignment=a, executor=executor.full_name)
    return a


@transaction.atomic
def recall_assignment(
    *, actor: User, assignment: Assignment, reason: str, expected_version: int | None = None
) -> Assignment:
    """The sender takes an assignment back (e.g. to send it elsewhere), with its subtree."""
    a = _lock_assignment(assignment, expected_version)
    transition = _check_assignment(actor, a, "recall")
    _require(reason, "reason", _("Say why the assignment is recalled."))
    now = timezone.now()
    ended = [a.pk]
    for child in Assignment.objects.filter(appeal=a.appeal, state__in=OPEN_ASSIGNMENT_STATES):
        if child.pk != a.pk and _descends_from(child, a):
            _bump(child, state=AssignmentState.CANCELLED, finished_at=now)
            ended.append(child.pk)
    _bump(a, state=transition.next_state, finished_at=now)
    _event(a.appeal, EventKind.RECALLED, actor, assignment=a, target_org=a.org, comment=reason)
    _drop_pending_extensions(ended)
    _sync_appeal_state(a.appeal, actor)
    return a


def _descends_from(node: Assignment, ancestor: Assignment) -> bool:
    parents = dict(Assignment.objects.filter(appeal_id=node.appeal_id).values_list("pk", "parent"))
    current = parents.get(node.pk)
    while current is not None:
        if current == ancestor.pk:
            return True
        current = parents.get(current)
    return False


@dataclass(frozen=True)
class OutcomeInput:
    topic: Topic | None
    outcome: str
    legal_ground: str = ""


def parts_to_consolidate(assignment: Assignment) -> list[Answer]:
    """The accepted answers this assignment's own answer is built from.

    A regional directorate sends up the answer its association prepared (R-P2-6, R-P2-7) and a
    lead consolidates its co-executors' parts (R-P2-5, R-P3-4): the draft starts from them
    instead of a blank page, so nothing the lower level wrote is retyped or lost.
    """
    below = Q(parent=assignment)
    if assignment.parent_id is None and assignment.role == AssignmentRole.EXECUTOR:
        below |= Q(
            appeal_id=assignment.appeal_id, parent__isnull=True, role=AssignmentRole.CO_EXECUTOR
        )
    return list(
        Answer.objects.filter(
            assignment__in=Assignment.objects.filter(below, state=AssignmentState.DONE)
        )
        .select_related("assignment__org")
        .prefetch_related("outcomes")
        .order_by("assignment__answered_at", "assignment_id")
    )


@transaction.atomic
def draft_answer(
    *,
    actor: User,
    assignment: Assignment,
    text: str,
    feedback_form: str = "",
    outcomes: Sequence[OutcomeInput] = (),
    expected_version: int | None = None,
) -> Answer:
    """R-P2-7..R-P2-9, L-9: the answer with the author's feedback and an outcome per issue."""
    a = _lock_assignment(assignment, expected_version)
    _check_assignment(actor, a, "draft_answer")
    _require(text, "text", _("Write the answer."))
    if feedback_form and feedback_form not in FeedbackForm.values:
        # R-P2-8: an explanatory letter (tushuntirish xati) is never accepted as feedback.
        raise DomainError(
            _(
                "The author's feedback must be a notice, information, a consent letter or a "
                "thank-you letter, or the act of the author's refusal; an explanatory letter is "
                "not accepted."
            ),
            field="feedback_form",
            code="invalid_feedback",
        )
    topic_ids = set(a.appeal.topics.values_list("pk", flat=True))
    for o in outcomes:
        if o.outcome not in Outcome.values:
            raise DomainError(_("Unknown outcome."), field="outcomes", code="invalid_outcome")
        if o.topic is not None and o.topic.pk not in topic_ids:
            raise DomainError(
                _("“%(topic)s” is not an issue this appeal raises.") % {"topic": o.topic.name},
                field="outcomes",
                code="foreign_topic",
            )
        if o.outcome in (Outcome.REFUSED, Outcome.LEFT) and not o.legal_ground.strip():
            raise DomainError(
                _("A refusal or leaving without consideration needs its legal ground."),
                field="outcomes",
                code="ground_required",
            )
    answer, _created = Answer.objects.update_or_create(
        assignment=a,
        defaults={
            "text": text.strip(),
            "feedback_form": feedback_form,
            "prepared_by": actor,
            "state": AnswerState.DRAFT,
            "signed_by": None,
            "signed_at": None,
        },
    )
    answer.outcomes.all().delete()
    IssueOutcome.objects.bulk_create(
        IssueOutcome(
            answer=answer, topic=o.topic, outcome=o.outcome, legal_ground=o.legal_ground.strip()
        )
        for o in outcomes
    )
    _bump(a)
    _event(a.appeal, EventKind.ANSWER_DRAFTED, actor, assignment=a, feedback=feedback_form)
    return answer


@transaction.atomic
def sign_answer(
    *, actor: User, assignment: Assignment, expected_version: int | None = None
) -> Answer:
    """R-P2-9: the deputy minister or the first head signs."""
    a = _lock_assignment(assignment, expected_version)
    _check_assignment(actor, a, "sign_answer")
    answer = Answer.objects.filter(assignment=a).first()
    if answer is None:
        raise DomainError(_("There is no answer to sign yet."), code="no_answer")
    if answer.state == AnswerState.SIGNED:
        raise DomainError(_("The answer is already signed."), code="already_signed")
    _check_outcomes(a, answer)
    refusal = feedback_refusal(a, answer)
    if refusal is not None:
        raise refusal  # R-P2-8: the head signs a letter that goes with the feedback, not before
    answer.state, answer.signed_by, answer.signed_at = AnswerState.SIGNED, actor, timezone.now()
    answer.save(update_fields=["state", "signed_by", "signed_at"])
    _bump(a)
    _event(a.appeal, EventKind.ANSWER_SIGNED, actor, assignment=a)
    return answer


def _check_outcomes(a: Assignment, answer: Answer) -> None:
    """L-9: an appeal counts as considered only when every issue it raised is answered.

    The lead's (or a forwarded executor's) answer records an outcome for each topic of the
    appeal, or one for the appeal as a whole when it has no topics; a co-executor's part records
    the outcome of at least the issue it studied. Checked when the answer is signed and when it
    goes up, so neither the form nor any other caller can skip it.
    """
    covered = set(answer.outcomes.values_list("topic_id", flat=True))
    if a.role == AssignmentRole.CO_EXECUTOR:
        missing_any = not covered
        missing: list[str] = []
    else:
        topics = {t.pk: t.name for t in a.appeal.topics.all()}
        missing = [name for pk, name in topics.items() if pk not in covered]
        missing_any = not topics and not covered
    if missing:
        raise DomainError(
            _("Record the outcome of every issue the appeal raises; missing: %(topics)s.")
            % {"topics": ", ".join(sorted(missing))},
            field="outcomes",
            code="outcomes_missing",
        )
    if missing_any:
        raise DomainError(
            _("Record the outcome of the appeal."),
            field="outcomes",
            code="outcomes_missing",
        )


def needs_author_feedback(a: Assignment) -> bool:
    """R-P2-7, R-P2-8: the answer letter goes with the author's written feedback. It rides on
    the one consolidated answer and on the association's reference sent up with it; a
    co-executor's part is an internal input to the lead's letter (R-P2-5), not a letter, so it
    carries none."""
    return a.appeal.procedure.requires_author_feedback and a.role != AssignmentRole.CO_EXECUTOR


def feedback_refusal(a: Assignment, answer: Answer) -> DomainError | None:
    """Why this answer may not be signed or go up for want of the author's feedback, or None.

    One home for the rule: `sign_answer` and `submit_answer` raise it, and the case page asks it
    before offering the head the signature, so a letter is never signed without it."""
    if needs_author_feedback(a) and not _feedback_present(a, answer):
        return DomainError(
            _(
                "Attach the author's written feedback (notice, information, consent or thank-you "
                "letter) or the act of the author's refusal."
            ),
            code="feedback_missing",
        )
    return None


def _feedback_present(a: Assignment, answer: Answer) -> bool:
    """The feedback is given on this answer, or on an accepted answer from below."""
    if answer.feedback_form:
        kinds = (
            ["refusal_act"] if answer.feedback_form == FeedbackForm.REFUSAL_ACT else ["feedback"]
        )
        if Document.objects.filter(assignment=a, kind__in=kinds).exists():
            return True
    return (
        Answer.objects.filter(
            assignment__parent=a,
            assignment__state=AssignmentState.DONE,
            assignment__role=AssignmentRole.EXECUTOR,
        )
        .exclude(feedback_form="")
        .exists()
    )


def _co_executors_open(a: Assignment) -> bool:
    """The lead's answer consolidates the parts of the co-executors the working group named
    with it (R-P2-5, R-P3-4): it cannot go up while one of them is still open."""
    if a.parent_id is not None or a.role != AssignmentRole.EXECUTOR:
        return False
    return Assignment.objects.filter(
        appeal_id=a.appeal_id,
        parent__isnull=True,
        role=AssignmentRole.CO_EXECUTOR,
        state__in=OPEN_ASSIGNMENT_STATES,
    ).exists()


@transaction.atomic
def submit_answer(
    *, actor: User, assignment: Assignment, expected_version: int | None = None
) -> Assignment:
    """R-P2-7: the result goes up: association -> regional directorate -> working group."""
    a = _lock_assignment(assignment, expected_version)
    transition = _check_assignment(actor, a, "submit_answer")
    answer = Answer.objects.filter(assignment=a).first()
    if answer is None:
        raise DomainError(_("Prepare the answer first."), code="no_answer")
    if answer.state != AnswerState.SIGNED:
        raise DomainError(
            _("The answer must be signed by the head before it is sent."), code="not_signed"
        )
    _check_outcomes(a, answer)
    if a.children.filter(state__in=OPEN_ASSIGNMENT_STATES).exists() or _co_executors_open(a):
        raise DomainError(
            _("Wait for the organisations you involved: their parts are not accepted yet."),
            code="children_open",
        )
    if (
        a.word_reference_requested
        and not Document.objects.filter(
            assignment=a, kind=DocumentKind.REFERENCE, content_type=DOCX_MIME
        ).exists()
    ):
        raise DomainError(
            _(
                "The sender asked for the reference (maʼlumotnoma) in Word format: attach it as a "
                "DOCX document."
            ),
            code="word_reference_missing",
        )
    refusal = feedback_refusal(a, answer)
    if refusal is not None:
        raise refusal
    now = timezone.now()
    _bump(a, state=transition.next_state, answered_at=now)
    _event(
        a.appeal,
        EventKind.ANSWER_SUBMITTED,
        actor,
        assignment=a,
        target_org=a.sender_org,
        **_answer_record(answer, a.due_date),
    )
    if local_date(now) > a.due_date:
        _record_violation(a, ViolationKind.LATE_ANSWER, a.due_date, actor)
    return a


@transaction.atomic
def accept_answer(
    *, actor: User, assignment: Assignment, expected_version: int | None = None
) -> Assignment:
    a = _lock_assignment(assignment, expected_version)
    transition = _check_assignment(actor, a, "accept_answer")
    _check_consolidation(actor, a)
    _bump(a, state=transition.next_state, finished_at=timezone.now())
    _event(a.appeal, EventKind.ANSWER_ACCEPTED, actor, assignment=a, target_org=a.org)
    _sync_appeal_state(a.appeal, actor)
    return a


@transaction.atomic
def reject_answer(
    *, actor: User, assignment: Assignment, reason: str, expected_version: int | None = None
) -> Assignment:
    a = _lock_assignment(assignment, expected_version)
    transition = _check_assignment(actor, a, "reject_answer")
    _check_consolidation(actor, a)
    _require(reason, "reason", _("Say what must be reworked."))
    _bump(a, state=transition.next_state, answered_at=None)
    Answer.objects.filter(assignment=a).update(
        state=AnswerState.DRAFT, signed_by=None, signed_at=None
    )
    _event(
        a.appeal, EventKind.ANSWER_REJECTED, actor, assignment=a, target_org=a.org, comment=reason
    )
    return a


def add_document(
    *,
    actor: User | None,
    appeal: Appeal,
    kind: str,
    name: str,
    content: bytes,
    assignment: Assignment | None = None,
    expected_version: int | None = None,
) -> Document:
    """Store a document after checking what it is by its content, not by its name.

    While an assignment is open any document may be added; once its answer went up, only
    supporting documents (to excuse a delay, R-P2-11) may still be added.
    """
    from ..documents import store_document

    with transaction.atomic():
        if assignment is not None:
            assignment = _lock_assignment(assignment, expected_version)
            if actor is not None:
                _check_assignment(actor, assignment, "add_document")
                if assignment.state in (AssignmentState.ANSWERED, AssignmentState.DONE) and (
                    kind != DocumentKind.SUPPORTING
                ):
                    raise DomainError(
                        _(
                            "The answer has been submitted: only supporting documents for a "
                            "delay can still be added."
                        ),
                        field="kind",
                        code="answer_submitted",
                    )
            _bump(assignment)
        else:
            _lock_appeal(appeal, expected_version)
            if actor is not None and "wg" not in appeal_sides(actor):
                raise PermissionDenied(
                    _("Only the working group adds documents to the appeal itself.")
                )
        document = store_document(
            appeal=appeal,
            assignment=assignment,
            kind=kind,
            name=name,
            content=content,
            uploaded_by=actor,
        )
        event = _event(
            appeal,
            EventKind.DOCUMENT_ADDED,
            actor,
            assignment=assignment,
            document=document.original_name,
            document_kind=kind,
        )
        Document.objects.filter(pk=document.pk).update(event=event)
    return document


MAX_SOURCE_ATTACHMENTS = 20


@transaction.atomic
def add_source_attachment(*, appeal: Appeal, name: str, content: bytes) -> tuple[Document, bool]:
    """An attachment a source system sends with its appeal through the API: the same bytes sent
    again are the stored document (created False: a retry); only while the appeal is in work,
    and at most MAX_SOURCE_ATTACHMENTS. The content is checked by `add_document`."""
    locked = _lock_appeal(appeal)
    existing = locked.documents.filter(
        kind=DocumentKind.ATTACHMENT, sha256=Document.digest(content)
    ).first()
    if existing is not None:
        return existing, False
    if not locked.is_open:
        raise Conflict(
            _("The appeal is no longer in work: attachments cannot be added."),
            code="appeal_closed",
            field="file",
        )
    if locked.documents.filter(kind=DocumentKind.ATTACHMENT).count() >= MAX_SOURCE_ATTACHMENTS:
        raise Conflict(
            _("An appeal takes at most %(n)s attachments.") % {"n": MAX_SOURCE_ATTACHMENTS},
            code="too_many_attachments",
            field="file",
        )
    document = add_document(
        actor=None, appeal=locked, kind=DocumentKind.ATTACHMENT, name=name, content=content
    )
    return document, True
