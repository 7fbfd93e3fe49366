"""Issue 13 in a browser: a citizen on a phone writes with topics, follows the appeal through
its plain-words history to the signed letter and a labelled rating, then proves the phone and
sees all their appeals; axe-core finds no serious violation on those pages; the staff inbox
reads as cards at 375px with the state and the deadline in view, and the organisation
pickers filter as one types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import Appeal
from murojaat.notifications.models import Kind, Notification
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, register_now
from tests.browser.test_axe import blocking_violations, report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _citizen(chromium: Any, live_server: Any, viewport: dict[str, int]) -> Any:
    context = chromium.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    # Generous: the live server shares two cores with other suites.
    context.set_default_timeout(45_000)
    return context


WIDER_THAN_VIEW = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)"""


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (width, page.evaluate(WIDER_THAN_VIEW))


def _write(page: Any) -> tuple[str, str]:
    page.goto("/citizens/")
    page.get_by_label("Full name").fill("Yusupova Malika")
    page.get_by_label("Postal address").fill("Samarqand sh., Registon koʻchasi, 5-uy")
    page.get_by_label("Phone").fill("+998 90 123 45 67")
    page.get_by_label("Your appeal").fill(
        "Tugʻruqxonada navbat uzun, shifokorlar qoʻpol muomala qiladi. Chora koʻring."
    )
    page.get_by_label("Rude or improper behaviour of doctors or nurses").check()
    page.get_by_label("Pregnancy, childbirth and children's health").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the appeal").click()
    return (
        page.locator("#tracking-number").inner_text(),
        page.locator("#tracking-code").inner_text(),
    )


