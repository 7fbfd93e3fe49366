"""The public face of receptions in a real browser (issue 13): a citizen finds the institution,
books a leader's reception, confirms with the code from the SMS outbox, and cancels; the
institution's poster is downloaded and read back; axe-core finds no serious violation on the
new public pages at desktop and phone widths."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.browser.test_axe import blocking_violations, report
from tests.notifications.conftest import sms_gateway  # noqa: F401 (the SMS simulator fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE_NUMBER = "+998901234567"


def _prepare(m: Any) -> Any:
    from datetime import date, timedelta

    from django.utils import timezone

    from murojaat.receptions import services
    from murojaat.receptions.models import ReceptionSession

    head = m.regional_head
    head.first_name, head.last_name, head.position = "Akmal", "Rahimov", "Boshqarma boshligʻi"
    head.phone = "+998712001122"
    head.save()
    services.officer_appoint(
        actor=m.wg_member,
        organisation=m.regional_a,
        full_name="Yusupov Sardor",
        starts_on=date(2025, 1, 6),
    )
    return ReceptionSession.objects.create(
        organisation=m.regional_a,
        leader=head,
        kind="field",
        date=timezone.localdate() + timedelta(days=5),
        place="Parkent tuman tibbiyot birlashmasi",
    )


def _code(phone: str) -> str:
    """The one-time code as the SMS carries it: the outbox row written for the phone."""
    from murojaat.notifications.models import Kind, Notification

    row = Notification.objects.filter(kind=Kind.BOOKING_CODE, address=phone).latest("pk")
    match = re.search(r"\b(\d{6})\b", row.body)
    assert match, row.body
    return match.group(1)


def _sms_code(gateway: Any, page: Any, count: int) -> str:
    """The one-time code as it reached the operator's SMS gateway (the simulator)."""
    for _ in range(100):
        if len(gateway.delivered) >= count:
            break
        page.wait_for_timeout(100)
    sms = gateway.delivered[count - 1]
    assert sms.recipient == PHONE_NUMBER.lstrip("+"), sms
    match = re.search(r"\b(\d{6})\b", sms.text)
    assert match, sms.text
    return match.group(1)


def test_a_citizen_books_confirms_with_the_sms_code_and_cancels(
    chromium: Any,
    live_server: Any,
    live_ministry: Any,
    sms_gateway: Any,  # noqa: F811 (the fixture imported above)
) -> None:
    from murojaat.receptions.models import Booking, BookingStatus

    m = live_ministry
    _prepare(m)
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/citizens/")
        page.locator(".navbar-toggler").click()  # a phone: the menu is behind the toggle
        page.get_by_role("link", name="Institutions").first.click()
        page.fill("#q", m.regional_a.name_uz[:10])
        with page.expect_navigation():
            page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name=m.regional_a.name_uz).click()
        assert "Rahimov Akmal" in page.content() and "Yusupov Sardor" in page.content()
        page.get_by_role("link", name=re.compile("Book a personal reception")).click()

        page.locator(".slot-grid label").first.click()
        chosen = page.locator("input[name=slot]:checked").get_attribute("value")
        page.fill("#id_name", "Karimova Dilnoza")
        page.fill("#id_phone", "90 123 45 67")
        page.fill("#id_topic", "Poliklinikada navbat uch kun davom etmoqda.")
        with page.expect_navigation():
            page.get_by_role("button", name="Send me the code").click()
        assert "/citizens/receptions/confirm/" in page.url

        code = _sms_code(sms_gateway, page, 1)
        page.fill("#id_code", "000000" if code != "000000" else "111111")
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()
        assert "The code is wrong or has expired" in page.content()
        page.fill("#id_code", code)
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()
        assert "Your reception is booked" in page.content()
        reference = page.locator("#booking-reference").inner_text().strip()
        # The confirmation SMS carries the same reference and the time.
        _sms_code(sms_gateway, page, 1)
        for _ in range(100):
            if len(sms_gateway.delivered) >= 2:
                break
            page.wait_for_timeout(100)
        assert reference in sms_gateway.delivered[1].text
        booking = Booking.objects.get(phone=PHONE_NUMBER)
        assert booking.status == BookingStatus.CONFIRMED
        assert booking.starts_at == datetime.fromisoformat(chosen)
        page.screenshot(path=str(SCREENSHOTS / "reception-booked-phone.png"), full_page=True)

        # Later, from another browser: the reference alone opens the booking.
        other = context.browser.new_context(base_url=live_server.url, locale="en-GB")
        later = other.new_page()
        later.goto("/citizens/receptions/manage/")
        later.fill("#id_reference", reference.lower())
        with later.expect_navigation():
            later.get_by_role("button", name="Open my booking").click()
        assert later.locator("#booking-status").inner_text().strip() == "Confirmed"
        with later.expect_navigation():
            later.get_by_role("button", name="Cancel the booking").click()
        assert "Your booking was cancelled." in later.content()
        assert later.locator("#booking-status").inner_text().strip() == "Cancelled"
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        other.close()
    finally:
        context.close()


