"""The source and the author see an answer only once it was really sent, with its real send
time (R-P2-10): a refused answer being reworked is not "the answer" until it goes out again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, AppealState, FeedbackForm, Outcome, Topic
from tests.gateway.conftest import appeal_data
from tests.gateway.helpers import answer_and_send

pytestmark = pytest.mark.django_db


def _rework(m, appeal: Appeal, text: str) -> Appeal:
    top = appeal.assignments.get(parent__isnull=True)
    services.draft_answer(
        actor=m.regional_executor,
        assignment=top,
        text=text,
        feedback_form=FeedbackForm.THANKS,
        outcomes=[
            services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
        ],
    )
    services.sign_answer(actor=m.regional_head, assignment=top)
    services.submit_answer(actor=m.regional_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)
    appeal.refresh_from_db()
    return appeal


def test_a_reworked_answer_is_hidden_until_sent_again_then_shown_with_its_new_send_time(
    ministry, api
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api.create_appeal(appeal_data("RW-1"))
        appeal = answer_and_send(ministry, Appeal.objects.get(external_id="RW-1"))
        first = api.status("RW-1").json()["answer"]
        assert first is not None
        assert api.reject("RW-1", "The feedback form is missing.").status == 200
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        appeal = _rework(ministry, appeal, "Qayta ishlangan javob.")
        assert appeal.state == AppealState.ANSWER_READY
        got = api.status("RW-1").json()
        assert got["state"] == "answer_ready" and got["answer"] is None
    resent_at = start + timedelta(hours=3)
    with time_machine.travel(resent_at, tick=False):
        services.send_answer(actor=ministry.wg_member, appeal=appeal)
        answer = api.status("RW-1").json()["answer"]
    assert answer["text"] == "Qayta ishlangan javob."
    assert answer["sent_at"] != first["sent_at"]
    assert answer["sent_at"].startswith(resent_at.isoformat()[:19])


def test_an_answer_letter_is_not_downloadable_by_the_source_until_the_answer_is_sent(ministry, api):
    """Issue 10 #8 (R-P2-10): document ids are sequential; a draft, unsigned answer letter
    must answer 404 exactly like an id that does not exist, and 200 once the answer went out."""
    from murojaat.appeals.models import DocumentKind
    from tests.appeals.helpers import PDF

    api.create_appeal(appeal_data("DOC-1"))
    appeal = Appeal.objects.get(external_id="DOC-1")
    (top,) = services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
    )
    services.accept_assignment(actor=ministry.regional_executor, assignment=top)
    services.draft_answer(
        actor=ministry.regional_executor,
        assignment=top,
        text="Qoralama javob.",
        feedback_form=FeedbackForm.THANKS,
        outcomes=[
            services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
        ],
    )
    letter = services.add_document(
        actor=ministry.regional_executor,
        appeal=appeal,
        assignment=top,
        kind=DocumentKind.ANSWER_LETTER,
        name="javob-xati.pdf",
        content=PDF,
    )
    path = f"/appeals/DOC-1/documents/{letter.pk}"
    assert api.request("GET", path).status == 404  # drafted, not signed
    got = api.status("DOC-1").json()
    assert got["answer"] is None and got["attachments"] == []

    services.add_document(
        actor=ministry.regional_executor,
        appeal=appeal,
        assignment=top,
        kind="feedback",
        name="tashakkurnoma.pdf",
        content=PDF,
    )
    services.sign_answer(actor=ministry.regional_head, assignment=top)
    services.submit_answer(actor=ministry.regional_executor, assignment=top)
    services.accept_answer(actor=ministry.wg_member, assignment=top)
    assert api.request("GET", path).status == 404  # signed and accepted, still not sent

    appeal.refresh_from_db()
    services.send_answer(actor=ministry.wg_member, appeal=appeal)
    response = api.request("GET", path)
    assert response.status == 200 and response.body == PDF
    listed = {d["id"] for d in api.status("DOC-1").json()["answer"]["documents"]}
    assert letter.pk in listed
