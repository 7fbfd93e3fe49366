"""Defects a QA walkthrough of the demo found on the clerk's pages and the answer letter."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document as Docx

from murojaat.appeals import services
from murojaat.appeals.documents import answer_letter_docx
from murojaat.appeals.forms import DraftAnswerForm, RegisterAppealForm
from murojaat.appeals.models import Appeal
from tests.appeals.helpers import every_outcome, register
from tests.factories import Ministry
from tests.reports.scenario import at

pytestmark = pytest.mark.django_db


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def letter_text(ministry: Ministry, **appeal_fields) -> str:
    m = ministry
    appeal = register("minister_vr", **appeal_fields)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    answer = services.draft_answer(
        actor=m.centre_executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
    )
    # The clerk works on an English screen; the letter is the citizen's.
    with translation.override("en"):
        data = answer_letter_docx(answer)
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("", "murojaatingiz koʻrib chiqildi"),
        ("uz", "murojaatingiz koʻrib chiqildi"),
        ("uz-cyrl", "мурожаатингиз кўриб чиқилди"),
        ("ru", "рассмотрено"),
        ("en", "has been considered"),
        ("kk", "murojaatingiz koʻrib chiqildi"),
    ],
)
def test_the_answer_letter_is_in_the_appeal_s_language_not_the_clerk_s_r_p2_9(
    ministry: Ministry, language: str, phrase: str
) -> None:
    assert phrase in letter_text(ministry, language=language)


def test_a_new_appeal_s_language_defaults_to_uzbek_on_an_english_screen(
    ministry: Ministry,
) -> None:
    with translation.override("en"):
        assert RegisterAppealForm(channel="president_vr")["language"].value() == "uz"
    body = client_for(ministry.wg_member).get(
        reverse("appeals:register_channel", args=["president_vr"])
    )
    assert '<option value="uz" selected>' in body.content.decode()
    # What the clerk chose stands.
    bound = RegisterAppealForm({"language": "ru"}, channel="president_vr")
    assert bound["language"].value() == "ru"


def assignment_block(appeal: Appeal, user, assignment_pk: int) -> str:
    html = client_for(user).get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    match = re.search(rf'<li id="assignment-{assignment_pk}".*?</dl>', html, re.S)
    assert match, "the assignment is on the routing tree"
    return match.group(0)


def test_a_returned_assignment_shows_its_return_not_the_acceptance_deadline_r_p2_3(
    ministry: Ministry,
) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register("minister_vr")
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    with at(date(2026, 11, 19), hour=15):
        services.return_assignment(
            actor=m.centre_executor, assignment=top, reason="Bizga tegishli emas"
        )
    block = assignment_block(appeal, m.wg_member, top.pk)
    assert "not yet" not in block and "accept by" not in block
    assert "not accepted" in block
    assert "Returned</dt>" in block and "19/11/2026 15:00" in block
    assert "Bizga tegishli emas" in block


def test_a_recalled_assignment_shows_its_recall(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register("minister_vr")
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    with at(date(2026, 11, 20)):
        services.recall_assignment(actor=m.wg_member, assignment=top, reason="Boshqa joyga")
    block = assignment_block(appeal, m.wg_member, top.pk)
    assert "accept by" not in block
    assert "Recalled</dt>" in block and "20/11/2026" in block


def test_an_assignment_still_to_accept_shows_the_acceptance_deadline(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register("minister_vr")
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    block = assignment_block(appeal, m.wg_member, top.pk)
    assert "not yet (accept by" in block
    assert "Returned</dt>" not in block and "Recalled</dt>" not in block


@pytest.mark.parametrize(
    ("language", "empty"), [("en", "— choose —"), ("uz", "— tanlang —"), ("ru", "— выберите —")]
)
def test_the_feedback_choice_starts_empty_not_with_none_r_p2_8(language: str, empty: str) -> None:
    """An empty choice labelled "None" read as "no feedback needed"; R-P2-8 itself stays in
    the service (test_president_procedure_requires_the_author_s_feedback_r_p2_8)."""
    with translation.override(language):
        value, label = DraftAnswerForm.base_fields["feedback_form"].choices[0]
        assert (value, str(label)) == ("", empty)


def district_select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize("channel", ["president_vr", "hotline", "peoples_reception"])
def test_the_clerk_s_district_lists_narrow_to_the_region_like_the_public_form_r_p3_1(
    ministry: Ministry, channel: str
) -> None:
    html = (
        client_for(ministry.wg_member)
        .get(reverse("appeals:register_channel", args=[channel]))
        .content.decode()
    )
    assert 'data-region-field="id_author_region"' in district_select(html, "author_district")
    if channel == "peoples_reception":
        reception = district_select(html, "reception_district")
        assert 'data-region-field="id_reception_region"' in reception
    assert 'src="/static/js/districts.js"' in html


def test_the_register_page_says_to_choose_how_the_appeal_arrived_r_in_1(
    ministry: Ministry,
) -> None:
    html = client_for(ministry.wg_member).get(reverse("appeals:register")).content.decode()
    assert "Choose how the appeal arrived" in html
    assert "Doors with their own details" not in html
