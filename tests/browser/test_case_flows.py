"""The case pages in a real browser, each role signing in through the login form."""

from __future__ import annotations

from typing import Any

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, AppealState, Assignment, Topic
from tests.appeals.helpers import PDF
from tests.browser.conftest import pick
from tests.browser.conftest import register_now as register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def page_of(appeal: Appeal) -> str:
    return f"/appeals/{appeal.number}/"


def pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def test_one_appeal_from_intake_to_closure_through_the_ui_r_p2(
    live_ministry: Any, session_for: Any
) -> None:
    m = live_ministry
    topic = Topic.objects.get(code="quality-of-care")

    # Stage 1: the working group registers the appeal from the President's Virtual Reception.
    wg = session_for(m.wg_member, next_url="/appeals/register/president_vr/")
    page = wg.page
    page.get_by_label("Author's full name").fill("Karimova Dilnoza")
    page.get_by_label("Region", exact=True).select_option(label="Toshkent viloyati")
    page.get_by_label("District or city").select_option(label="Zangiota tumani")
    page.get_by_label("Address").fill("Eshonguzar MFY, 12-uy")
    page.get_by_label("Phone").fill("+998901234567")
    page.get_by_label("Text of the appeal").fill("Poliklinikada shifokor qabul qilmadi.")
    page.get_by_label("Quality of medical care").check()
    page.get_by_label("Attachments").set_input_files([pdf("ariza.pdf")])
    wg.shot("01-register-form")
    wg.check_accessibility()
    page.get_by_label("Author's full name").fill("Karimova Dilnoza")
    page.get_by_label("Region", exact=True).select_option(label="Toshkent viloyati")
    page.get_by_label("District or city").select_option(label="Zangiota tumani")
    page.get_by_label("Address").fill("Eshonguzar MFY, 12-uy")
    page.get_by_label("Phone").fill("+998901234567")
    page.get_by_label("Text of the appeal").fill("Poliklinikada shifokor qabul qilmadi.")
    page.get_by_label("Quality of medical care").check()
    page.get_by_label("Attachments").set_input_files([pdf("ariza.pdf")])
    wg.submit(page.locator("#register-form"))
    appeal = Appeal.objects.get()
    assert "The appeal is registered under number" in page.locator(".alert-success").inner_text()
    assert page.locator("h1").inner_text() == f"Appeal {appeal.number}"
    wg.shot("02-appeal-registered")

    form = wg.action("route-appeal")
    pick(form, "Executor organisation", "rd-1727")
    form.get_by_label("Instructions").fill("Oʻrganib chiqing")
    wg.submit(form)
    top = Assignment.objects.get(appeal=appeal)

    # Stage 3: the regional directorate accepts and forwards to the district association.
    rd = session_for(m.regional_executor, next_url=page_of(appeal))
    rd.submit(rd.action(f"accept-{top.pk}"))
    form = rd.action(f"forward-{top.pk}")
    pick(form, "Organisation below", "tma-1727237")
    rd.submit(form)
    child = Assignment.objects.get(parent=top)

    # Stage 4: the association accepts, answers with the author's feedback, signs, submits.
    assoc = session_for(m.association_executor, next_url=page_of(appeal))
    assoc.submit(assoc.action(f"accept-{child.pk}"))
    form = assoc.action(f"draft_answer-{child.pk}")
    form.get_by_label("Answer", exact=True).fill("Shifokor bilan suhbat oʻtkazildi.")
    form.get_by_label("Author's written feedback").select_option("thanks")
    form.get_by_label(f"Outcome: {topic.name}").select_option("satisfied")
    assoc.shot("03-association-drafting")
    assert assoc.page.locator(".case-action").count() >= 4
    assoc.submit(form)
    form = assoc.action(f"add_document-{child.pk}")
    form.get_by_label("Kind of document").select_option("feedback")
    form.get_by_label("File").set_input_files([pdf("tashakkurnoma.pdf")])
    assoc.submit(form)
    head = session_for(m.association_head, next_url=page_of(appeal))
    head.submit(head.action(f"sign_answer-{child.pk}"))
    assoc.open(page_of(appeal))
    assoc.submit(assoc.action(f"submit_answer-{child.pk}"))

    # Back at stage 3: the region accepts the answer, writes its letter, its head signs.
    rd.open(page_of(appeal))
    rd.submit(rd.action(f"accept_answer-{child.pk}"))
    form = rd.action(f"draft_answer-{top.pk}")
    form.get_by_label("Answer", exact=True).fill("Murojaat oʻrganildi, chora koʻrildi.")
    form.get_by_label(f"Outcome: {topic.name}").select_option("satisfied")
    rd.submit(form)
    rd.submit(rd.action(f"store_answer_letter-{top.pk}"))
    rd_head = session_for(m.regional_head, next_url=page_of(appeal))
    rd_head.submit(rd_head.action(f"sign_answer-{top.pk}"))
    rd.open(page_of(appeal))
    rd.submit(rd.action(f"submit_answer-{top.pk}"))
    rd.shot("04-region-submitted")
    rd.check_accessibility()

    # Stage 1 again: accept, send to the Virtual Reception, record its confirmation.
    wg.open(page_of(appeal))
    wg.submit(wg.action(f"accept_answer-{top.pk}"))
    wg.submit(wg.action("send_answer-appeal"))
    wg.shot("05-awaiting-confirmation")
    # Registered by hand, not through the API: the group records the confirmation it received
    # with its reference (an appeal from the API client is closed only by the API, R-P2-10).
    form = wg.action("acknowledge-appeal")
    form.get_by_label("Source's confirmation").fill("VR letter No. 17/4512 of 30.11.2026")
    wg.submit(form)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    assert "Closed" in wg.page.locator("#appeal-state").inner_text()
    assert wg.page.locator(".case-action").count() == 0
    wg.shot("06-closed")

    phone = session_for(m.regional_executor, next_url=page_of(appeal), phone=True)
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375px ({width}px)"
    phone.shot("07-closed-375px")


