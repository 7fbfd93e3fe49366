"""Small builders for appeal tests: sample files, a registered appeal, the district story."""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Assignment, FeedbackForm, Outcome, Topic

if TYPE_CHECKING:
    from tests.factories import Ministry

TASHKENT = ZoneInfo("Asia/Tashkent")

# The smallest real PDF and PNG a content sniffer accepts.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
    "cfc0f01f0005000201ee1a4f3b0000000049454e44ae426082"
)


def docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Maʼlumotnoma")
    doc.save(buffer)
    return buffer.getvalue()


def register(
    channel: str = "president_vr",
    *,
    received: datetime | None = None,
    topics: tuple[str, ...] = ("quality-of-care",),
    actor=None,
    **extra,
) -> Appeal:
    fields = {
        "author_name": "Karimova Dilnoza",
        "author_address": "Zangiota tumani, Eshonguzar MFY, 12-uy",
        "author_phone": "+998901234567",
        "text": "Poliklinikada shifokor qabul qilmadi, navbat uch kun.",
    }
    fields.update(extra)
    registration = services.register_appeal(
        actor=actor,
        channel=channel,
        received_at=received or datetime(2026, 11, 18, 10, 0, tzinfo=TASHKENT),
        topics=Topic.objects.filter(code__in=topics),
        **fields,
    )
    return registration.appeal


def every_outcome(appeal: Appeal, outcome: str = "explained") -> list[services.OutcomeInput]:
    """L-9: one outcome per issue the appeal raises, or one for the appeal as a whole."""
    topics = list(appeal.topics.all())
    return [services.OutcomeInput(t, outcome) for t in topics] or [
        services.OutcomeInput(None, outcome)
    ]


ASSOCIATION_ANSWER = "Shifokor bilan suhbat oʻtkazildi, navbat tartibga solindi."


def forwarded_to_association(m: Ministry, appeal: Appeal) -> tuple[Assignment, Assignment]:
    """R-P2-6: routed to the regional directorate, forwarded to its association, accepted by
    both; returns (the directorate's assignment, the association's)."""
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    return top, child


def answer_with_feedback(
    m: Ministry, assignment: Assignment, form: str = FeedbackForm.THANKS
) -> None:
    """R-P2-7, R-P2-8: the association drafts its answer (one outcome) and attaches the author's
    written feedback, or the act of refusal."""
    topic = Topic.objects.get(code="quality-of-care")
    services.draft_answer(
        actor=m.association_executor,
        assignment=assignment,
        text=ASSOCIATION_ANSWER,
        feedback_form=form,
        outcomes=[services.OutcomeInput(topic, Outcome.SATISFIED)],
    )
    services.add_document(
        actor=m.association_executor,
        appeal=assignment.appeal,
        assignment=assignment,
        kind="refusal_act" if form == FeedbackForm.REFUSAL_ACT else "feedback",
        name="tashakkurnoma.pdf",
        content=PDF,
    )
