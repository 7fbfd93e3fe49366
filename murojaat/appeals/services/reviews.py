"""The working group's side of a citizen's review (L-8): a request to clarify or correct the
answer, or a poor rating, reaches the group's review list; the group either takes it into work
(the lead's answer is reopened for rework, due in REVIEW_DAYS) or replies and keeps the answer.

These are engine writes like any other (lock, table, guard, bump, event, source notification):
the citizens' pages only call them. The review's state is read (`selectors.reviews`) from the
decision events that name it, so the same question answers the guard here and the pages that
show it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.errors import Conflict, DomainError, PermissionDenied

from ..models import Appeal, Event, EventKind
from ..permissions import appeal_sides
from ..selectors.reviews import ReviewState, ReviewStatus, review_statuses
from ._common import (
    _bump,
    _check_appeal,
    _event,
    _lock_appeal,
    _notify_source,
    _reopen_lead,
    _today,
    explain_due,
    rule_fields,
)

POOR_RATING = 2  # a rating at or below this reaches the working group's review list
REVIEW_DAYS = 10  # L-8: a request to clarify or correct the answer is handled within 10 days

__all__ = [
    "POOR_RATING",
    "REVIEW_DAYS",
    "ReviewState",
    "ReviewStatus",
    "close_review",
    "is_poor_rating",
    "is_review_item",
    "review_items_q",
    "review_statuses",
    "take_review_into_work",
]


def is_poor_rating(event: Event) -> bool:
    rating = (event.data or {}).get("rating")
    return event.kind == EventKind.RATED and rating is not None and int(rating) <= POOR_RATING


def is_review_item(event: Event) -> bool:
    """A request for review, or a poor rating: both reach the working group's review list."""
    return event.kind == EventKind.REVIEW_REQUESTED or is_poor_rating(event)


def review_items_q() -> Q:
    """`is_review_item` as a query, for the lists and counts of the working group's pages."""
    return Q(kind=EventKind.REVIEW_REQUESTED) | Q(
        kind=EventKind.RATED, data__rating__lte=POOR_RATING
    )


def _open_review(review: Event, appeal: Appeal) -> None:
    if not is_review_item(review) or review.appeal_id != appeal.pk:
        raise DomainError(_("This is not a review request."), code="not_a_review")
    if review_statuses([review])[review.pk].state != ReviewState.OPEN:
        raise Conflict(
            _("This review request was already dealt with; reload the page."),
            code="review_already_handled",
        )


@transaction.atomic
def take_review_into_work(
    *, actor: User, review: Event, comment: str = "", expected_version: int | None = None
) -> Event:
    """L-8: the lead's answer goes back for rework, due in REVIEW_DAYS from today; the reworked
    answer then follows the usual path (sign, accept, send) and reaches the author."""
    appeal = _lock_appeal(review.appeal, expected_version)
    _open_review(review, appeal)
    transition = _check_appeal(actor, appeal, "reopen_for_review")
    start = _today()
    due = explain_due(procedure=appeal.procedure, start=start, days=REVIEW_DAYS).due
    # A new clock: it starts under the procedure's current rule and keeps it (issue 10).
    deadline = {
        "due_start": start,
        "due_days": REVIEW_DAYS,
        "extension_days": 0,
        "due_date": due,
        **rule_fields(appeal.procedure),
    }
    lead = _reopen_lead(appeal, **deadline)
    if lead is None:
        raise DomainError(
            _("The appeal has no answered assignment to reopen."), code="nothing_to_reopen"
        )
    _bump(appeal, state=transition.next_state, closed_at=None, **deadline)
    event = _event(
        appeal,
        EventKind.REVIEW_TAKEN,
        actor,
        assignment=lead,
        comment=(comment or "").strip()[:5000],
        review=review.pk,
        due_date=due.isoformat(),
    )
    _notify_source(
        appeal,
        "in_work",
        {"organisation": lead.org.code, "due_date": due.isoformat()},
        key=f"in_work:{appeal.pk}:{event.pk}",
    )
    return event


@transaction.atomic
def close_review(
    *, actor: User, review: Event, comment: str, expected_version: int | None = None
) -> Event:
    """The group considered the request and keeps the answer: its reply is what the author
    reads on the tracking page."""
    appeal = _lock_appeal(review.appeal, expected_version)
    if "wg" not in appeal_sides(actor):
        raise PermissionDenied(_("Only the working group can answer a review request."))
    _open_review(review, appeal)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            _("Write the reply the author will read."), field="comment", code="required"
        )
    return _event(appeal, EventKind.REVIEW_CLOSED, actor, comment=comment[:5000], review=review.pk)
