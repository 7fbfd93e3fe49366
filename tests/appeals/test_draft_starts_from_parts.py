"""The answer that goes up starts from the answers accepted below it (R-P2-5, R-P2-6, R-P2-7):
a regional directorate sends up what its association prepared and a lead consolidates its
co-executors' parts, so the draft form opens with their text, feedback form and outcomes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.forms import build_action_form
from murojaat.appeals.models import FeedbackForm, Outcome, Topic
from tests.appeals.helpers import (
    ASSOCIATION_ANSWER,
    answer_with_feedback,
    forwarded_to_association,
    register,
)
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db


def _answered_by_association(m: Ministry):
    appeal = register()
    top, child = forwarded_to_association(m, appeal)
    answer_with_feedback(m, child)
    services.sign_answer(actor=m.association_head, assignment=child)
    services.submit_answer(actor=m.association_executor, assignment=child)
    return appeal, top, child


def _draft_form(appeal, assignment):
    assignment.refresh_from_db()
    return build_action_form("draft_answer", appeal=appeal, assignment=assignment)


def test_the_directorate_s_draft_starts_from_the_association_s_accepted_answer_r_p2_7(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal, top, child = _answered_by_association(m)
    # Submitted but not yet accepted: nothing is carried over.
    assert _draft_form(appeal, top)["text"].value() in (None, "")
    services.accept_answer(actor=m.regional_executor, assignment=child)
    form = _draft_form(appeal, top)
    assert form["text"].value() == ASSOCIATION_ANSWER
    assert form["feedback_form"].value() == FeedbackForm.THANKS
    topic = Topic.objects.get(code="quality-of-care")
    assert form[f"outcome_{topic.pk}"].value() == Outcome.SATISFIED
    assert m.association_a.name in str(form.fields["text"].help_text)


def test_the_directorate_s_own_draft_wins_over_the_association_s(ministry: Ministry) -> None:
    m = ministry
    appeal, top, child = _answered_by_association(m)
    services.accept_answer(actor=m.regional_executor, assignment=child)
    services.draft_answer(actor=m.regional_executor, assignment=top, text="Hududiy javob.")
    form = _draft_form(appeal, top)
    assert form["text"].value() == "Hududiy javob."
    assert not form.fields["text"].help_text


def test_the_lead_s_draft_gathers_every_co_executor_s_part_under_its_name_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = make_user("deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari")
    centre_head = make_user("centrehead", m.centre, "head")
    appeal = register("minister_vr", topics=("quality-of-care", "medicines"))
    lead, co, co2 = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        co_executors=[m.main_directorate_2, m.centre],
    )
    medicines = Topic.objects.get(code="medicines")
    for executor, signer, part, text in (
        (m.md2_executor, deputy, co, "Dori vositalari boʻyicha."),
        (m.centre_executor, centre_head, co2, "Markaz xulosasi."),
    ):
        services.accept_assignment(actor=executor, assignment=part)
        services.draft_answer(
            actor=executor,
            assignment=part,
            text=text,
            outcomes=[services.OutcomeInput(medicines, Outcome.EXPLAINED)],
        )
        services.sign_answer(actor=signer, assignment=part)
        services.submit_answer(actor=executor, assignment=part)
        services.accept_answer(actor=m.md_executor, assignment=part)
    form = _draft_form(appeal, lead)
    text = form["text"].value()
    assert f"{m.main_directorate_2.name}:\nDori vositalari boʻyicha." in text
    assert f"{m.centre.name}:\nMarkaz xulosasi." in text
    assert form[f"outcome_{medicines.pk}"].value() == Outcome.EXPLAINED
    # No part answered this issue: the lead decides it.
    care = Topic.objects.get(code="quality-of-care")
    assert form[f"outcome_{care.pk}"].value() in (None, "")


def test_the_appeal_page_shows_the_directorate_the_association_s_text_in_its_form(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal, _top, child = _answered_by_association(m)
    services.accept_answer(actor=m.regional_executor, assignment=child)
    client = Client()
    client.force_login(m.regional_executor)
    page = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert page.count(ASSOCIATION_ANSWER) >= 2  # the association's answer and the new draft
    assert "<textarea" in page
