"""What a citizen does on the public pages after submitting: rate the answer, ask for a review,
withdraw (L-8); and what the working group does with a review request: take it into work (the
answer is reopened for rework, due in 10 days) or answer it with a comment. Each write is one
transaction with its Event (the appeal's history)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.appeals import services as appeal_services
from murojaat.appeals.models import (
    Answer,
    AnswerState,
    Appeal,
    AssignmentState,
    Event,
    EventKind,
)
from murojaat.appeals.permissions import appeal_sides
from murojaat.appeals.services._common import (
    _bump,
    _check_appeal,
    _event,
    _lock_appeal,
    _notify_source,
    _today,
    explain_due,
)
from murojaat.core.errors import Conflict, DomainError, PermissionDenied

POOR_RATING = 2  # a rating at or below this reaches the working group's review list


def request_digest(body: dict[str, Any]) -> str:
    """A stable hash of a parsed request: key order, spacing and defaults left out or spelt
    out do not change it, so only a different content makes a repeated create a clash."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class SentAnswer:
    answer: Answer
    sent_at: datetime


# After these the answer the author holds is no longer the current one: it is being reworked.
ANSWER_WITHDRAWN = (EventKind.SOURCE_REJECTED, EventKind.REVIEW_TAKEN)


def sent_answer(appeal: Appeal) -> SentAnswer | None:
    """The answer as last sent to the author, with the time it was really sent; None before
    the first send and while a refused answer is reworked (until it is sent again).

    Read from the events, not from Answer.sent_to_author_at: that keeps the first send's time,
    and a reworked answer accepted again but not yet sent must not reach the author.
    """
    last = (
        appeal.events.filter(kind__in=(EventKind.ANSWER_SENT, *ANSWER_WITHDRAWN))
        .order_by("-at", "-pk")
        .first()
    )
    if last is None or last.kind != EventKind.ANSWER_SENT:
        return None
    answer = appeal_services.final_answer(appeal)
    if answer is None:
        return None
    return SentAnswer(answer=answer, sent_at=last.at)


def _lock(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


@transaction.atomic
def rate_appeal(*, appeal: Appeal, rating: int, comment: str = "") -> Appeal:
    """The author rates the answer 1-5, once. Every rating is recorded as an event; a poor one
    (<= 2) is what the working group's review list shows."""
    appeal = _lock(appeal)
    if sent_answer(appeal) is None:
        raise DomainError(
            _("You can rate the answer once it has been sent to you."), code="no_answer_yet"
        )
    if appeal.rating is not None:
        raise DomainError(_("You have already rated this answer."), code="already_rated")
    if not 1 <= int(rating) <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), field="rating", code="invalid_rating")
    Appeal.objects.filter(pk=appeal.pk).update(rating=int(rating))
    appeal.rating = int(rating)
    Event.objects.create(
        appeal=appeal,
        kind=EventKind.RATED,
        at=timezone.now(),
        comment=comment.strip()[:2000],
        data={"rating": int(rating), "poor": int(rating) <= POOR_RATING, "by_author": True},
    )
    return appeal


@transaction.atomic
def request_review(*, appeal: Appeal, reason: str) -> Event:
    """L-8: the author asks for the answer to be clarified or corrected; once per answer."""
    appeal = _lock(appeal)
    if sent_answer(appeal) is None:
        raise DomainError(
            _("You can ask for a review once the answer has been sent to you."),
            code="no_answer_yet",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is wrong with the answer."), field="reason", code="required")
    last_sent = appeal.events.filter(kind=EventKind.ANSWER_SENT).order_by("-at", "-pk").first()
    asked = appeal.events.filter(kind=EventKind.REVIEW_REQUESTED)
    if last_sent is not None:
        asked = asked.filter(at__gte=last_sent.at)
    if asked.exists():
        raise DomainError(
            _("You have already asked for a review of this answer."), code="already_requested"
        )
    return Event.objects.create(
        appeal=appeal,
        kind=EventKind.REVIEW_REQUESTED,
        at=timezone.now(),
        comment=reason[:5000],
        data={"by_author": True},
    )


def withdraw_appeal(*, appeal: Appeal, reason: str = "") -> Appeal:
    """L-7: the author withdraws the appeal; consideration is terminated."""
    return appeal_services.terminate_appeal(
        actor=None,
        appeal=appeal,
        ground=appeal_services.TerminationGround.WITHDRAWN,
        comment=(reason or "").strip()[:2000],
        by_author=True,
    )


# --- the working group's side of a review request (L-8) -------------------------------------

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


def is_review_item(event: Event) -> bool:
    """A request for review, or a poor rating: both reach the working group's review list."""
    if event.kind == EventKind.REVIEW_REQUESTED:
        return True
    rating = (event.data or {}).get("rating")
    return event.kind == EventKind.RATED and rating is not None and int(rating) <= POOR_RATING


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


def latest_review_of(appeal: Appeal) -> ReviewStatus | None:
    """What the author sees on the tracking page about their last request for a review."""
    request = appeal.events.filter(kind=EventKind.REVIEW_REQUESTED).order_by("-at", "-pk").first()
    return review_statuses([request])[request.pk] if request is not None else None


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
    """L-8: the answer goes back to its executor for rework, due in REVIEW_DAYS from today; the
    reworked answer then follows the usual path (sign, accept, send) and reaches the author."""
    appeal = _lock_appeal(review.appeal)
    _open_review(review, appeal)
    transition = _check_appeal(actor, appeal, "reopen_for_review")
    lead = (
        appeal.assignments.filter(parent__isnull=True, state=AssignmentState.DONE)
        .select_related("org")
        .order_by("role", "-answered_at")
        .first()
    )
    if lead is None:
        raise DomainError(
            _("The appeal has no answered assignment to reopen."), code="nothing_to_reopen"
        )
    start = _today()
    due = explain_due(procedure=appeal.procedure, start=start, days=REVIEW_DAYS).due
    deadline = {"due_start": start, "due_days": REVIEW_DAYS, "extension_days": 0, "due_date": due}
    _bump(lead, state=AssignmentState.ACCEPTED, finished_at=None, **deadline)
    Answer.objects.filter(assignment=lead).update(
        state=AnswerState.DRAFT, signed_by=None, signed_at=None
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
