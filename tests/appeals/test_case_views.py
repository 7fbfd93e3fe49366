"""The case pages through the forms: who sees what, every action as a POST, refusals as errors."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from murojaat.appeals import services
from murojaat.appeals.models import (
    Appeal,
    AppealState,
    Assignment,
    AssignmentState,
    Document,
    EventKind,
    ExtensionState,
    FeedbackForm,
    Outcome,
    Topic,
)
from tests.appeals.helpers import PDF, TASHKENT, docx_bytes, every_outcome, register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)


def at(day: date, hour: int = 11):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=TASHKENT), tick=False
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(
    user,
    appeal: Appeal,
    action: str,
    assignment: Assignment | None = None,
    *,
    expect: int = 302,
    **data: Any,
):
    """POST one action form as `user`, with the current version unless one is given."""
    if assignment is not None:
        assignment.refresh_from_db()
        data.setdefault("version", assignment.version)
        url = reverse("appeals:act", args=[appeal.number, action, assignment.pk])
    else:
        appeal.refresh_from_db()
        data.setdefault("version", appeal.version)
        url = reverse("appeals:act", args=[appeal.number, action])
    if action == "route":
        # The routing form comes with the appeal's topics ticked (issue 13): posted as shown.
        data.setdefault("topics", [t.pk for t in appeal.topics.all()])
    response = client_for(user).post(url, data)
    assert response.status_code == expect, _errors(response)
    return response


def _errors(response) -> str:
    text = response.content.decode()
    found = re.findall(
        r'class="(?:invalid-feedback[^"]*|alert alert-danger[^"]*)"[^>]*>(.*?)</div>', text, re.S
    )
    return f"status {response.status_code}: {found}"


def only(qs):
    (item,) = list(qs)
    return item


# --- visibility -------------------------------------------------------------------------------


def test_every_case_view_is_404_for_an_unrelated_organisation(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    doc = services.add_document(
        actor=m.wg_member, appeal=appeal, kind="attachment", name="a.pdf", content=PDF
    )
    client = client_for(m.outsider)
    urls = [
        reverse("appeals:detail", args=[appeal.number]),
        reverse("appeals:document", args=[appeal.number, doc.pk]),
        reverse("appeals:answer_letter", args=[appeal.number, top.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("appeals:act", args=[appeal.number, "route"]),
        reverse("appeals:act", args=[appeal.number, "accept", top.pk]),
    ]
    for url in posts:
        assert client.post(url, {"version": 1}).status_code == 404, url
    # The register page is the working group's: others are refused outright.
    assert client.get(reverse("appeals:register")).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(ministry: Ministry) -> None:
    appeal = register()
    client = Client()
    for url in [
        reverse("appeals:register"),
        reverse("appeals:detail", args=[appeal.number]),
        reverse("appeals:document", args=[appeal.number, 1]),
        reverse("appeals:answer_letter", args=[appeal.number, 1]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = client.post(reverse("appeals:act", args=[appeal.number, "route"]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_document_is_served_to_those_who_see_the_appeal(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    doc = services.add_document(
        actor=m.wg_member, appeal=appeal, kind="attachment", name="ariza.pdf", content=PDF
    )
    response = client_for(m.regional_executor).get(
        reverse("appeals:document", args=[appeal.number, doc.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "ariza.pdf" in response["Content-Disposition"]


def test_hidden_personal_data_is_withheld_from_a_supervisor_l_10(ministry: Ministry) -> None:
    m = ministry
    appeal = register(hide_personal_data=True)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.forward_assignment(actor=m.regional_executor, assignment=top, to_org=m.association_a)
    # The association was sent the appeal but has not accepted it: it does not see the author yet.
    page = client_for(m.association_executor).get(reverse("appeals:detail", args=[appeal.number]))
    assert page.status_code == 200
    assert "Karimova" not in page.content.decode()
    page = client_for(m.regional_executor).get(reverse("appeals:detail", args=[appeal.number]))
    assert "Karimova" in page.content.decode()


def test_attachments_are_withheld_with_the_personal_data_l_10(ministry: Ministry) -> None:
    m = ministry
    appeal = register(hide_personal_data=True)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    doc = services.add_document(
        actor=m.wg_member, appeal=appeal, kind="attachment", name="ariza.pdf", content=PDF
    )
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.forward_assignment(actor=m.regional_executor, assignment=top, to_org=m.association_a)
    letter = services.add_document(
        actor=m.regional_executor,
        appeal=appeal,
        assignment=top,
        kind="answer_letter",
        name="javob.pdf",
        content=PDF,
    )
    for document in (doc, letter):
        url = reverse("appeals:document", args=[appeal.number, document.pk])
        assert client_for(m.association_executor).get(url).status_code == 404
        assert client_for(m.regional_executor).get(url).status_code == 200
        assert client_for(m.wg_member).get(url).status_code == 200
    page = client_for(m.association_executor).get(reverse("appeals:detail", args=[appeal.number]))
    body = page.content.decode()
    assert "javob.pdf" not in body and "ariza.pdf" not in body
    assert "(withheld)" in body


def test_the_page_counts_working_days_and_marks_overdue_assignments(ministry: Ministry) -> None:
    m = ministry
    with translation.override("en"):  # the page's language; dates in its SHORT_DATE_FORMAT
        wednesday = date_format(date(2026, 11, 18), "SHORT_DATE_FORMAT")
    with at(date(2026, 11, 16)):
        appeal = register(received=MONDAY)
        (top,) = services.route_appeal(
            actor=m.wg_member, appeal=appeal, to_org=m.regional_a, due_days=2
        )
        body = client_for(m.wg_member).get(reverse("appeals:detail", args=[appeal.number]))
        body = body.content.decode()
        # Due Wednesday 18 Nov: two working days left, and "due soon" on the assignment.
        assert "2 working days left" in body
        assert f'class="due-soon">{wednesday}' in body
        assert "How the due date was computed" in body and "The deadline started on" in body
    with at(date(2026, 11, 20)):
        body = client_for(m.wg_member).get(reverse("appeals:detail", args=[appeal.number]))
        body = body.content.decode()
        assert "Overdue by 2 working days" in body
        assert f'class="due-overdue">{wednesday} (overdue)' in body


def test_an_anonymous_appeal_page_shows_the_warning_l_5(ministry: Ministry) -> None:
    appeal = register(author_name="", author_address="", author_phone="")
    body = client_for(ministry.wg_member).get(reverse("appeals:detail", args=[appeal.number]))
    assert "Anonymous appeal" in body.content.decode()


# --- registration -----------------------------------------------------------------------------


def test_the_working_group_registers_an_appeal_with_attachments(ministry: Ministry) -> None:
    m = ministry
    client = client_for(m.wg_member)
    page = client.get(reverse("appeals:register"))
    assert page.status_code == 200
    assert 'for="id_channel"' in page.content.decode()
    response = client.post(
        reverse("appeals:register"),
        {
            "channel": "hotline",
            "kind": "complaint",
            "received_at": "2026-11-16T09:30",
            "caller_phone": "+998 90 111 22 33",
            "author_type": "individual",
            "author_name": "Toshmatov Eldor",
            "author_region": m.region_a.pk,
            "author_district": m.district_a.pk,
            "author_address": "Eshonguzar MFY",
            "author_phone": "+998 90 111 22 33",
            "signatories": 1,
            "text": "Shifokor qoʻpol muomala qildi.",
            "topics": [Topic.objects.get(code="staff-conduct").pk],
            "attachments": [
                SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("scan2.pdf", PDF, "application/pdf"),
            ],
        },
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert appeal.number.startswith("IT-2026-")
    assert response.redirect_chain[-1][0] == reverse("appeals:detail", args=[appeal.number])
    body = response.content.decode()
    assert f"The appeal is registered under number {appeal.number}." in body
    assert appeal.author_district == m.district_a and appeal.kind == "complaint"
    assert appeal.registered_by == m.wg_member
    assert Document.objects.filter(appeal=appeal, kind="attachment").count() == 2
    assert "scan2.pdf" in body


def test_an_anonymous_appeal_is_registered_with_a_warning_l_2(ministry: Ministry) -> None:
    response = client_for(ministry.wg_member).post(
        reverse("appeals:register"),
        {
            "channel": "post",
            "kind": "application",
            "received_at": "2026-11-16T09:30",
            "author_type": "individual",
            "signatories": 1,
            "text": "Imzosiz xat.",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Appeal.objects.get().is_anonymous
    assert "anonymous appeal is not considered" in response.content.decode()


def test_a_bad_attachment_is_refused_next_to_its_field(ministry: Ministry) -> None:
    response = client_for(ministry.wg_member).post(
        reverse("appeals:register"),
        {
            "channel": "email",
            "kind": "application",
            "received_at": "2026-11-16T09:30",
            "author_type": "individual",
            "author_name": "A",
            "signatories": 1,
            "text": "Matn.",
            "attachments": [
                SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary", "application/pdf")
            ],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_attachments-error"' in body
    assert "is not a PDF, JPEG, PNG, TIFF, DOCX or XLSX document" in body
    assert 'aria-describedby="id_attachments-error id_attachments_helptext"' in body
    assert not Appeal.objects.exists()


def test_a_district_of_another_region_is_refused(ministry: Ministry) -> None:
    m = ministry
    response = client_for(m.wg_member).post(
        reverse("appeals:register"),
        {
            "channel": "post",
            "kind": "application",
            "received_at": "2026-11-16T09:30",
            "author_type": "individual",
            "author_name": "A",
            "author_region": m.region_b.pk,
            "author_district": m.district_a.pk,
            "signatories": 1,
            "text": "Matn.",
        },
    )
    assert response.status_code == 400
    assert "This district is not in the chosen region." in response.content.decode()


# --- the page shows only what the user may do -------------------------------------------------


def _forms_on(page) -> set[str]:
    return set(re.findall(r'action="/appeals/[^/]+/act/([a-z_]+)/', page.content.decode()))


def test_each_side_is_offered_only_its_own_actions(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    url = reverse("appeals:detail", args=[appeal.number])
    assert _forms_on(client_for(m.wg_member).get(url)) >= {"route", "return_to_source", "leave"}
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    assert _forms_on(client_for(m.regional_executor).get(url)) == {
        "accept",
        "return",
        "set_executor",
        "add_document",
    }
    # The head signs, but has nothing to sign yet; the sender may recall.
    assert _forms_on(client_for(m.regional_head).get(url)) == {
        "accept",
        "return",
        "set_executor",
        "add_document",
    }
    assert "recall" in _forms_on(client_for(m.wg_member).get(url))
    assert _forms_on(client_for(m.auditor).get(url)) == set()


# --- the stories ------------------------------------------------------------------------------


def test_president_procedure_story_through_the_forms_r_p2(ministry: Ministry) -> None:
    m = ministry
    topic = Topic.objects.get(code="quality-of-care")
    with at(date(2026, 11, 16)):
        appeal = register(received=MONDAY, actor=m.wg_member)
        act(m.wg_member, appeal, "route", to_org=m.regional_a.pk, due_days=13, instructions="")
        top = only(appeal.assignments.all())
        assert top.org == m.regional_a

    with at(date(2026, 11, 17)):
        act(m.regional_executor, appeal, "accept", top)
        act(
            m.regional_executor,
            appeal,
            "forward",
            top,
            to_org=m.association_a.pk,
            instructions="Oʻrganing",
            ask_word_reference="on",
        )
        child = only(top.children.all())
        assert child.word_reference_requested
        act(m.association_executor, appeal, "accept", child)
        act(
            m.association_executor,
            appeal,
            "draft_answer",
            child,
            text="Shifokor bilan suhbat oʻtkazildi.",
            feedback_form=FeedbackForm.THANKS,
            **{f"outcome_{topic.pk}": Outcome.SATISFIED, f"ground_{topic.pk}": ""},
        )
        act(
            m.association_executor,
            appeal,
            "add_document",
            child,
            kind="feedback",
            file=SimpleUploadedFile("tashakkurnoma.pdf", PDF, "application/pdf"),
        )
        act(m.association_head, appeal, "sign_answer", child)
        # R-P2-12: the region asked for the reference in Word: refused until it is attached.
        response = act(m.association_executor, appeal, "submit_answer", child, expect=400)
        assert "in Word format" in response.content.decode()
        act(
            m.association_executor,
            appeal,
            "add_document",
            child,
            kind="reference",
            file=SimpleUploadedFile("malumotnoma.docx", docx_bytes(), "application/msword"),
        )
        act(m.association_executor, appeal, "submit_answer", child)
        act(m.regional_executor, appeal, "accept_answer", child)

        act(
            m.regional_executor,
            appeal,
            "draft_answer",
            top,
            text="Murojaat oʻrganildi, chora koʻrildi.",
            **{f"outcome_{topic.pk}": Outcome.SATISFIED},
        )
        # The answer letter: downloaded as DOCX and attached to the assignment.
        letter = client_for(m.regional_executor).get(
            reverse("appeals:answer_letter", args=[appeal.number, top.pk])
        )
        assert letter.status_code == 200 and letter.content[:2] == b"PK"
        act(m.regional_executor, appeal, "store_answer_letter", top)
        assert Document.objects.filter(assignment=top, kind="answer_letter").exists()
        act(m.regional_head, appeal, "sign_answer", top)
        act(m.regional_executor, appeal, "submit_answer", top)
        act(m.wg_member, appeal, "accept_answer", top)
        appeal.refresh_from_db()
        assert appeal.state == AppealState.ANSWER_READY
        act(m.wg_member, appeal, "send_answer")
        appeal.refresh_from_db()
        assert appeal.state == AppealState.SENT_TO_SOURCE
        response = act(
            m.wg_member, appeal, "acknowledge", reference="Virtual Reception letter 12-345"
        )
        appeal.refresh_from_db()
        assert appeal.state == AppealState.CLOSED

    page = client_for(m.wg_member).get(response["Location"])
    body = page.content.decode()
    assert "Closed (removed from control)" in body
    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.REGISTERED and kinds[-1] == EventKind.CLOSED
    assert _forms_on(page) == set()


def test_minister_procedure_story_through_the_forms_r_p3(ministry: Ministry) -> None:
    m = ministry
    deputy = make_user("deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari")
    with at(date(2026, 11, 16)):
        appeal = register("minister_vr", received=MONDAY, topics=())
        # Issue 13: the routing form refuses an appeal left without topics...
        refused = act(
            m.wg_member, appeal, "route", expect=400, to_org=m.main_directorate.pk, due_days=13
        )
        assert "Choose at least one topic" in refused.content.decode()
        # ...so a topic-less appeal is one routed before that rule (or by a machine caller),
        # whose answer still records one outcome for the appeal as a whole (L-9).
        services.route_appeal(
            actor=m.wg_member, appeal=appeal, to_org=m.main_directorate, due_days=13
        )
        top = only(appeal.assignments.all())
        act(m.md_executor, appeal, "accept", top)
        act(m.md_executor, appeal, "draft_answer", top, text="Javob.", outcome_all="explained")
        # R-P2-9: the main directorate's own head is not offered the signature, and is refused.
        assert "sign_answer" not in _forms_on(
            client_for(m.md_head).get(reverse("appeals:detail", args=[appeal.number]))
        )
        response = act(m.md_head, appeal, "sign_answer", top, expect=403)
        assert (
            "You cannot sign the answer on behalf of this organisation."
            in response.content.decode()
        )
        act(deputy, appeal, "sign_answer", top)
        act(m.md_executor, appeal, "submit_answer", top)
        act(m.wg_member, appeal, "accept_answer", top)
        act(m.wg_member, appeal, "send_answer")
        appeal.refresh_from_db()
        assert appeal.state == AppealState.CLOSED
        answer = top.answer
        assert answer.outcomes.get().outcome == "explained" and answer.outcomes.get().topic is None


# --- refusals ---------------------------------------------------------------------------------


def test_a_stale_version_is_changed_by_someone_else_409(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    stale = top.version
    act(m.regional_executor, appeal, "accept", top)
    response = act(
        m.regional_head, appeal, "return", top, expect=409, version=stale, reason="Bizniki emas"
    )
    body = response.content.decode()
    assert "changed by someone else" in body
    assert f'href="/appeals/{appeal.number}/#return-{top.pk}">Reload the page</a>' in body
    # An appeal-level form too.
    response = act(m.wg_member, appeal, "leave", expect=409, version=1, ground="L-5")
    assert "This appeal was changed by someone else" in response.content.decode()


def test_a_refusal_is_shown_next_to_the_form_that_caused_it(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    act(m.regional_executor, appeal, "accept", top)
    # A refusal without its legal ground (L-9): the error sits on the ground field of that topic.
    topic = Topic.objects.get(code="quality-of-care")
    response = act(
        m.regional_executor,
        appeal,
        "draft_answer",
        top,
        expect=400,
        text="Rad etildi.",
        **{f"outcome_{topic.pk}": Outcome.REFUSED},
    )
    body = response.content.decode()
    error_id = f"id_draft_answer-{top.pk}-ground_{topic.pk}-error"
    assert f'id="{error_id}"' in body
    assert f'aria-describedby="{error_id}"' in body
    assert "A refusal or leaving without consideration needs its legal ground." in body
    assert f'id="draft_answer-{top.pk}" open' in body
    # R-P2-8: the President's procedure wants the author's feedback before the head signs.
    act(
        m.regional_executor,
        appeal,
        "draft_answer",
        top,
        text="Javob.",
        **{f"outcome_{topic.pk}": Outcome.SATISFIED},
    )
    response = act(m.regional_head, appeal, "sign_answer", top, expect=400)
    body = response.content.decode()
    assert f'id="sign_answer-{top.pk}-errors"' in body
    assert "Attach the author&#x27;s written feedback" in body
    # A required field left empty is a form error (400) on that field.
    response = act(m.wg_member, appeal, "recall", top, expect=400, reason="")
    assert f'id="id_recall-{top.pk}-reason-error"' in response.content.decode()


def test_an_action_the_user_may_not_take_is_403_with_the_message(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    response = act(m.wg_member, appeal, "accept", top, expect=403)
    assert "You cannot accept on behalf of this organisation." in response.content.decode()
    response = act(m.regional_executor, appeal, "leave", expect=403, ground="x")
    assert "Only the working group can leave without consideration." in response.content.decode()
    response = act(m.wg_member, appeal, "route", expect=409, to_org=m.centre.pk, due_days=13)
    assert "already has a lead executor in work" in response.content.decode()


def test_returned_appeal_is_rerouted_through_the_forms_r_p2_3(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    act(m.wg_member, appeal, "route", to_org=m.main_directorate.pk, due_days=13)
    top = only(appeal.assignments.all())
    act(m.md_executor, appeal, "return", top, reason="Hududiy boshqarma vakolatida")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.NEW
    act(m.wg_member, appeal, "route", to_org=m.regional_a.pk, due_days=10)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.IN_WORK
    assert appeal.assignments.get(state=AssignmentState.SENT).org == m.regional_a


def test_extension_requested_and_approved_through_the_forms_r_p2_11(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 16)):
        appeal = register(received=MONDAY)
        act(m.wg_member, appeal, "route", to_org=m.regional_a.pk, due_days=13)
        top = only(appeal.assignments.all())
        act(m.regional_executor, appeal, "accept", top)
        response = act(
            m.regional_executor, appeal, "request_extension", top, expect=400, days=40, reason="x"
        )
        assert "An extension is from 1 to 13 days." in response.content.decode()
        act(m.regional_executor, appeal, "request_extension", top, days=5, reason="Ekspertiza")
        request = top.extension_requests.get()
        before = Assignment.objects.get(pk=top.pk).due_date
        act(
            m.wg_member,
            appeal,
            "decide_extension",
            top,
            request=request.pk,
            decision="approve",
            comment="",
        )
        request.refresh_from_db()
        assert request.state == ExtensionState.APPROVED
        assert Assignment.objects.get(pk=top.pk).due_date > before
        page = client_for(m.wg_member).get(reverse("appeals:detail", args=[appeal.number]))
        body = page.content.decode()
        assert "regional asked for 5 more days" in body.replace("rd-1727", "regional")
        assert "Approved" in body and "(+5 days of extension)" in body


def test_late_answer_is_explained_and_decided_through_the_forms(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 16)):
        appeal = register(received=MONDAY)
        act(m.wg_member, appeal, "route", to_org=m.regional_a.pk, due_days=2)
        top = only(appeal.assignments.all())
    with at(date(2026, 11, 19)):
        act(m.regional_executor, appeal, "accept", top)
        services.record_overdue()
        violation = top.violations.order_by("pk").first()
        assert violation is not None
        act(m.regional_executor, appeal, "explain_delay", top, violation=violation.pk, text="Kasal")
        response = act(
            m.wg_member,
            appeal,
            "decide_violation",
            top,
            expect=400,
            violation=violation.pk,
            decision="excuse",
        )
        assert "needs supporting documents" in response.content.decode()
        act(
            m.wg_member, appeal, "decide_violation", top, violation=violation.pk, decision="confirm"
        )
        violation.refresh_from_db()
        assert violation.state == "confirmed"


def test_terminate_and_merge_from_the_appeal_page_l_6_l_7(ministry: Ministry) -> None:
    m = ministry
    original = register()
    duplicate = register()
    response = act(m.wg_member, duplicate, "merge", expect=400, into="PV-2026-999999")
    assert "There is no appeal with the number PV-2026-999999." in response.content.decode()
    act(m.wg_member, duplicate, "merge", into=original.number.lower())
    duplicate.refresh_from_db()
    assert duplicate.state == AppealState.MERGED and duplicate.duplicate_of == original
    act(m.wg_member, original, "terminate", ground="withdrawn", comment="Ariza qaytarib olindi")
    original.refresh_from_db()
    assert original.state == AppealState.TERMINATED


# --- a bounded number of queries --------------------------------------------------------------


def test_the_appeal_page_needs_a_bounded_number_of_queries(
    ministry: Ministry, django_assert_max_num_queries
) -> None:
    from tests.factories import make_org

    m = ministry
    appeal = register(topics=("quality-of-care", "medicines"))
    extra = [
        make_org(f"centre-{i}", "centre", m.ministry, name_en=f"Centre {i}") for i in range(12)
    ]
    assignments = services.route_appeal(
        actor=m.wg_member, appeal=appeal, to_org=m.regional_a, co_executors=extra
    )
    top = assignments[0]
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    for org in (m.association_a, m.association_a2):
        child = services.forward_assignment(actor=m.regional_executor, assignment=top, to_org=org)
        for _ in range(3):
            services.add_document(
                actor=m.regional_executor,
                appeal=appeal,
                assignment=top,
                kind="supporting",
                name="s.pdf",
                content=PDF,
            )
        services.accept_assignment(actor=m.association_executor, assignment=child) if (
            org == m.association_a
        ) else None
    for a in assignments[1:6]:
        services.accept_assignment(actor=make_user(f"x{a.pk}", a.org, "executor"), assignment=a)
    services.request_extension(actor=m.regional_executor, assignment=top, days=3, reason="r")
    assert appeal.events.count() > 25

    url = reverse("appeals:detail", args=[appeal.number])
    for user in (m.wg_member, m.regional_executor):
        client = client_for(user)
        client.get(url)  # warm the calendar cache
        with django_assert_max_num_queries(24):
            response = client.get(url)
        assert response.status_code == 200


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en"])
def test_the_pages_render_in_every_language(ministry: Ministry, language: str) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.request_extension(actor=m.regional_executor, assignment=top, days=3, reason="r")
    for user in (m.wg_member, m.regional_executor):
        user.language = language
        user.save(update_fields=["language"])
        client = client_for(user)
        page = client.get(reverse("appeals:detail", args=[appeal.number]))
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.content.decode()
    assert client_for(m.wg_member).get(reverse("appeals:register")).status_code == 200


def test_co_executors_set_executor_and_recall_through_the_forms_r_p2_5(ministry: Ministry) -> None:
    m = ministry
    appeal = register("minister_vr", topics=("quality-of-care", "maternal-child"))
    act(m.wg_member, appeal, "route", to_org=m.main_directorate.pk, due_days=13)
    top = only(appeal.assignments.all())
    act(m.md_executor, appeal, "accept", top)
    act(m.md_executor, appeal, "set_executor", top, executor=m.md_executor.pk)
    response = act(m.md_executor, appeal, "involve", top, expect=400, orgs=[m.regional_a.pk])
    # Only organisations of the same stage are offered; another is not a valid choice.
    assert "Select a valid choice" in response.content.decode()
    act(m.md_executor, appeal, "involve", top, orgs=[m.main_directorate_2.pk])
    co = top.children.get()
    assert co.org == m.main_directorate_2 and co.role == "co_executor"
    # Answers wait for the co-executor; the lead may recall it.
    act(m.md_executor, appeal, "recall", co, reason="Kerak emas")
    co.refresh_from_db()
    assert co.state == "cancelled"


def test_the_source_rejects_and_the_answer_goes_back_for_rework(ministry: Ministry) -> None:
    m = ministry
    appeal = register("minister_vr", topics=())
    deputy = make_user("deputy", m.ministry, "deputy_minister")
    # The public form's appeal came without topics: the group names one as it routes.
    topic = Topic.objects.get(code="medicines")
    act(m.wg_member, appeal, "route", to_org=m.main_directorate.pk, due_days=13, topics=[topic.pk])
    top = only(appeal.assignments.all())
    services.accept_assignment(actor=m.md_executor, assignment=top)
    services.draft_answer(
        actor=m.md_executor, assignment=top, text="Javob.", outcomes=every_outcome(appeal)
    )
    services.sign_answer(actor=deputy, assignment=top)
    services.submit_answer(actor=m.md_executor, assignment=top)
    act(m.wg_member, appeal, "reject_answer", top, reason="Toʻliq emas")
    top.refresh_from_db()
    assert top.state == "accepted"


def test_an_extension_of_a_recalled_assignment_is_not_approved(ministry: Ministry) -> None:
    """The page asks the service's rule (services.can_extend) before offering the decision, and
    a decision posted anyway gets the service's own refusal: the recall closed the request."""
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    request = services.request_extension(
        actor=m.regional_executor, assignment=top, days=5, reason="Ekspertiza"
    )
    services.recall_assignment(actor=m.wg_member, assignment=top, reason="Boshqa joyga")
    page = client_for(m.wg_member).get(reverse("appeals:detail", args=[appeal.number]))
    assert "decide_extension" not in _forms_on(page)
    response = act(
        m.wg_member,
        appeal,
        "decide_extension",
        top,
        expect=409,
        request=request.pk,
        decision="approve",
    )
    assert "already been decided" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.extension_days == 0


def test_the_registration_form_sent_twice_registers_one_appeal_l_2(
    client, ministry: Ministry
) -> None:
    import re

    from django.urls import reverse

    client.force_login(ministry.wg_member)
    page = client.get(reverse("appeals:register_channel", args=["post"])).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]+)"', page).group(1)
    data = {
        "submission": token,
        "channel": "post",
        "kind": "complaint",
        "received_at": "2026-11-16T10:00",
        "author_type": "individual",
        "author_name": "Rasulov Botir",
        "author_address": "Parkent tumani",
        "signatories": 1,
        "text": "Dori yetishmaydi.",
    }
    first = client.post(reverse("appeals:register"), data)
    second = client.post(reverse("appeals:register"), data)
    assert first.status_code == second.status_code == 302, first.content.decode()[:500]
    assert first["Location"] == second["Location"]
    assert Appeal.objects.filter(channel="post").count() == 1
