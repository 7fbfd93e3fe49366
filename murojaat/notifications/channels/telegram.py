"""Telegram through the Bot API: sendMessage to the chat a staff member linked.

The base URL is configurable (MUROJAAT_TELEGRAM_API_URL, https://api.telegram.org by default),
so the demo and the tests talk to `telegram_simulator` with the same requests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ..models import Notification
from .http import DeliveryError, HttpError, post_json


def method_url(method: str) -> str:
    base = settings.MUROJAAT_TELEGRAM_API_URL.rstrip("/")
    return f"{base}/bot{settings.MUROJAAT_TELEGRAM_TOKEN}/{method}"


def call(method: str, payload: dict[str, Any]) -> Any:
    if not settings.MUROJAAT_TELEGRAM_TOKEN:
        raise DeliveryError("no Telegram bot is configured (MUROJAAT_TELEGRAM_TOKEN)")
    try:
        status, body = post_json(method_url(method), payload)
    except HttpError as exc:
        raise DeliveryError(str(exc)) from exc
    if status != 200 or not isinstance(body, dict) or not body.get("ok"):
        description = body.get("description") if isinstance(body, dict) else body
        raise DeliveryError(f"Telegram answered HTTP {status}: {description}")
    return body.get("result")


def send(notification: Notification) -> None:
    text = f"{notification.subject}\n\n{notification.body}"[:4000]
    call("sendMessage", {"chat_id": notification.address, "text": text})
