"""Reads of answers: the one the source and the author receive, and what the author did with it.

The author's rules (rate once per sent answer, ask for a review once) are guarded by
`services.citizen`; they rest on these reads, and the tracking page and the API read the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType

from django.db.models import Q, QuerySet

from ..models import (
    Answer,
    Appeal,
    AssignmentRole,
    AssignmentState,
    Document,
    DocumentKind,
    Event,
    EventKind,
)


@dataclass(frozen=True)
class SentAnswer:
    answer: Answer
    sent_at: datetime


# After these the answer the author holds is no longer the current one: it is being reworked.
ANSWER_WITHDRAWN = (EventKind.SOURCE_REJECTED, EventKind.REVIEW_TAKEN)


def final_answer(appeal: Appeal) -> Answer | None:
    """The lead's consolidated answer the working group accepted (R-P2-5, R-P3-4).

    Selected by role, never by sort order: a co-executor's part is an input to the lead's
    consolidation and must not reach the source, even if it was accepted more recently.
    """
    return (
        Answer.objects.filter(
            assignment__appeal=appeal,
            assignment__parent__isnull=True,
            assignment__role=AssignmentRole.EXECUTOR,
            assignment__state=AssignmentState.DONE,
        )
        .select_related("assignment__org", "signed_by")
        .prefetch_related("outcomes__topic")
        .order_by("-assignment__answered_at", "-assignment__pk")
        .first()
    )


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


def author_events_on_answer(appeal: Appeal, sent: SentAnswer, kind: str) -> QuerySet[Event]:
    """The author's events of one kind on the answer they hold now (since it was last sent)."""
    return appeal.events.filter(kind=kind, at__gte=sent.sent_at)


def current_rating(appeal: Appeal, sent: SentAnswer | None) -> int | None:
    """The author's rating of the answer they hold now. A rating belongs to one sent answer: a
    corrected answer (L-8) is rated afresh, so Appeal.rating (the latest) is not enough."""
    if sent is None:
        return None
    rated = author_events_on_answer(appeal, sent, EventKind.RATED).order_by("-at", "-pk").first()
    return int(rated.data["rating"]) if rated is not None else None


def author_attachments(appeal: Appeal) -> QuerySet[Document]:
    """What the author sent with the appeal: the only documents the tracking page lists."""
    return appeal.documents.filter(kind=DocumentKind.ATTACHMENT)


# The documents that make up an answer: they go out with it, and not before.
ANSWER_DOCUMENT_KINDS = (
    DocumentKind.ANSWER_LETTER,
    DocumentKind.FEEDBACK,
    DocumentKind.REFUSAL_ACT,
    DocumentKind.REFERENCE,
)


def documents_for_source(
    appeal: Appeal, sent: SentAnswer | EllipsisType | None = ...
) -> QuerySet[Document]:
    """What an external system may list and download: what it sent itself, and the answer's
    documents only once the answer went out to it, as they were when it was sent.

    A draft letter, an unsigned one, or a letter replaced during rework after a send is the
    ministry's internal paper until the answer is sent (again): ids are sequential, so a
    client must not be able to fetch one by guessing. `sent` saves a second read when the
    caller already has it (None included: nothing was sent).
    """
    attachments = Q(kind=DocumentKind.ATTACHMENT)
    if sent is ...:
        sent = sent_answer(appeal)
    if sent is None:
        return appeal.documents.filter(attachments)
    return appeal.documents.filter(
        attachments | Q(kind__in=ANSWER_DOCUMENT_KINDS, uploaded_at__lte=sent.sent_at)
    )
