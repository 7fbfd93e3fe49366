"""The author's own writes after submitting (L-7, L-8): rate the answer, ask for a review,
withdraw the appeal.

The author acts from the public tracking page without an account, so there is no actor and no
side in the transition table; the guards are the law's: an answer must have been sent, one
rating and one request for review per sent answer. Like every write of an appeal they live in
the engine, lock the appeal with the engine's helper and write their event in the same
transaction, so a page that only calls them cannot bypass a rule. What the working group does
with a review is `reviews.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from murojaat.core.errors import DomainError

from ..models import Answer, Appeal, Event, EventKind
from ._common import _bump, _event, _lock_appeal
from .reviews import POOR_RATING
from .routing import TerminationGround, final_answer, terminate_appeal


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
    answer = final_answer(appeal)
    if answer is None:
        return None
    return SentAnswer(answer=answer, sent_at=last.at)


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


def _sent_answer_or_refuse(appeal: Appeal, message: str) -> SentAnswer:
    """The author acts on an answer they hold; before it is sent there is nothing to act on."""
    sent = sent_answer(appeal)
    if sent is None:
        raise DomainError(message, code="no_answer_yet")
    return sent


@transaction.atomic
def rate_appeal(*, appeal: Appeal, rating: int, comment: str = "") -> Appeal:
    """The author rates the answer 1-5, once per sent answer. Every rating is recorded as an
    event; a poor one (<= POOR_RATING) is what the working group's review list shows (L-8)."""
    appeal = _lock_appeal(appeal)
    sent = _sent_answer_or_refuse(
        appeal, _("You can rate the answer once it has been sent to you.")
    )
    if current_rating(appeal, sent) is not None:
        raise DomainError(_("You have already rated this answer."), code="already_rated")
    if not 1 <= int(rating) <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), field="rating", code="invalid_rating")
    rating = int(rating)
    _bump(appeal, rating=rating)
    _event(
        appeal,
        EventKind.RATED,
        None,
        comment=comment.strip()[:2000],
        rating=rating,
        poor=rating <= POOR_RATING,
        by_author=True,
    )
    return appeal


@transaction.atomic
def request_review(*, appeal: Appeal, reason: str) -> Event:
    """L-8: the author asks for the answer to be clarified or corrected; once per answer."""
    appeal = _lock_appeal(appeal)
    sent = _sent_answer_or_refuse(
        appeal, _("You can ask for a review once the answer has been sent to you.")
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is wrong with the answer."), field="reason", code="required")
    if not can_request_review(appeal, sent):
        raise DomainError(
            _("You have already asked for a review of this answer."), code="already_requested"
        )
    return _event(appeal, EventKind.REVIEW_REQUESTED, None, comment=reason[:5000], by_author=True)


def withdraw_appeal(*, appeal: Appeal, reason: str = "") -> Appeal:
    """L-7: the author withdraws the appeal. The termination's own service does the work (one
    transaction, its lock, the 3-day return of the materials), told that the author acts."""
    return terminate_appeal(
        actor=None,
        appeal=appeal,
        ground=TerminationGround.WITHDRAWN,
        comment=(reason or "").strip()[:2000],
        by_author=True,
    )
