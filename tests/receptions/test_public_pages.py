"""The public face of receptions (issue 13): organisations' pages and posters (R-ORG-1,
R-ORG-4), the booking pages (R-ORG-2, R-ORG-3), and the office's pages behind them."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from murojaat.accounts.models import Role
from murojaat.core.errors import DomainError
from murojaat.notifications.models import Kind, Notification
from murojaat.receptions import booking, services
from murojaat.receptions.models import Booking, BookingStatus, ReceptionSession, ResponsibleOfficer
from murojaat.receptions.selectors import leaders_without_field_reception, quarter_of
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db

CITIZEN_NAME = "Norboyeva Gulnora"
CITIZEN_PHONE = "+998909998877"
CITIZEN_TOPIC = "Nogironlik guruhini qayta koʻrikdan oʻtkazish"


def _named(m: Ministry) -> None:
    head = m.regional_head
    head.first_name, head.last_name, head.middle_name = "Akmal", "Rahimov", "Botirovich"
    head.position, head.phone = "Boshqarma boshligʻi", "+998712001122"
    head.save()
    m.regional_a.address = "Toshkent sh., Olmazor tumani, Navoiy koʻchasi 12"
    m.regional_a.save()


def _book_through_the_pages(client: Client, m: Ministry) -> str:
    """A citizen books and confirms on the public pages; returns the reference."""
    url = reverse("public_receptions:book", args=[m.regional_head.pk])
    page = client.get(url).content.decode()
    slot = re.search(r'name="slot" id="[^"]+" value="([^"]+)"', page).group(1)
    response = client.post(
        url, {"slot": slot, "name": CITIZEN_NAME, "phone": CITIZEN_PHONE, "topic": CITIZEN_TOPIC}
    )
    assert response.status_code == 302
    code = Notification.objects.get(kind=Kind.BOOKING_CODE, address=CITIZEN_PHONE).secret
    response = client.post(reverse("public_receptions:confirm"), {"code": code})
    assert response.status_code == 302
    done = client.get(reverse("public_receptions:done")).content.decode()
    return re.search(r'id="booking-reference"[^>]*>([A-Z0-9]+)<', done).group(1)


def test_the_organisation_page_lists_leaders_hours_phones_and_the_officer(
    ministry: Ministry,
) -> None:
    """R-ORG-1, R-ORG-4: names in four languages, leaders with positions, hours, work phones,
    the current responsible officer and who held the post before."""
    m = ministry
    _named(m)
    org = m.regional_a
    services.officer_appoint(
        actor=m.wg_member, organisation=org, full_name="Olimova Zuhra", starts_on=date(2025, 1, 6)
    )
    services.officer_appoint(
        actor=m.regional_head,
        organisation=org,
        full_name="Yusupov Sardor",
        position="Bosh mutaxassis",
        phone="+998712003344",
        starts_on=date(2026, 3, 2),
    )
    page = Client().get(reverse("public_receptions:org", args=[org.code])).content.decode()
    for text in (
        org.name_uz,
        "Rahimov Akmal Botirovich",
        "Boshqarma boshligʻi",
        "+998712001122",
        "08:00–11:00",
        "Yusupov Sardor",
        "+998712003344",
        "Olimova Zuhra",  # in the history
        reverse("citizens:public_new"),
        reverse("public_receptions:book", args=[m.regional_head.pk]),
    ):
        assert text in page, text
    first = ResponsibleOfficer.objects.get(full_name="Olimova Zuhra")
    assert first.ends_on == date(2026, 3, 1)  # handed over the day before, no overlap


def test_an_officer_cannot_be_appointed_before_the_current_one_or_by_another_org(
    ministry: Ministry,
) -> None:
    from murojaat.core.errors import DomainError

    m = ministry
    services.officer_appoint(
        actor=m.wg_member, organisation=m.regional_a, full_name="A", starts_on=date(2026, 3, 2)
    )
    with pytest.raises(DomainError):
        services.officer_appoint(
            actor=m.wg_member, organisation=m.regional_a, full_name="B", starts_on=date(2026, 3, 2)
        )
    with pytest.raises(DomainError):
        services.officer_appoint(
            actor=m.association_head,
            organisation=m.regional_a,
            full_name="C",
            starts_on=date(2026, 5, 1),
        )


def test_the_index_finds_organisations_by_name_and_region(ministry: Ministry) -> None:
    client = Client()
    url = reverse("public_receptions:orgs")
    page = client.get(url, {"region": ministry.region_b.pk}).content.decode()
    assert ministry.regional_b.name_uz in page and ministry.regional_a.name_uz not in page
    page = client.get(url, {"q": ministry.regional_a.name_uz[:8]}).content.decode()
    assert ministry.regional_a.name_uz in page
    org = ministry.regional_a
    org.name_uz, org.name_uz_cyrl = "Toshkent viloyati sogʻliqni saqlash boshqarmasi", ""
    org.save()
    # Typed in Cyrillic, found in the Latin name (no Cyrillic name is stored).
    page = client.get(url, {"q": "Тошкент вилояти"}).content.decode()
    assert reverse("public_receptions:org", args=[org.code]) in page
    assert "1 organisation" in page


def test_public_pages_show_no_citizen_s_personal_data(ministry: Ministry) -> None:
    """Bookings are seen by the office only: no booker's name, phone or question on any public
    page, even with a field reception booked and a visit recorded."""
    m = ministry
    client = Client()
    _book_through_the_pages(client, m)
    session = ReceptionSession.objects.create(
        organisation=m.regional_a,
        leader=m.regional_head,
        kind="field",
        date=timezone.localdate() + timedelta(days=3),
        place="Parkent",
    )
    stranger = Client()
    urls = [
        reverse("public_receptions:orgs"),
        reverse("public_receptions:org", args=[m.regional_a.code]),
        reverse("public_receptions:index"),
        reverse("public_receptions:book", args=[m.regional_head.pk]),
        reverse("public_receptions:book_field", args=[session.pk]),
        reverse("public_receptions:manage"),
    ]
    for url in urls:
        page = stranger.get(url).content.decode()
        for secret in (CITIZEN_NAME, CITIZEN_PHONE, "909998877", CITIZEN_TOPIC):
            assert secret not in page, (url, secret)
    poster = stranger.get(reverse("public_receptions:poster", args=[m.regional_a.code])).content
    assert CITIZEN_NAME.encode() not in poster


def test_the_booking_page_shows_a_taken_slot_as_taken_and_the_loser_gets_alternatives(
    ministry: Ministry,
) -> None:
    m = ministry
    url = reverse("public_receptions:book", args=[m.regional_head.pk])
    first, second = Client(), Client()
    page = second.get(url).content.decode()
    slot = re.search(r'name="slot" id="[^"]+" value="([^"]+)"', page).group(1)
    _book_through_the_pages(first, m)  # takes the first free slot, as the second page showed it
    response = second.post(
        url, {"slot": slot, "name": "Qodirov Sanjar", "phone": "+998907776655", "topic": "Savol"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone has just booked this time" in body
    assert "The next free times" in body
    assert body.count('id="alt-') == booking.ALTERNATIVES
    assert f'value="{slot}" autocomplete="off" disabled' in body


def test_bad_input_on_the_booking_form_gets_clear_errors(ministry: Ministry) -> None:
    url = reverse("public_receptions:book", args=[ministry.regional_head.pk])
    body = Client().post(url, {"slot": "", "name": "", "phone": "12", "topic": ""}).content.decode()
    assert "Choose a time from the list." in body
    assert "This field is required." in body
    body = (
        Client()
        .post(url, {"slot": "2026-13-01T08:00+05:00", "name": "A", "phone": "1", "topic": "xxxxxx"})
        .content.decode()
    )
    assert "Choose a time from the list." in body


def test_the_citizen_cancels_by_reference_and_the_office_sees_the_day(ministry: Ministry) -> None:
    m = ministry
    client = Client()
    reference = _book_through_the_pages(client, m)
    mine = Booking.objects.get(phone=CITIZEN_PHONE)
    office = Client()
    office.force_login(m.regional_head)
    day = timezone.localtime(mine.starts_at).date().isoformat()
    page = office.get(reverse("receptions:bookings"), {"day": day}).content.decode()
    assert CITIZEN_NAME in page and CITIZEN_PHONE in page
    outsider = Client()
    outsider.force_login(m.outsider)
    assert (
        CITIZEN_NAME
        not in outsider.get(reverse("receptions:bookings"), {"day": day}).content.decode()
    )
    response = outsider.post(
        reverse("receptions:bookings") + f"?day={day}", {"booking": mine.pk, "action": "missed"}
    )
    assert response.status_code == 404
    fresh = Client()
    wrong = fresh.post(reverse("public_receptions:manage"), {"reference": "WRONGREF22"})
    assert "No booking was found" in wrong.content.decode()
    assert (
        fresh.post(reverse("public_receptions:manage"), {"reference": reference}).status_code == 302
    )
    fresh.post(reverse("public_receptions:my_booking"), {"action": "cancel"})
    mine.refresh_from_db()
    assert mine.status == BookingStatus.CANCELLED


def test_the_office_records_came_and_registers_the_oral_appeal_from_the_list(
    ministry: Ministry,
) -> None:
    from murojaat.appeals.models import Channel

    m = ministry
    _book_through_the_pages(Client(), m)
    mine = Booking.objects.get(phone=CITIZEN_PHONE)
    office = Client()
    office.force_login(m.regional_head)
    day = timezone.localtime(mine.starts_at).date().isoformat()
    url = reverse("receptions:bookings") + f"?day={day}"
    office.post(url, {"booking": mine.pk, "action": "came", "outcome": "Tushuntirildi"})
    office.post(url, {"booking": mine.pk, "action": "register"})
    mine.refresh_from_db()
    assert mine.status == BookingStatus.CAME
    appeal = mine.visit.appeal
    assert appeal.channel == Channel.PERSONAL_RECEPTION and appeal.author_name == CITIZEN_NAME
    assert appeal.number in office.get(url).content.decode()


def test_the_office_edits_the_schedule_and_absences(ministry: Ministry) -> None:
    m = ministry
    office = Client()
    office.force_login(m.regional_head)
    url = reverse("receptions:schedule", args=[m.regional_head.pk])
    bad = office.post(
        url,
        {"action": "schedule", "starts_at": "10:00", "ends_at": "09:00", "slot_minutes": 15},
    )
    assert "The reception must end after it starts." in bad.content.decode()
    office.post(
        url,
        {
            "action": "schedule",
            "starts_at": "09:00",
            "ends_at": "10:00",
            "slot_minutes": 30,
            "bookable": "on",
        },
    )
    assert booking.hours_of(m.regional_head) == booking.Hours(time(9), time(10), 30)
    today = timezone.localdate()
    office.post(
        url,
        {
            "action": "absence",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert booking.personal_days(m.regional_head) == []
    other = Client()
    other.force_login(m.association_head)
    assert other.get(url).status_code == 404


def test_the_responsible_officer_keeps_the_leader_s_day_but_plans_nothing(
    ministry: Ministry,
) -> None:
    """The reception desk is the responsible officer's (R-ORG-4): they set the head's hours and
    absences and record who came, in their own organisation only; an executor cannot."""
    m = ministry
    desk = m.regional_executor  # the regional directorate's responsible officer
    assert desk.has_role(Role.RESPONSIBLE)
    office = Client()
    office.force_login(desk)
    url = reverse("receptions:schedule", args=[m.regional_head.pk])
    assert office.get(url).status_code == 200
    office.post(
        url,
        {"action": "schedule", "starts_at": "09:00", "ends_at": "10:00", "slot_minutes": 20},
    )
    assert booking.hours_of(m.regional_head) == booking.Hours(time(9), time(10), 20)
    # Not another organisation's head, nor a non-leader of one's own.
    assert (
        office.get(reverse("receptions:schedule", args=[m.association_head.pk])).status_code == 404
    )
    assert office.get(reverse("receptions:schedule", args=[desk.pk])).status_code == 404
    clerk = Client()
    clerk.force_login(make_user("rd-clerk", m.regional_a, Role.EXECUTOR))
    assert clerk.get(url).status_code == 404
    with pytest.raises(DomainError):
        services.session_plan(
            actor=desk,
            organisation=m.regional_a,
            leader=m.regional_head,
            kind="field",
            day=timezone.localdate() + timedelta(days=3),
            place="Parkent",
        )


def test_the_working_group_sees_leaders_without_a_field_reception_this_quarter(
    ministry: Ministry,
) -> None:
    """R-ORG-3: held (dated up to today) counts; one only planned later does not."""
    m = ministry
    today = timezone.localdate()
    first, last = quarter_of(today)
    ReceptionSession.objects.create(
        organisation=m.regional_a, leader=m.regional_head, kind="field", date=first, place="A"
    )
    ReceptionSession.objects.create(
        organisation=m.association_a,
        leader=m.association_head,
        kind="field",
        date=last + timedelta(days=0) if last > today else today + timedelta(days=400),
        place="B",
    )
    ReceptionSession.objects.create(
        organisation=m.regional_b,
        leader=m.outsider,
        kind="field",
        date=first - timedelta(days=1),  # last quarter
        place="C",
    )
    gaps = {g.leader for g in leaders_without_field_reception(m.wg_member, today=today)}
    assert m.regional_head not in gaps
    assert m.association_head in gaps and m.outsider in gaps and m.md_head in gaps
    client = Client()
    client.force_login(m.wg_member)
    assert m.outsider.full_name in client.get(reverse("receptions:field_gaps")).content.decode()
    client.force_login(m.association_executor)
    assert client.get(reverse("receptions:field_gaps")).status_code == 404


def test_quarters_are_calendar_quarters() -> None:
    assert quarter_of(date(2026, 12, 3)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_of(date(2026, 4, 1)) == (date(2026, 4, 1), date(2026, 6, 30))


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en"])
def test_the_poster_pdf_names_the_leaders_and_carries_qr_codes_to_write_and_to_book(
    ministry: Ministry, language: str, settings
) -> None:
    """R-ORG-1: read back with pypdf: the leader's name, the two addresses printed under the
    codes, and two QR images whose modules are exactly segno's encoding of those addresses."""
    import segno
    from pypdf import PdfReader

    settings.MUROJAAT_SITE_URL = "https://murojaat.ssv.uz"
    m = ministry
    _named(m)
    response = Client().get(
        reverse("public_receptions:poster", args=[m.regional_a.code]), {"lang": language}
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    assert "RahimovAkmalBotirovich" in flat
    write_url = "https://murojaat.ssv.uz/citizens/"
    book_url = f"https://murojaat.ssv.uz/citizens/orgs/{m.regional_a.code}/#book"
    assert write_url in flat and book_url in flat
    images = [image.image for page in reader.pages for image in page.images]
    assert len(images) == 2
    for image, url in zip(images, [write_url, book_url], strict=True):
        assert _modules(image) == [list(row) for row in segno.make(url, error="m").matrix]


def _modules(image, border: int = 2) -> list[list[int]]:
    """The QR code's dark modules, sampled at each module's centre."""
    gray = image.convert("L")
    size = gray.width

    scale = 8
    count = size // scale - 2 * border
    return [
        [
            1
            if gray.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            < 128
            else 0
            for x in range(count)
        ]
        for y in range(count)
    ]


def test_an_unknown_poster_language_is_not_found(ministry: Ministry) -> None:
    url = reverse("public_receptions:poster", args=[ministry.regional_a.code])
    assert Client().get(url, {"lang": "de"}).status_code == 404
    assert Client().get(reverse("public_receptions:org", args=["no-such-org"])).status_code == 404
