"""Everything the appeal's page shows, read in a fixed number of queries.

The appeal itself comes from `get_appeal_for` (the one gate, R-P3-5); what is read here hangs
off that appeal, so the page cannot show another appeal's rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from ..models import (
    Answer,
    Appeal,
    Assignment,
    Document,
    Event,
    ExtensionRequest,
    Topic,
    Violation,
)


@dataclass(frozen=True)
class CaseFile:
    topics: list[Topic]
    assignments: list[Assignment]
    answers: dict[int, Answer]  # by assignment id
    extension_requests: list[ExtensionRequest]
    violations: list[Violation]
    documents: list[Document]
    events: list[Event]


def _documents_for_events() -> QuerySet[Document]:
    return Document.objects.only("pk", "original_name", "kind", "event_id", "size", "appeal_id")


def case_file(appeal: Appeal) -> CaseFile:
    """The appeal's topics (also cached on the appeal for its forms), its assignments in the
    order they were sent, their answers, extension requests, delays, documents and timeline."""
    prefetch_related_objects([appeal], "topics")
    return CaseFile(
        topics=list(appeal.topics.all()),
        assignments=list(
            appeal.assignments.select_related("org", "sender_org", "executor", "sent_by").order_by(
                "sent_at", "pk"
            )
        ),
        answers={
            ans.assignment_id: ans
            for ans in Answer.objects.filter(assignment__appeal=appeal)
            .select_related("signed_by", "prepared_by")
            .prefetch_related("outcomes__topic")
        },
        extension_requests=list(
            ExtensionRequest.objects.filter(assignment__appeal=appeal).select_related(
                "requested_by", "decided_by", "assignment__org"
            )
        ),
        violations=list(
            Violation.objects.filter(assignment__appeal=appeal).select_related(
                "org", "explained_by", "decided_by"
            )
        ),
        documents=list(appeal.documents.select_related("uploaded_by", "assignment__org")),
        events=list(
            appeal.events.select_related("actor", "actor_org", "target_org", "assignment__org")
            .prefetch_related(Prefetch("documents", queryset=_documents_for_events()))
            .order_by("at", "pk")
        ),
    )


def answer_of(assignment: Assignment) -> Answer | None:
    """The assignment's answer with its signer, for the letter."""
    return Answer.objects.filter(assignment=assignment).select_related("signed_by").first()


def violation_on(assignment: Assignment, pk: int) -> Violation | None:
    """A delay recorded on this assignment (never another's, whatever id a form sends)."""
    return Violation.objects.filter(pk=pk, assignment=assignment).first()


def extension_request_on(assignment: Assignment, pk: int) -> ExtensionRequest | None:
    """An extension request of this assignment (never another's, whatever id a form sends)."""
    return ExtensionRequest.objects.filter(pk=pk, assignment=assignment).first()


def document_of(appeal: Appeal, pk: int) -> Document | None:
    return appeal.documents.filter(pk=pk).first()
