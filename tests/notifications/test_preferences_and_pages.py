"""Preferences and quiet hours honoured; the notification centre, the digest and the citizen's
tracking-code re-send as pages (each person sees only their own; codes have no look-alikes)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from murojaat.appeals import services
from murojaat.appeals.models import Appeal
from murojaat.appeals.selectors import appeal_for_author
from murojaat.core.codes import ALPHABET, readable_code
from murojaat.notifications import delivery
from murojaat.notifications.models import (
    Channel,
    Kind,
    Notification,
    Preference,
    Profile,
    State,
    Template,
    TrackingResend,
)
from murojaat.notifications.texts import render
from tests.appeals.helpers import TASHKENT
from tests.notifications.test_events import register_public


@pytest.fixture
def officer(ministry):  # type: ignore[no-untyped-def]
    user = ministry.regional_executor
    user.email, user.phone = "rd@ssv.uz", "+998712000000"
    user.save()
    return user


def _route(ministry) -> Appeal:  # type: ignore[no-untyped-def]
    appeal, _code = register_public()
    services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a)
    return appeal


def _channels(user, kind=Kind.ASSIGNED) -> set[str]:  # type: ignore[no-untyped-def]
    return set(Notification.objects.filter(user=user, kind=kind).values_list("channel", flat=True))


def test_by_default_staff_get_in_app_and_e_mail_but_no_sms(ministry, officer) -> None:
    _route(ministry)
    assert _channels(officer) == {Channel.IN_APP, Channel.EMAIL}


def test_a_person_s_choice_per_kind_and_channel_is_honoured(ministry, officer, client) -> None:
    client.force_login(officer)
    data = {f"{k}__{c}": "on" for k in ("assigned",) for c in ("in_app", "sms")}
    data.update({"overdue__email": "on", "quiet_from": "", "quiet_until": ""})
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    _route(ministry)
    assert _channels(officer) == {Channel.IN_APP, Channel.SMS}  # e-mail off, SMS on
    assert (
        Preference.objects.filter(user=officer, kind="assigned", channel="email").get().enabled
        is False
    )


def test_half_given_quiet_hours_are_refused_in_the_user_s_language(
    ministry, officer, client
) -> None:
    client.force_login(officer)
    response = client.post(reverse("notifications:preferences"), {"quiet_from": "22:00"})
    assert response.status_code == 200
    assert "Give both ends of the quiet hours" in response.content.decode()


def test_in_quiet_hours_outside_messages_wait_until_the_hours_end(ministry, officer) -> None:
    Profile.objects.create(user=officer, quiet_from=time(21, 0), quiet_until=time(8, 0))
    with time_machine.travel(datetime(2026, 11, 16, 23, 30, tzinfo=TASHKENT), tick=False):
        _route(ministry)
        email = Notification.objects.get(user=officer, channel=Channel.EMAIL)
        in_app = Notification.objects.get(user=officer, channel=Channel.IN_APP)
        assert timezone.localtime(email.next_attempt_at) == datetime(
            2026, 11, 17, 8, 0, tzinfo=TASHKENT
        )
        assert in_app.state == State.SENT  # the centre shows it at once; it makes no noise
        delivery.deliver_pending()  # the citizen's messages go; the officer's e-mail waits
        email.refresh_from_db()
        assert (email.state, email.attempts) == (State.PENDING, 0)


def test_an_administrator_s_template_replaces_the_built_in_wording(ministry) -> None:
    Template.objects.create(
        kind=Kind.ROUTED,
        language="ru",
        subject="Обращение {{ number }}",
        body="Передано в {{ org }}. {{ link }}",
    )
    appeal = _route(ministry)
    row = Notification.objects.filter(kind=Kind.ROUTED).first()
    assert row.subject == f"Обращение {appeal.number}"
    assert row.body.startswith(f"Передано в {ministry.regional_a.name}.")


def test_every_kind_has_a_wording_in_every_language(db) -> None:
    for kind in Kind:
        for language in ("uz", "uz-cyrl", "ru", "en"):
            subject, body = render(kind, language, {"number": "VV-1"})
            assert subject and body, (kind, language)


def test_the_centre_shows_my_messages_only_and_marks_them_read(ministry, officer, client) -> None:
    appeal = _route(ministry)
    mine = Notification.objects.get(user=officer, channel=Channel.IN_APP)
    client.force_login(officer)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert mine.subject in page and 'data-testid="unread-count">1' in page
    response = client.post(reverse("notifications:read", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[appeal.number])
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert (
        'data-testid="unread-count"'
        not in client.get(reverse("notifications:centre")).content.decode()
    )

    # Someone else's message is not theirs to open or mark (404, like "no such message").
    client.force_login(ministry.outsider)
    assert client.post(reverse("notifications:read", args=[mine.pk])).status_code == 404
    assert mine.subject not in client.get(reverse("notifications:centre")).content.decode()


def test_the_head_s_digest_lists_only_their_own_organisation_s_work(ministry, client) -> None:
    appeal = _route(ministry)
    other, _code = register_public(author_email="x@example.uz")
    services.route_appeal(actor=ministry.wg_member, appeal=other, to_org=ministry.regional_b)
    client.force_login(ministry.regional_head)
    page = client.get(reverse("notifications:digest")).content.decode()
    assert appeal.number in page and other.number not in page


def test_codes_avoid_look_alike_characters() -> None:
    assert not set("lI1O0o") & set(ALPHABET)
    codes = {readable_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 12 and set(c) <= set(ALPHABET) for c in codes)


def test_a_new_appeal_s_tracking_code_is_readable(ministry) -> None:
    _appeal, code = register_public()
    assert set(code) <= set(ALPHABET) and len(code) == 12


def _otp_from_sms(sms_gateway) -> str:  # type: ignore[no-untyped-def]
    import re

    return re.search(r"(?<![-\d])(\d{6})(?!\d)", sms_gateway.delivered[-1].text).group(1)


def test_a_citizen_gets_a_new_tracking_code_after_proving_the_phone_on_file(
    ministry, client, sms_gateway
) -> None:
    appeal, old_code = register_public(author_email="")
    delivery.deliver_pending()  # the receipt
    response = client.post(
        reverse("notifications:resend"), {"number": appeal.number, "contact": "90 123 45 67"}
    )
    assert response.status_code == 302
    delivery.deliver_pending()
    otp = _otp_from_sms(sms_gateway)
    page = client.post(reverse("notifications:resend_confirm"), {"code": otp}).content.decode()
    new_code = page.split('data-testid="new-tracking-code">')[1].split("<")[0]
    assert set(new_code) <= set(ALPHABET)
    assert appeal_for_author(appeal.number, new_code) == appeal
    assert appeal_for_author(appeal.number, old_code) is None  # the lost code stops working
    delivery.deliver_pending()
    assert new_code in sms_gateway.delivered[-1].text  # sent to the phone too


def test_a_wrong_contact_gets_the_same_answer_and_no_code_is_sent(
    ministry, client, sms_gateway
) -> None:
    appeal, _code = register_public(author_email="")
    response = client.post(
        reverse("notifications:resend"), {"number": appeal.number, "contact": "+998 91 000 00 00"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/confirm/")
    assert not TrackingResend.objects.exists()
    page = client.post(reverse("notifications:resend_confirm"), {"code": "123456"})
    assert "The code is wrong or has expired" in page.content.decode()


def test_a_one_time_code_allows_five_tries_and_expires(ministry, client, sms_gateway) -> None:
    appeal, _code = register_public(author_email="")
    client.post(
        reverse("notifications:resend"), {"number": appeal.number, "contact": "+998901234567"}
    )
    delivery.deliver_pending()
    otp = _otp_from_sms(sms_gateway)
    wrong = "000000" if otp != "000000" else "111111"
    for _ in range(5):
        client.post(reverse("notifications:resend_confirm"), {"code": wrong})
    page = client.post(reverse("notifications:resend_confirm"), {"code": otp}).content.decode()
    assert "new-tracking-code" not in page  # the sixth try, even right, is refused
    resend = TrackingResend.objects.get()
    assert resend.attempts == 5 and not check_password(wrong, resend.code_hash)

    client.post(
        reverse("notifications:resend"), {"number": appeal.number, "contact": "+998901234567"}
    )
    delivery.deliver_pending()
    otp = _otp_from_sms(sms_gateway)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        page = client.post(reverse("notifications:resend_confirm"), {"code": otp}).content.decode()
    assert "new-tracking-code" not in page


def test_the_tracking_page_links_to_the_re_send(client) -> None:
    page = client.get(reverse("citizens:public_track")).content.decode()
    assert reverse("notifications:resend") in page


def test_a_booking_confirmed_then_changed_is_told_once_per_revision(ministry) -> None:
    """Issue 13's bookings call notify_booking; each revision of a booking is one message."""
    from murojaat.notifications.services import notify_booking

    appeal, _code = register_public(language="en")
    when = datetime(2026, 11, 20, 9, 30, tzinfo=TASHKENT)
    for _ in range(2):  # a retried call writes nothing more
        notify_booking(
            appeal=appeal, booking_key="b7", version=1, when=when, place="Room 4", changed=False
        )
    notify_booking(
        appeal=appeal,
        booking_key="b7",
        version=2,
        when=when + timedelta(days=1),
        place="Room 4",
        changed=True,
        comment="The head is away on the 20th.",
    )
    rows = Notification.objects.filter(kind=Kind.BOOKING, channel=Channel.EMAIL).order_by("pk")
    assert [r.subject for r in rows] == [
        "Reception booking confirmed",
        "Reception booking changed",
    ]
    assert "2026-11-20 09:30" in rows[0].body and "2026-11-21 09:30" in rows[1].body
    assert "away on the 20th" in rows[1].body


