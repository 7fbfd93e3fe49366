"""A citizen who proves their phone with a one-time code sees every appeal written with it
(issue 13), matched on the normalised phone key (L-6 keys, murojaat.core.identity); never
without the code, never another phone's appeals, and only while the proof lasts."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal
from murojaat.citizens import views
from murojaat.notifications.models import Channel, Kind, Notification, TrackingResend
from tests.citizens.test_public import STATUS, submit

pytestmark = pytest.mark.django_db

PHONE = "/citizens/track/phone/"
CONFIRM = "/citizens/track/phone/confirm/"
MINE = "/citizens/track/mine/"


def _appeal(phone: str, name: str = "Yusupova Malika", **extra) -> Appeal:
    return services.register_appeal(
        actor=None,
        channel="minister_vr",
        author_name=name,
        author_phone=phone,
        text="Poliklinikada navbat uzun, shifokor qabul qilmadi.",
        with_tracking_code=True,
        **extra,
    ).appeal


def _code_sent_to(phone_digits: str) -> str:
    row = Notification.objects.filter(kind=Kind.PHONE_CODE, channel=Channel.SMS).latest("pk")
    assert row.address.replace(" ", "").endswith(phone_digits)
    return row.secret


def _prove(client: Client, phone: str) -> None:
    assert client.post(PHONE, {"phone": phone}).status_code == 302
    code = _code_sent_to("".join(ch for ch in phone if ch.isdigit())[-9:])
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302 and response["Location"] == MINE


def test_the_urls_resolve():
    assert reverse("citizens:phone_start") == PHONE
    assert reverse("citizens:my_appeals") == MINE


def test_a_proven_phone_lists_its_appeals_in_any_spelling_and_no_other_phone_s(client, ministry):
    """The same phone written three ways is one key; a neighbour's number is another."""
    mine = [
        _appeal("+998 90 123-45-67"),
        _appeal("90 123 45 67"),
        _appeal("8 90 123 45 67", kind="complaint"),
    ]
    other = _appeal("+998 91 765 43 21", name="Boshqa Odam")
    _prove(client, "(90) 123 45 67")
    html = client.get(MINE).content.decode()
    for appeal in mine:
        assert appeal.number in html
    assert other.number not in html and "Boshqa Odam" not in html
    assert "Received: being sent to the organisation that will answer" in html
    # Opening one of them shows its tracking page; another phone's number is not found.
    opened = client.get(reverse("citizens:my_appeal", args=[mine[1].number]))
    assert opened.status_code == 302 and opened["Location"] == STATUS
    assert mine[1].number in client.get(STATUS).content.decode()
    assert client.get(reverse("citizens:my_appeal", args=[other.number])).status_code == 404


def test_without_a_code_there_is_no_list(client, ministry):
    _appeal("+998901234567")
    assert client.get(MINE)["Location"] == PHONE
    assert client.get(reverse("citizens:my_appeal", args=["VV-2026-000001"]))["Location"] == PHONE
    # Asking for a code is not proving the phone.
    client.post(PHONE, {"phone": "+998901234567"})
    assert client.get(MINE)["Location"] == PHONE
    response = client.post(CONFIRM, {"code": "000000"})
    assert "The code is wrong or has expired" in response.content.decode()
    assert client.get(MINE)["Location"] == PHONE


def test_an_unknown_phone_gets_the_same_answer_and_no_message(client, ministry):
    """No oracle: the page after the phone is the same whether or not it wrote to us."""
    _appeal("+998901234567")
    unknown = client.post(PHONE, {"phone": "+998 93 000 00 00"})
    assert unknown.status_code == 302 and unknown["Location"] == CONFIRM
    assert not Notification.objects.filter(kind=Kind.PHONE_CODE).exists()
    known = Client().post(PHONE, {"phone": "+998901234567"})
    assert known["Location"] == CONFIRM
    assert Notification.objects.filter(kind=Kind.PHONE_CODE).count() == 1


def test_the_proof_expires(client, ministry):
    appeal = _appeal("+998901234567")
    _prove(client, "+998901234567")
    assert appeal.number in client.get(MINE).content.decode()
    with time_machine.travel(time.time() + views.PHONE_SESSION_SECONDS + 5):
        assert client.get(MINE)["Location"] == PHONE
        assert client.get(reverse("citizens:my_appeal", args=[appeal.number]))["Location"] == PHONE


def test_a_code_allows_five_tries_and_is_used_once(client, ministry):
    _appeal("+998901234567")
    client.post(PHONE, {"phone": "+998901234567"})
    code = _code_sent_to("901234567")
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        client.post(CONFIRM, {"code": wrong})
    assert client.post(CONFIRM, {"code": code}).status_code == 200  # spent its tries
    assert client.get(MINE)["Location"] == PHONE
    other = Client()
    _prove(other, "+998901234567")
    used = TrackingResend.objects.filter(used_at__isnull=False).latest("pk")
    assert used.purpose == "phone_list"


def test_a_tracking_code_re_send_code_does_not_open_the_phone_list(client, ministry):
    """The two one-time codes share one mechanism but not their purpose."""
    from murojaat.notifications import citizens

    appeal = _appeal("+998901234567")
    resend_id = citizens.request_resend(number=appeal.number, contact="+998901234567")
    assert resend_id is not None
    code = Notification.objects.filter(kind=Kind.TRACKING_CODE).latest("pk").secret
    assert citizens.confirm_phone(resend_id, code) is None
    assert citizens.confirm_resend(resend_id, code) is not None


def test_asking_for_codes_is_rate_limited(client, ministry, settings):
    _appeal("+998901234567")
    for _ in range(views.PHONE_REQUESTS_PER_HOUR):
        assert client.post(PHONE, {"phone": "+998 93 000 00 00"}).status_code == 302
    assert client.post(PHONE, {"phone": "+998901234567"}).status_code == 429
    # And per phone, whoever asks: three codes an hour.
    for _ in range(4):
        Client(REMOTE_ADDR="10.0.0.9").post(PHONE, {"phone": "+998901234567"})
    assert Notification.objects.filter(kind=Kind.PHONE_CODE).count() == 3


def test_the_public_form_s_own_appeal_appears_in_the_list(client, ministry):
    number, _code = submit(client)
    prover = Client()
    _prove(prover, "+998 90 123 45 67")
    assert number in prover.get(MINE).content.decode()