def test_a_returned_appeal_is_rerouted_through_the_ui_r_p2_3(
    live_ministry: Any, session_for: Any
) -> None:
    m = live_ministry
    appeal = register(actor=m.wg_member)
    wg = session_for(m.wg_member, next_url=page_of(appeal))
    form = wg.action("route-appeal")
    pick(form, "Executor organisation", "md-treatment")
    wg.submit(form)
    first = Assignment.objects.get(appeal=appeal)

    md = session_for(m.md_executor, next_url=page_of(appeal))
    form = md.action(f"return-{first.pk}")
    # An empty reason is refused next to the field, with focus on it.
    md.submit(form, expect_success=False)
    error = md.page.locator(f"#id_return-{first.pk}-reason-error")
    assert "This field is required." in error.inner_text()
    md.shot("08-return-refused")
    # The error is announced: the field is invalid, points to its message and has the focus.
    field = md.page.locator(f"#id_return-{first.pk}-reason")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.evaluate("e => e === document.activeElement")
    md.check_accessibility()
    form = md.action(f"return-{first.pk}")
    form.get_by_label("Reason").fill("Hududiy boshqarma vakolatida")
    md.submit(form)

    wg.open(page_of(appeal))
    assert "Awaiting routing" in wg.page.locator("#appeal-state").inner_text()
    form = wg.action("route-appeal")
    pick(form, "Executor organisation", "rd-1727")
    wg.submit(form)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.IN_WORK
    assert Assignment.objects.filter(appeal=appeal, org=m.regional_a, state="sent").exists()
    wg.shot("09-rerouted")


def test_an_extension_is_requested_and_approved_through_the_ui_r_p2_11(
    live_ministry: Any, session_for: Any
) -> None:
    m = live_ministry
    appeal = register(actor=m.wg_member)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    before = Assignment.objects.get(pk=top.pk).due_date

    rd = session_for(m.regional_executor, next_url=page_of(appeal))
    form = rd.action(f"request_extension-{top.pk}")
    form.get_by_label("Extra days").fill("5")
    form.get_by_label("Why the term is not enough").fill("Tibbiy ekspertiza xulosasi kutilmoqda")
    rd.submit(form)
    request = top.extension_requests.get()

    wg = session_for(m.wg_member, next_url=page_of(appeal))
    form = wg.action(f"decide_extension-{top.pk}-{request.pk}")
    form.get_by_label("Approve").check()
    wg.shot("10-extension-decision")
    wg.submit(form)
    request.refresh_from_db()
    assert request.state == "approved"
    assert Assignment.objects.get(pk=top.pk).due_date > before
    assert "(+5 days of extension)" in wg.page.locator("#due-heading + p").inner_text()
    wg.shot("11-extension-approved")


def test_an_action_can_be_done_with_the_keyboard_alone(
    live_ministry: Any, session_for: Any
) -> None:
    m = live_ministry
    appeal = register(actor=m.wg_member)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    phone = session_for(m.regional_executor, next_url=page_of(appeal), phone=True)
    phone.action(f"set_executor-{top.pk}")
    phone.action(f"add_document-{top.pk}")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.shot("12-actions-375px")
    rd = session_for(m.regional_executor, next_url=page_of(appeal))
    page = rd.page
    summary = page.locator(f"#return-{top.pk} summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the <details>
    page.keyboard.press("Tab")
    page.keyboard.type("Vakolatimizga kirmaydi")
    page.keyboard.press("Tab")  # to the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "returned to the sender" in page.locator(".alert-success").inner_text()
    top.refresh_from_db()
    assert top.state == "returned"
