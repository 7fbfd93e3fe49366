"""What a citizen does on the public pages after submitting: rate the answer, ask for a review,
withdraw (L-8), and what they read back about it. Each write is one transaction with its Event
(the appeal's history); what the working group does with a review is the engine's
(appeals.services.reviews)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.appeals import services as appeal_services
from murojaat.appeals.models import (
    Answer,
    Appeal,
    Event,
    EventKind,
)
from murojaat.appeals.services import (
    POOR_RATING,
    ReviewStatus,
    review_items_q,
    review_statuses,
)
from murojaat.core.errors import DomainError


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


def _about_answer(appeal: Appeal, sent: SentAnswer, kind: str) -> QuerySet[Event]:
    """The author's events of one kind on the answer they hold now (since it was last sent)."""
    return appeal.events.filter(kind=kind, at__gte=sent.sent_at)


def current_rating(appeal: Appeal, sent: SentAnswer | None) -> int | None:
    """The author's rating of the answer they hold now. A rating belongs to one sent answer: a
    corrected answer (L-8) is rated afresh, so Appeal.rating (the latest) is not enough."""
    if sent is None:
        return None
    rated = _about_answer(appeal, sent, EventKind.RATED).order_by("-at", "-pk").first()
    return int(rated.data["rating"]) if rated is not None else None


def can_request_review(appeal: Appeal, sent: SentAnswer | None) -> bool:
    """L-8: once per answer; a poor rating does not use up the author's request."""
    return sent is not None and not _about_answer(appeal, sent, EventKind.REVIEW_REQUESTED).exists()


@transaction.atomic
def rate_appeal(*, appeal: Appeal, rating: int, comment: str = "") -> Appeal:
    """The author rates the answer 1-5, once per sent answer. Every rating is recorded as an
    event; a poor one (<= 2) is what the working group's review list shows."""
    appeal = _lock(appeal)
    sent = sent_answer(appeal)
    if sent is None:
        raise DomainError(
            _("You can rate the answer once it has been sent to you."), code="no_answer_yet"
        )
    if current_rating(appeal, sent) is not None:
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
    sent = sent_answer(appeal)
    if sent is None:
        raise DomainError(
            _("You can ask for a review once the answer has been sent to you."),
            code="no_answer_yet",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is wrong with the answer."), field="reason", code="required")
    if not can_request_review(appeal, sent):
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


def latest_review_of(appeal: Appeal) -> ReviewStatus | None:
    """What the author sees on the tracking page: their request for a review or poor rating the
    working group last acted on (or, if it has acted on none since, the newest one). A poor
    rating goes back to the working group like a request, so its state is shown the same way."""
    items = list(appeal.events.filter(review_items_q()))
    if not items:
        return None

    def last_moved(status: ReviewStatus) -> tuple[datetime, int]:
        event = status.decision or status.request
        return event.at, event.pk

    return max(review_statuses(items).values(), key=last_moved)
