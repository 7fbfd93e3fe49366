"""A citizen's story in the browser, with the mail arriving at a real SMTP server (aiosmtpd):
the receipt carries the number and the code the page showed; when the answer is sent, the
"answer ready" mail arrives, and its link and the code open the answer on the tracking page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.notifications.conftest import smtp, text_of  # noqa: F401 (the SMTP server fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _wait_for_mail(mailbox: Any, count: int, page: Any) -> None:
    for _ in range(100):
        if len(mailbox.messages) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{len(mailbox.messages)} mails, expected {count}")


def test_the_citizen_s_receipt_and_answer_arrive_by_mail_in_a_browser_story(
    chromium,
    live_server,
    live_ministry,
    smtp,  # noqa: F811 (the fixture imported above)
    settings,
) -> None:
    from murojaat.appeals import services
    from murojaat.appeals.models import Appeal
    from tests.notifications.test_events import answer_with_feedback_top

    settings.MUROJAAT_SITE_URL = live_server.url
    m = live_ministry
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    try:
        page.goto("/gateway/public/")
        page.fill("#id_author_name", "Karimova Dilnoza")
        page.fill("#id_author_email", "dilnoza@example.uz")
        page.fill("#id_text", "Poliklinikada shifokor qabul qilmadi, navbat uch kun.")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        number = page.locator("#tracking-number").inner_text().strip()
        code = page.locator("#tracking-code").inner_text().strip()

        _wait_for_mail(smtp, 1, page)
        (receipt,) = smtp.to("dilnoza@example.uz")
        assert number in receipt["Subject"]
        assert code in text_of(receipt) and number in text_of(receipt)

        appeal = Appeal.objects.get(number=number)
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        answer_with_feedback_top(m, top)
        appeal.refresh_from_db()
        services.send_answer(actor=m.wg_member, appeal=appeal)

        _wait_for_mail(smtp, 3, page)  # routed, then answer ready
        subjects = [str(mail["Subject"]).strip() for mail in smtp.to("dilnoza@example.uz")]
        assert subjects[1:] == [
            f"Your appeal {number} is being considered",
            f"Your appeal {number} was answered",
        ]
        answered = smtp.to("dilnoza@example.uz")[-1]
        link = re.search(r"https?://\S+", text_of(answered)).group(0)
        page.goto(link)
        page.fill("#id_number", number)
        page.fill("#id_code", code)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "Javob" in page.content()  # the answer's text, behind the code
    finally:
        context.close()
