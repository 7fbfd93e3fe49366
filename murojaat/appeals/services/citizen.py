"""The author's own writes after submitting (L-7, L-8): rate the answer, ask for a review,
withdraw the appeal.

The author acts from the public tracking page without an account, so there is no actor and no
side in the transition table; the guards are the law's: an answer must have been sent, one
rating and one request for review per sent answer. Like every write of an appeal they live in
the engine, lock the appeal with the engine's helper and write their event in the same
transaction, so a page that only calls them cannot bypass a rule. What the working group does
with a review is `reviews.py`; the reads the guards rest on (the answer the author holds, their
rating) are `selectors.answers`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from murojaat.core.errors import DomainError

from ..models import Appeal, Event, EventKind
from ..selectors.answers import SentAnswer, author_events_on_answer, current_rating, sent_answer
from ._common import _bump, _event, _lock_appeal
from .reviews import POOR_RATING
from .routing import TerminationGround, terminate_appeal

__all__ = [
    "SentAnswer",
    "can_request_review",
    "current_rating",
    "rate_appeal",
    "request_review",
    "sent_answer",
    "withdraw_appeal",
]


def can_request_review(appeal: Appeal, sent: SentAnswer | None) -> bool:
    """L-8: once per answer; a poor rating does not use up the author's request."""
    return (
        sent is not None
        and not author_events_on_answer(appeal, sent, EventKind.REVIEW_REQUESTED).exists()
    )


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
