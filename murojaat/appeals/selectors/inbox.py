"""The inbox's queues: what waits for a user's action, each a queryset built on the scoping
selectors (`appeals_visible_to`, `assignments_visible_to`, `my_assignments`), so a queue can
only narrow what the user may read (R-P3-5). The workspace's tabs and any later reader (a
reminder, a report) ask these instead of querying the models.

Each queue's rule is written once, as a predicate (`*_q`) on the queryset it narrows; the
queryset functions apply it, and the inbox counts several queues sharing a base in one
conditional aggregate built from the same predicates (`views_workspace.count_tabs`)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from murojaat.accounts.models import Role, User
from murojaat.orgs.models import Organisation

from ..models import (
    Answer,
    AnswerState,
    Appeal,
    AppealState,
    Assignment,
    AssignmentRole,
    AssignmentState,
    ExtensionRequest,
    ExtensionState,
)
from ..permissions import signable_q
from . import appeals_visible_to, assignments_visible_to, my_assignments


def signs_answers(user: User) -> bool:
    """Heads and deputy ministers sign answers (R-P2-9); who signs which is `signable_q`."""
    return user.has_role(Role.HEAD, Role.DEPUTY_MINISTER)


def signable_assignments(user: User) -> QuerySet[Assignment]:
    """Draft answers waiting for this user's signature: `permissions.can_sign` as a query, so the
    inbox and the appeal page never disagree on who signs (R-P2-9)."""
    if not user.is_authenticated or user.organisation_id is None or not signs_answers(user):
        return Assignment.objects.none()
    return assignments_visible_to(user).filter(signable_assignments_q(user))


def signable_assignments_q(user: User) -> Q:
    """`signable_assignments` as a predicate on the assignments the user may read."""
    return signable_q(user) & Q(state=AssignmentState.ACCEPTED, answer__state=AnswerState.DRAFT)


def awaiting_feedback(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """R-P2-8: answers prepared without the author's written feedback, under procedures that need
    it, and no accepted answer from below that carries it. Narrows an already scoped queryset."""
    return qs.filter(awaiting_feedback_q())


def awaiting_feedback_q() -> Q:
    """`awaiting_feedback` as a predicate (`services.needs_author_feedback` as a filter: a
    co-executor's part carries none, R-P2-5)."""
    from_below = Answer.objects.filter(
        assignment__parent=OuterRef("pk"),
        assignment__state=AssignmentState.DONE,
        assignment__role=AssignmentRole.EXECUTOR,
    ).exclude(feedback_form="")
    return (
        Q(
            state=AssignmentState.ACCEPTED,
            appeal__procedure__requires_author_feedback=True,
            answer__isnull=False,
            answer__feedback_form="",
        )
        & ~Q(role=AssignmentRole.CO_EXECUTOR)
        & Q(~Exists(from_below))
    )


def returned_to_org(user: User) -> QuerySet[Assignment]:
    """Assignments the user's organisation sent down that came back (R-P2-3), while the
    organisation still holds the appeal and has not sent it anywhere since."""
    return assignments_visible_to(user).filter(returned_to_org_q(user))


def returned_to_org_q(user: User) -> Q:
    later = Assignment.objects.filter(
        parent=OuterRef("parent"), role=OuterRef("role"), sent_at__gt=OuterRef("sent_at")
    )
    return Q(
        sender_org_id=user.organisation_id,
        parent__isnull=False,
        parent__org_id=user.organisation_id,
        parent__state=AssignmentState.ACCEPTED,
        state=AssignmentState.RETURNED,
    ) & Q(~Exists(later))


def answers_from_below(user: User) -> QuerySet[Assignment]:
    """Answers the user's organisation asked for from below and has not yet taken (R-P2-7)."""
    return assignments_visible_to(user).filter(answers_from_below_q(user))


def answers_from_below_q(user: User) -> Q:
    return Q(
        sender_org_id=user.organisation_id,
        parent__isnull=False,
        parent__org_id=user.organisation_id,
        state=AssignmentState.ANSWERED,
    )


def watched_assignments(user: User, org: Organisation | None) -> QuerySet[Assignment]:
    """The assignments the staff tabs start from: the user's own organisation's, or, when the
    organisation filter names one below it, that organisation's and its subtree's.

    A regional head who picks a district association wants to see what is waiting, in work or
    late there; filtering the directorate's own assignments by the association would always
    give nothing. The filter form offers only the user's own subtree."""
    if org is None or org.pk == user.organisation_id:
        return my_assignments(user)
    return assignments_visible_to(user).filter(org_id__in=org.subtree_ids())


def _returned_top() -> Exists:
    return Exists(
        Assignment.objects.filter(
            appeal=OuterRef("pk"), parent__isnull=True, state=AssignmentState.RETURNED
        )
    )


def to_route_q() -> Q:
    """R-P2-2: new appeals the working group routes the same day (not those that came back)."""
    return Q(state=AppealState.NEW) & Q(~_returned_top())


def returned_to_group_q() -> Q:
    """R-P2-3: appeals a receiver returned: routed again or returned to the source."""
    return Q(_returned_top(), state=AppealState.NEW)


def appeals_to_route(user: User) -> QuerySet[Appeal]:
    return appeals_visible_to(user).filter(to_route_q())


def appeals_returned_to_group(user: User) -> QuerySet[Appeal]:
    return appeals_visible_to(user).filter(returned_to_group_q())


def pending_extension_requests(user: User) -> QuerySet[ExtensionRequest]:
    """R-P2-11: requests for more time the working group decides, on assignments it may read."""
    return ExtensionRequest.objects.filter(
        state=ExtensionState.PENDING, assignment__in=assignments_visible_to(user)
    )