def test_administrators_see_the_outbox_with_states_and_reasons_and_can_send_again(
    ministry, client, smtp
) -> None:
    register_public(author_phone="")
    Notification.objects.update(state=State.FAILED, attempts=10, last_error="SMTP 451 busy")
    client.force_login(ministry.admin)
    page = client.get("/admin/notifications/notification/?state__exact=failed").content.decode()
    assert "SMTP 451 busy" in page and "receipt" in page
    row = Notification.objects.get()
    client.post(
        "/admin/notifications/notification/",
        {"action": "send_again", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.PENDING, 0)
    delivery.deliver_pending()
    assert len(smtp.messages) == 1
    # Nobody but an administrator reaches the list.
    client.force_login(ministry.regional_executor)
    assert client.get("/admin/notifications/notification/").status_code == 302


def test_a_broken_template_is_refused_by_the_admin_and_never_blocks_a_change(ministry) -> None:
    from django.core.exceptions import ValidationError

    broken = Template(kind=Kind.ROUTED, language="ru", subject="{% if %}", body="{{ org }")
    with pytest.raises(ValidationError) as caught:
        broken.full_clean()
    assert set(caught.value.message_dict) == {"subject"}  # "{{ org }" is literal text
    Template.objects.create(kind=Kind.ROUTED, language="ru", subject="{% if %}", body="x")
    appeal = _route(ministry)  # the routing still commits; the built-in wording is used
    row = Notification.objects.filter(kind=Kind.ROUTED).first()
    assert row.subject == f"Ваше обращение {appeal.number} рассматривается"


def test_the_settings_page_shows_the_choices_made(ministry, officer, client) -> None:
    Preference.objects.create(user=officer, kind=Kind.OVERDUE, channel=Channel.SMS, enabled=True)
    client.force_login(officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert re.search(r'name="overdue__sms"[^>]*checked', page)
    assert re.search(r'name="overdue__email"[^>]*checked', page)  # the default
    assert not re.search(r'name="assigned__sms"[^>]*checked', page)