def test_the_poster_is_downloaded_and_read_back(
    chromium: Any, live_server: Any, live_ministry: Any, settings: Any
) -> None:
    from pypdf import PdfReader

    m = live_ministry
    settings.MUROJAAT_SITE_URL = live_server.url
    _prepare(m)
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"/citizens/orgs/{m.regional_a.code}/")
        href = page.get_by_role("link", name="Poster (PDF)").get_attribute("href")
        response = page.request.get(href + "?lang=ru")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.body()))
        flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
        assert "RahimovAkmal" in flat and "YusupovSardor" in flat
        assert "Приёмграждан" in flat  # the poster's title in Russian
        assert f"{live_server.url}/citizens/" in flat
        assert f"{live_server.url}/citizens/orgs/{m.regional_a.code}/#book" in flat
        assert sum(len(p.images) for p in reader.pages) == 2
    finally:
        context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_public_reception_pages_have_no_serious_violations(
    chromium: Any, live_server: Any, live_ministry: Any, width: str
) -> None:
    m = live_ministry
    field = _prepare(m)
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE if width == "phone" else DESKTOP
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = blocking_violations(page)
        if found:
            problems[name] = found
        overflow = page.evaluate("document.documentElement.scrollWidth")
        limit = PHONE["width"] if width == "phone" else DESKTOP["width"]
        if overflow > limit:
            problems.setdefault(name, []).append(f"scrolls sideways: {overflow}px")

    try:
        for name, url in {
            "orgs": "/citizens/orgs/",
            "org": f"/citizens/orgs/{m.regional_a.code}/",
            "receptions": "/citizens/receptions/",
            "book": f"/citizens/receptions/leader/{m.regional_head.pk}/",
            "book-field": f"/citizens/receptions/field/{field.pk}/",
            "manage": "/citizens/receptions/manage/",
        }.items():
            page.goto(url)
            check(name)
        # The form with its errors, then the code and the confirmation pages.
        page.goto(f"/citizens/receptions/leader/{m.regional_head.pk}/")
        with page.expect_navigation():
            page.get_by_role("button", name="Send me the code").click()
        check("book-errors")
        page.locator(".slot-grid label").first.click()
        page.fill("#id_name", "Karimova Dilnoza")
        page.fill("#id_phone", PHONE_NUMBER)
        page.fill("#id_topic", "Poliklinikada navbat uch kun davom etmoqda.")
        with page.expect_navigation():
            page.get_by_role("button", name="Send me the code").click()
        check("confirm")
        page.fill("#id_code", _code(PHONE_NUMBER))
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()
        check("done")
        page.goto("/citizens/receptions/manage/booking/")
        check("my-booking")
        page.screenshot(path=str(SCREENSHOTS / f"reception-my-booking-{width}.png"), full_page=True)
    finally:
        context.close()
    assert problems == {}, report(problems)


def test_the_office_s_reception_pages_have_no_serious_violations(
    session_for: Any, live_ministry: Any
) -> None:
    from murojaat.receptions import booking

    m = live_ministry
    _prepare(m)
    (day, *_rest) = booking.personal_days(m.regional_head)
    held = booking.hold(
        leader=m.regional_head,
        slot=day.slots[0][0],
        name="Karimova Dilnoza",
        phone=PHONE_NUMBER,
        topic="Poliklinikada navbat uch kun.",
        language="en",
    )
    booking.confirm(held.booking.pk, _code(PHONE_NUMBER))
    problems: dict[str, list[str]] = {}
    for user, pages in (
        (
            m.regional_head,
            {
                "bookings": f"/receptions/bookings/?day={day.day.isoformat()}",
                "schedule": f"/receptions/schedule/{m.regional_head.pk}/",
                "officers": f"/receptions/officers/{m.regional_a.pk}/",
            },
        ),
        (m.wg_member, {"field-gaps": "/receptions/field-gaps/"}),
    ):
        page = session_for(user, next_url="/receptions/").page
        for name, url in pages.items():
            page.goto(url)
            found = blocking_violations(page)
            if found:
                problems[name] = found
    assert problems == {}, report(problems)
