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