def test_a_citizen_follows_the_appeal_to_the_letter_and_sees_all_appeals_of_the_phone(
    chromium: Any, live_server: Any, live_ministry: Any, tmp_path: Path
) -> None:
    m = live_ministry
    context = _citizen(chromium, live_server, PHONE)
    page = context.new_page()
    number, code = _write(page)
    appeal = Appeal.objects.get(number=number)
    assert set(appeal.topics.values_list("code", flat=True)) == {"staff-conduct", "maternal-child"}

    page.goto("/citizens/track/")
    page.get_by_label("Registration number").fill(number)
    page.get_by_label("Secret code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Show my appeal").click()
    assert "Received: being sent to the organisation" in page.locator("#appeal-state").inner_text()
    assert "Your appeal was registered." in page.locator("#appeal-history").inner_text()
    reason = page.locator("#appeal-due-reason").inner_text()
    assert reason.startswith("Counted from ") and ": 13 calendar days" in reason
    _no_sideways_scroll(page)

    # The office works on it: routed, answered, signed, sent.
    from tests.gateway.helpers import answer_minister_appeal

    answer_minister_appeal(m, appeal, text="Tugʻruqxonaga ikki shifokor qabul qilindi.")
    page.reload()
    assert page.locator("#appeal-state").inner_text() == "Answered"
    history = page.locator("#appeal-history").inner_text()
    assert f"Sent to {m.main_directorate.name} to consider and answer." in history
    assert "The answer was sent to you." in history
    with page.expect_download() as download:
        page.locator("#answer-letter").click()
    letter = tmp_path / "letter.pdf"
    download.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF")
    page.get_by_label("4: satisfied").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Rate the answer").click()
    assert "Your rating: 4: satisfied" in page.locator("main").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "citizen-status-375.png"), full_page=True)

    # A second appeal with the same phone written differently; another phone's appeal.
    services.register_appeal(
        actor=None,
        channel="minister_vr",
        author_name="Yusupova Malika",
        author_phone="90 123 45 67",
        text="Ikkinchi murojaat: dori-darmon bilan taʼminlash.",
        with_tracking_code=True,
    )
    other = services.register_appeal(
        actor=None,
        channel="minister_vr",
        author_name="Boshqa Odam",
        author_phone="+998 93 111 22 33",
        text="Boshqa odamning murojaati.",
        with_tracking_code=True,
    ).appeal
    stranger = context.new_page()  # same browser, so the proof is what opens the list
    stranger.goto("/citizens/track/mine/")
    assert stranger.url.endswith("/citizens/track/phone/")
    stranger.get_by_label("The phone number you gave in your appeals").fill("+998901234567")
    with stranger.expect_navigation():
        stranger.get_by_role("button", name="Send me a code").click()
    otp = Notification.objects.filter(kind=Kind.PHONE_CODE).latest("pk").secret
    stranger.get_by_label("One-time code").fill(otp)
    with stranger.expect_navigation():
        stranger.get_by_role("button", name="Show my appeals").click()
    listed = stranger.locator("#my-appeals").inner_text()
    assert number in listed and other.number not in listed
    assert len(stranger.locator("#my-appeals > li").all()) == 2
    _no_sideways_scroll(stranger)
    stranger.screenshot(path=str(SCREENSHOTS / "citizen-my-appeals-375.png"), full_page=True)
    with stranger.expect_navigation():
        stranger.get_by_role("link", name=f"Appeal {number}").click()
    assert stranger.locator("#appeal-state").inner_text() == "Answered"
    context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_citizen_pages_have_no_serious_violations(
    chromium: Any, live_server: Any, live_ministry: Any, width: str
) -> None:
    context = _citizen(chromium, live_server, PHONE if width == "phone" else DESKTOP)
    page = context.new_page()
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = blocking_violations(page)
        if found:
            problems[name] = found
        if width == "phone":
            _no_sideways_scroll(page)

    page.goto("/citizens/")
    check("new")
    number, code = _write(page)
    page.goto("/citizens/track/")
    check("track")
    page.get_by_label("Registration number").fill(number)
    page.get_by_label("Secret code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Show my appeal").click()
    from tests.gateway.helpers import answer_minister_appeal

    answer_minister_appeal(live_ministry, Appeal.objects.get(number=number))
    page.reload()
    check("status-answered")
    page.goto("/citizens/track/phone/")
    check("phone")
    page.get_by_label("The phone number you gave in your appeals").fill("+998901234567")
    with page.expect_navigation():
        page.get_by_role("button", name="Send me a code").click()
    check("phone-confirm")
    page.get_by_label("One-time code").fill(
        Notification.objects.filter(kind=Kind.PHONE_CODE).latest("pk").secret
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Show my appeals").click()
    check("mine")
    context.close()
    assert problems == {}, report(problems)


def test_the_inbox_is_cards_on_a_phone_with_state_and_deadline_in_view(
    session_for: Any, live_ministry: Any
) -> None:
    m = live_ministry
    for n in range(3):
        appeal = register_now(text=f"Poliklinikada navbat uzun, {n}-murojaat, chora koʻring.")
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    session = session_for(m.regional_executor, next_url="/appeals/inbox/", phone=True)
    page = session.page
    page.goto("/appeals/inbox/")
    _no_sideways_scroll(page)
    cards = page.locator(".workspace-table tbody tr")
    assert cards.count() == 3
    for i in range(3):
        card = cards.nth(i)
        assert card.evaluate("e => getComputedStyle(e).display") == "flex"
        for cell in (".cell-state", ".cell-due"):
            box = card.locator(cell).bounding_box()
            assert box is not None and box["width"] > 0
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (cell, box)
        # The state and the deadline come first, under the number: seen without scrolling.
        assert (
            card.locator(".cell-state").bounding_box()["y"]
            < (card.locator("td[data-label='Author']").bounding_box()["y"])
        )
    assert "Deadline" in cards.first.locator(".cell-due").evaluate(
        "e => getComputedStyle(e, '::before').content"
    )
    session.shot("inbox-cards-375")
    assert blocking_violations(page) == []


def test_the_organisation_picker_filters_as_one_types_and_sets_the_choice(
    session_for: Any, live_ministry: Any
) -> None:
    m = live_ministry
    appeal = register_now()
    session = session_for(m.wg_member, next_url=f"/appeals/{appeal.number}/", phone=True)
    form = session.action("route-appeal")
    box = form.get_by_role("searchbox", name="Co-executors")
    rows = form.locator("#id_route-appeal-co_executors-list .form-check")
    total = len([r for r in rows.all() if r.is_visible()])
    box.fill("md-")
    shown = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(shown) < total
    assert all("md-" in r.inner_text() for r in shown)
    assert (
        "Organisations shown:" in form.locator("#id_route-appeal-co_executors-count").inner_text()
    )
    form.locator("#id_route-appeal-co_executors-list").get_by_label(
        m.main_directorate_2.name
    ).check()
    selected = form.locator("#id_route-appeal-co_executors").evaluate(
        "s => [...s.selectedOptions].map(o => o.value)"
    )
    assert selected == [str(m.main_directorate_2.pk)]
    _no_sideways_scroll(session.page)
    assert blocking_violations(session.page) == []
