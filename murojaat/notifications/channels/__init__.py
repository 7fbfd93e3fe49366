"""Channel adapters behind one interface: `send(notification)` returns or raises DeliveryError.

In-app needs no adapter (the row is the message). E-mail goes through Django's SMTP backend,
SMS through an operator's HTTP gateway, Telegram through the Bot API; each has a local
simulator (management commands) for the demo and the tests.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models import Channel, Notification
from . import email, sms, telegram
from .http import DeliveryError

__all__ = ["ADAPTERS", "DeliveryError"]


Adapter = Callable[[Notification], None]

ADAPTERS: dict[str, Adapter] = {
    Channel.EMAIL: email.send,
    Channel.SMS: sms.send,
    Channel.TELEGRAM: telegram.send,
}
