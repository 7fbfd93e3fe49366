"""The answer letter as an official document (R-P2-9, L-9): A4, letterhead, outgoing number,
the text once, outcomes with legal grounds, signer and executor; DOCX and PDF read back; the QR
code's public page confirms number, date and signer, never the content."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as Docx
from pypdf import PdfReader

from murojaat.accounts.models import User
from murojaat.appeals import services
from murojaat.appeals.deadlines import local_date
from murojaat.appeals.documents import answer_letter_docx
from murojaat.appeals.models import Outcome, Topic
from murojaat.documents import letters
from murojaat.documents.models import IssuedLetter
from tests.appeals.helpers import register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db

OPENING = "Your appeal No. {number} received on {date} has been considered."
SECRET = "Shifokor Aliyev bilan suhbat oʻtkazildi"


@pytest.fixture
def signed(ministry: Ministry):
    m = ministry
    m.centre.address = "Toshkent, Osiyo koʻchasi, 4"
    m.centre.phone = "+998 71 237-00-00"
    m.centre.save()
    m.centre_executor.phone = "+998 71 237-11-22"
    m.centre_executor.first_name, m.centre_executor.last_name = "Dilshod", "Karimov"
    m.centre_executor.save()
    appeal = register("minister_vr", language="en", author_name="Toshmatova Oydin")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    received = local_date(appeal.received_at).strftime("%d.%m.%Y")
    text = OPENING.format(number=appeal.number, date=received) + "\n" + SECRET + "."
    services.draft_answer(
        actor=m.centre_executor,
        assignment=top,
        text=text,
        outcomes=[
            services.OutcomeInput(
                Topic.objects.get(code="quality-of-care"), Outcome.REFUSED, "ZRU-445, 20-modda"
            )
        ],
    )
    head = make_user("centrehead", m.centre, "head", position="Markaz direktori")
    answer = services.sign_answer(actor=head, assignment=top)
    answer.refresh_from_db()
    return appeal, top, answer, head


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4, not US Letter
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_an_official_letter_read_back_r_p2_9(ministry, signed) -> None:
    appeal, top, answer, head = signed
    issued = letters.issue_letter(answer)
    text = _pdf_text(letters.letter_pdf(answer, issued, "https://example.uz/public/letters/x/"))
    assert ministry.centre.name in text  # letterhead, in the letter's language
    assert "Osiyo" in text and "237-00-00" in text
    assert issued.number in text and "No." in text
    assert "Toshmatova Oydin" in text  # the addressee
    assert text.count("has been considered") == 1  # the text once
    assert "ZRU-445, 20-modda" in text and "Refused" in text  # outcome with its legal ground
    assert "Markaz direktori" in text and head.full_name in text
    assert "Karimov Dilshod" in text and "237-11-22" in text  # the executor line


def test_the_docx_is_a4_with_the_number_once_signed(ministry, signed) -> None:
    appeal, top, answer, head = signed
    doc = Docx(io.BytesIO(answer_letter_docx(answer)))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    issued = IssuedLetter.objects.get(answer=answer)
    assert issued.number in body
    assert body.count("has been considered") == 1
    assert "Markaz direktori" in cells


def test_a_draft_has_no_number_and_says_so(ministry) -> None:
    m = ministry
    appeal = register("minister_vr", language="en")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    answer = services.draft_answer(
        actor=m.centre_executor,
        assignment=top,
        text="Javob",
        outcomes=[services.OutcomeInput(Topic.objects.get(code="quality-of-care"), "explained")],
    )
    body = "\n".join(p.text for p in Docx(io.BytesIO(answer_letter_docx(answer))).paragraphs)
    assert "DRAFT" in body
    assert not IssuedLetter.objects.exists()
    with pytest.raises(Exception, match="signed"):
        letters.issue_letter(answer)


def test_numbers_follow_each_other_per_organisation_and_repeat_downloads_keep_theirs(
    ministry, signed
) -> None:
    appeal, top, answer, head = signed
    first = letters.issue_letter(answer)
    assert letters.issue_letter(answer).pk == first.pk
    assert first.number.endswith("/2026-1") or first.seq == 1
    assert len(first.token) >= 40  # unguessable, not a sequential id


def test_the_qr_page_confirms_number_date_and_signer_never_the_content(
    client, ministry, signed
) -> None:
    appeal, top, answer, head = signed
    staff = Client()
    staff.force_login(ministry.centre_executor)
    response = staff.get(reverse("appeals:answer_letter_pdf", args=[appeal.number, top.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    issued = IssuedLetter.objects.get(answer=answer)
    url = reverse("public:letter", args=[issued.token])
    assert url in _pdf_text(response.content).replace("\n", "")
    page = client.get(url).content.decode()  # anonymous
    assert issued.number in page and head.full_name in page and "Markaz direktori" in page
    assert SECRET not in page and "Toshmatova" not in page and appeal.number not in page
    assert client.get(reverse("public:letter", args=["x" * 43])).status_code == 404


def test_the_pdf_link_is_404_for_an_unrelated_organisation(ministry, signed) -> None:
    appeal, top, answer, head = signed
    outsider = Client()
    outsider.force_login(ministry.outsider)
    url = reverse("appeals:answer_letter_pdf", args=[appeal.number, top.pk])
    assert outsider.get(url).status_code == 404
    assert not IssuedLetter.objects.exists()


def test_the_letter_is_in_the_appeal_s_language(ministry, signed) -> None:
    appeal, top, answer, head = signed
    appeal.language = "ru"
    appeal.save(update_fields=["language"])
    answer = type(answer).objects.get(pk=answer.pk)
    issued = letters.issue_letter(answer)
    text = _pdf_text(letters.letter_pdf(answer, issued, "https://e.uz/x"))
    assert re.search("Исполнитель|исполнитель", text)
    assert User.objects.filter(pk=head.pk).exists()
