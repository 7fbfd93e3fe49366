"""The working group's side of a citizen's review (L-8): a request to clarify or correct the
answer, or a poor rating, reaches the group's review list; the group either takes it into work
(the lead's answer is reopened for rework, due in REVIEW_DAYS) or replies and keeps the answer.

These are engine writes like any other (lock, table, guard, bump, event, source notification):
the gateway's pages only call them. The review's state is read from the decision events that
name it, so the same question answers the guard here and the pages that show it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.errors import Conflict, DomainError, PermissionDenied

from ..models import Appeal, Event, EventKind
from ..permissions import appeal_sides
from ._common import (
    _bump,
    _check_appeal,
    _event,
    _lock_appeal,
    _notify_source,
    _reopen_lead,
    _today,
    explain_due,
)

POOR_RATING = 2  # a rating at or below this reaches the working group's review list
REVIEW_DAYS = 10  # L-8: a request to clarify or correct the answer is handled within 10 days


class ReviewState:
    OPEN = "open"  # waiting for the working group
    IN_WORK = "in_work"  # the answer was reopened for rework
    ANSWERED = "answered"  # the reworked answer was sent
    HANDLED = "handled"  # the group replied with a comment, the answer stands


@dataclass(frozen=True)
class ReviewStatus:
    request: Event
    state: str
    decision: Event | None = None
    due_date: date | None = None


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


def review_statuses(requests: Iterable[Event]) -> dict[int, ReviewStatus]:
    """The state of each review item, from the decision events that name it (two queries)."""
    requests = list(requests)
    decisions: dict[int, Event] = {}
    for e in Event.objects.filter(
        kind__in=(EventKind.REVIEW_TAKEN, EventKind.REVIEW_CLOSED),
        data__review__in=[r.pk for r in requests],
    ).order_by("at", "pk"):
        decisions.setdefault(int(e.data["review"]), e)
    taken = [d for d in decisions.values() if d.kind == EventKind.REVIEW_TAKEN]
    resent: dict[int, datetime] = {}
    if taken:
        for appeal_id, at in Event.objects.filter(
            kind=EventKind.ANSWER_SENT, appeal_id__in={d.appeal_id for d in taken}
        ).values_list("appeal_id", "at"):
            resent[appeal_id] = max(at, resent.get(appeal_id, at))
    statuses = {}
    for r in requests:
        decision = decisions.get(r.pk)
        if decision is None:
            statuses[r.pk] = ReviewStatus(r, ReviewState.OPEN)
        elif decision.kind == EventKind.REVIEW_CLOSED:
            statuses[r.pk] = ReviewStatus(r, ReviewState.HANDLED, decision)
        else:
            due = date.fromisoformat(decision.data["due_date"])
            sent = resent.get(decision.appeal_id)
            state = ReviewState.ANSWERED if sent and sent > decision.at else ReviewState.IN_WORK
            statuses[r.pk] = ReviewStatus(r, state, decision, due)
    return statuses


def _open_review(review: Event, appeal: Appeal) -> None:
    if not is_review_item(review) or review.appeal_id != appeal.pk:
        raise DomainError(_("This is not a review request."), code="not_a_review")
    if review_statuses([review])[review.pk].state != ReviewState.OPEN:
        raise Conflict(
            _("This review request was already dealt with; reload the page."),
            code="review_already_handled",
        )


@transaction.atomic
def take_review_into_work(*, actor: User, review: Event, comment: str = "") -> Event:
    """L-8: the lead's answer goes back for rework, due in REVIEW_DAYS from today; the reworked
    answer then follows the usual path (sign, accept, send) and reaches the author."""
    appeal = _lock_appeal(review.appeal)
    _open_review(review, appeal)
    transition = _check_appeal(actor, appeal, "reopen_for_review")
    start = _today()
    due = explain_due(procedure=appeal.procedure, start=start, days=REVIEW_DAYS).due
    deadline = {"due_start": start, "due_days": REVIEW_DAYS, "extension_days": 0, "due_date": due}
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
def close_review(*, actor: User, review: Event, comment: str) -> Event:
    """The group considered the request and keeps the answer: its reply is what the author
    reads on the tracking page."""
    appeal = _lock_appeal(review.appeal)
    if "wg" not in appeal_sides(actor):
        raise PermissionDenied(_("Only the working group can answer a review request."))
    _open_review(review, appeal)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            _("Write the reply the author will read."), field="comment", code="required"
        )
    return _event(appeal, EventKind.REVIEW_CLOSED, actor, comment=comment[:5000], review=review.pk)
