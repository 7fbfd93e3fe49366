"""Real peers on this machine: an SMTP server (aiosmtpd), the SMS gateway and the Telegram Bot
API simulators, each listening on a free local port for one test."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from murojaat.notifications.simulators import SmsGateway, TelegramBotApi


@dataclass
class Mailbox:
    """What the SMTP server accepted, parsed as a mail client would read it."""

    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


def text_of(message: Message, subtype: str = "plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


@pytest.fixture(autouse=True)
def _clock_on_the_helpers_monday() -> Iterator[None]:
    """The stories register on Monday 16 Nov 2026; the clock starts there (a test's own travel
    nests inside)."""
    from datetime import datetime

    import time_machine

    from tests.appeals.helpers import TASHKENT

    with time_machine.travel(datetime(2026, 11, 16, 11, 0, tzinfo=TASHKENT), tick=True):
        yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:  # type: ignore[no-untyped-def]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "murojaat@ssv.uz"
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def sms_gateway(settings) -> Iterator[SmsGateway]:  # type: ignore[no-untyped-def]
    gateway = SmsGateway("ssv", "s3cret").start()
    settings.MUROJAAT_SMS_URL = gateway.url + "/send"
    settings.MUROJAAT_SMS_LOGIN = "ssv"
    settings.MUROJAAT_SMS_PASSWORD = "s3cret"
    settings.MUROJAAT_SMS_SENDER = "SSV"
    try:
        yield gateway
    finally:
        gateway.close()


@pytest.fixture
def bot(settings) -> Iterator[TelegramBotApi]:  # type: ignore[no-untyped-def]
    api = TelegramBotApi("123:test-token").start()
    settings.MUROJAAT_TELEGRAM_API_URL = api.url
    settings.MUROJAAT_TELEGRAM_TOKEN = "123:test-token"
    try:
        yield api
    finally:
        api.close()
