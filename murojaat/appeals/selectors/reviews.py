"""Reads of citizens' reviews (L-8): the working group's review list and a review's state.

Which events are review items is the rule of `services.reviews` (`review_items_q`); the list is
read here, inside the reader's scope like every read of appeals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from murojaat.accounts.models import User
from murojaat.core.errors import NotFound

from ..models import Appeal, Event, EventKind
from . import appeals_visible_to


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


def _review_items_q() -> Q:
    from ..services.reviews import review_items_q  # the rule is the services'; no import circle

    return review_items_q()


def review_items_for(user: User) -> QuerySet[Event]:
    """Poor ratings and requests for review on the appeals the user may read, newest first."""
    return (
        Event.objects.filter(_review_items_q(), appeal__in=appeals_visible_to(user))
        .select_related("appeal")
        .order_by("-at", "-pk")
    )


def review_item_for(user: User, pk: int) -> Event:
    """One review item inside the reader's scope; the same 404 for "missing" and "not yours"."""
    event = review_items_for(user).filter(pk=pk).first()
    if event is None:
        raise NotFound("not found")
    return event


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
    """What the author sees on the tracking page: their request for a review or poor rating the
    working group last acted on (or, if it has acted on none since, the newest one). A poor
    rating goes back to the working group like a request, so its state is shown the same way."""
    items = list(appeal.events.filter(_review_items_q()))
    if not items:
        return None

    def last_moved(status: ReviewStatus) -> tuple[datetime, int]:
        event = status.decision or status.request
        return event.at, event.pk

    return max(review_statuses(items).values(), key=last_moved)
