"""Each channel against a real peer on this machine: an SMTP server (aiosmtpd), the operators'
SMS gateway protocol and the Telegram Bot API (the simulators), over real sockets."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from murojaat.accounts.models import Role
from murojaat.appeals import services
from murojaat.notifications import delivery, telegram_link
from murojaat.notifications.models import Channel, Kind, Notification, Profile, State
from tests.factories import make_user
from tests.notifications.conftest import text_of
from tests.notifications.test_events import register_public


def test_the_receipt_arrives_at_the_smtp_server_in_html_and_text_in_the_appeal_s_language(
    ministry, smtp
) -> None:
    appeal, code = register_public(language="ru")
    counts = delivery.deliver_pending()
    assert counts["sent"] == 1  # the e-mail; SMS has no gateway configured and waits
    (message,) = smtp.to("dilnoza@example.uz")
    assert message["Subject"].strip() == f"Ваше обращение {appeal.number} получено"
    plain, html = text_of(message, "plain"), text_of(message, "html")
    assert code in plain and code in html and "<a href=" in html
    assert message["Content-Language"] == "ru"
    # The code was for the citizen only: the stored copy no longer holds it.
    row = Notification.objects.get(kind=Kind.RECEIPT, channel=Channel.EMAIL)
    assert row.state == State.SENT and code not in row.body and row.secret == ""


def test_an_unreachable_smtp_server_is_retried_with_backoff_and_the_reason_kept(
    ministry, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    register_public(author_phone="")
    assert delivery.deliver_pending()["failed_attempts"] == 1
    row = Notification.objects.get(kind=Kind.RECEIPT)
    assert row.state == State.PENDING and row.attempts == 1
    assert "refused" in row.last_error.lower() or "connect" in row.last_error.lower()
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)  # the first backoff
    assert delivery.deliver_pending()["due"] == 0  # not before the backoff is over


def test_after_the_last_attempt_a_row_is_failed_and_a_person_can_send_it_again(
    ministry, settings, smtp
) -> None:
    settings.MUROJAAT_OUTBOX_MAX_ATTEMPTS = 2
    register_public(author_phone="")
    failing = {Channel.EMAIL: lambda n: (_ for _ in ()).throw(OSError("mail server down"))}
    assert delivery.deliver_pending(adapters=failing)["failed_attempts"] == 1
    Notification.objects.update(next_attempt_at=timezone.now())
    delivery.deliver_pending(adapters=failing)
    row = Notification.objects.get()
    assert (row.state, row.attempts) == (State.FAILED, 2)
    assert "mail server down" in row.last_error
    delivery.resend(row.pk)
    assert delivery.deliver_pending()["sent"] == 1
    assert len(smtp.messages) == 1


def test_sms_goes_through_the_operator_gateway_with_credentials_and_sender(
    ministry, sms_gateway
) -> None:
    appeal, code = register_public(author_email="")
    assert delivery.deliver_pending()["sent"] == 1
    (sms,) = sms_gateway.delivered
    assert sms.recipient == "998901234567" and sms.originator == "SSV"
    assert appeal.number in sms.text and code in sms.text


def test_a_busy_sms_gateway_is_retried_and_a_repeat_is_not_delivered_twice(
    ministry, sms_gateway, settings
) -> None:
    register_public(author_email="")
    sms_gateway.fail_next = 1
    assert delivery.deliver_pending()["failed_attempts"] == 1
    row = Notification.objects.get()
    assert "HTTP 503" in row.last_error
    Notification.objects.update(next_attempt_at=timezone.now())
    assert delivery.deliver_pending()["sent"] == 1
    # A worker that died after the gateway took it sends it again: the message-id dedupes.
    from murojaat.notifications.channels import sms

    sms.send(Notification.objects.get())
    assert len(sms_gateway.delivered) == 1


def test_wrong_sms_credentials_are_a_failure_with_the_gateway_s_answer(
    ministry, sms_gateway, settings
) -> None:
    settings.MUROJAAT_SMS_PASSWORD = "wrong"
    register_public(author_email="")
    delivery.deliver_pending()
    assert "HTTP 401" in Notification.objects.get().last_error
    assert sms_gateway.delivered == []


def test_staff_link_telegram_with_a_one_time_code_and_then_get_messages_there(
    ministry, bot
) -> None:
    officer = ministry.regional_executor
    code = telegram_link.issue_link_code(officer)
    assert set(code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    bot.say(5550001, "/start WRONG123")
    bot.say(5550001, f"/start {code.lower()}")
    assert telegram_link.poll_updates() == 1
    assert Profile.objects.get(user=officer).telegram_chat_id == "5550001"
    assert [m["text"] for m in bot.state.sent][0].endswith("kod xato")
    # The code is spent: a second person cannot take the same chat link with it.
    other = make_user("other", ministry.regional_a, Role.EXECUTOR)
    bot.say(5550002, f"/start {code}")
    telegram_link.poll_updates()
    assert not Profile.objects.filter(user=other).exists()
    assert Profile.objects.get(user=officer).telegram_chat_id == "5550001"

    appeal, _code = register_public()
    services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a)
    delivery.deliver_pending()
    to_officer = [m for m in bot.state.sent if m["chat"]["id"] == 5550001]
    assert any(appeal.number in m["text"] for m in to_officer)
    assert Notification.objects.get(kind=Kind.ASSIGNED, channel=Channel.TELEGRAM).state == "sent"


def test_an_expired_telegram_code_links_nobody(ministry, bot) -> None:
    code = telegram_link.issue_link_code(ministry.regional_executor)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        bot.say(7, f"/start {code}")
        assert telegram_link.poll_updates() == 0
    assert Profile.objects.get(user=ministry.regional_executor).telegram_chat_id == ""


def test_a_wrong_bot_token_is_a_failure_not_a_silent_loss(ministry, bot, settings) -> None:
    Profile.objects.create(user=ministry.regional_executor, telegram_chat_id="42")
    settings.MUROJAAT_TELEGRAM_TOKEN = "999:revoked"
    appeal, _code = register_public(author_email="", author_phone="")
    services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a)
    delivery.deliver_pending()
    row = Notification.objects.get(channel=Channel.TELEGRAM)
    assert row.state == State.PENDING and "Unauthorized" in row.last_error


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("uz", "murojaatingiz"),
        ("uz-cyrl", "мурожаатингиз"),
        ("ru", "обращение"),
        ("en", "appeal"),
    ],
)
def test_the_citizen_is_written_to_in_the_appeal_s_language(ministry, language, words) -> None:
    register_public(language=language)
    row = Notification.objects.filter(kind=Kind.RECEIPT).first()
    assert row.language == language
    assert words in (row.subject + row.body).lower()


def test_two_workers_never_send_one_row_and_a_retried_task_sends_nothing_again(
    ministry, smtp
) -> None:
    """Exactly once under retries: the claim is a conditional UPDATE only one worker wins; a
    task delivered twice by the broker (at-least-once) finds the row sent and does nothing."""
    register_public(author_phone="")
    row = Notification.objects.get()
    assert delivery.claim(row.pk) is True
    assert delivery.claim(row.pk) is False  # the second worker, during the first one's lease
    Notification.objects.update(next_attempt_at=timezone.now())  # the lease ran out
    assert delivery.deliver(row.pk) is True
    assert delivery.deliver(row.pk) is False  # the same task again
    assert delivery.deliver_pending()["due"] == 0
    assert len(smtp.messages) == 1


def test_the_simulator_command_plays_a_person_writing_to_the_bot(ministry, bot) -> None:
    from io import StringIO

    from django.core.management import call_command

    code = telegram_link.issue_link_code(ministry.regional_head)
    out = StringIO()
    call_command(
        "telegram_simulator", "--url", bot.url, "--say", "31337", f"/start {code}", stdout=out
    )
    assert "HTTP 200" in out.getvalue()
    assert telegram_link.poll_updates() == 1
    assert Profile.objects.get(user=ministry.regional_head).telegram_chat_id == "31337"
