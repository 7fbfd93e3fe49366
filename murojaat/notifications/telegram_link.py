"""Linking a staff member's Telegram chat with a one-time code, and polling the bot.

The person asks for a code on their notification settings page and sends `/start CODE` to the
bot; the `poll_telegram` task reads the bot's updates (getUpdates with the stored offset), finds
the person whose unexpired code matches, keeps the chat id and answers in the chat. The code is
stored only as a hash and works once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from murojaat.accounts.models import User
from murojaat.core.codes import readable_code

from .channels import telegram
from .channels.http import DeliveryError
from .models import BotCursor, Profile

log = logging.getLogger("murojaat.notifications")
CODE_LIFETIME = timedelta(minutes=15)


def issue_link_code(user: User) -> str:
    code = readable_code(8)
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "telegram_code_hash": make_password(code),
            "telegram_code_expires": timezone.now() + CODE_LIFETIME,
        },
    )
    return code


def unlink(user: User) -> None:
    Profile.objects.filter(user=user).update(telegram_chat_id="")


def link_by_code(code: str, chat_id: str) -> User | None:
    """The one person whose unexpired code this is gets the chat; the code is then spent."""
    code = code.strip().upper()
    with transaction.atomic():
        for profile in (
            Profile.objects.select_for_update()
            .filter(telegram_code_expires__gt=timezone.now())
            .exclude(telegram_code_hash="")
            .select_related("user")
        ):
            if check_password(code, profile.telegram_code_hash):
                Profile.objects.filter(pk=profile.pk).update(
                    telegram_chat_id=chat_id, telegram_code_hash="", telegram_code_expires=None
                )
                return profile.user
    return None


def poll_updates() -> int:
    """Read the bot's new messages once; returns the accounts linked."""
    if not settings.MUROJAAT_TELEGRAM_TOKEN:
        return 0
    cursor, _created = BotCursor.objects.get_or_create(name="telegram")
    try:
        updates = telegram.call("getUpdates", {"offset": cursor.offset, "timeout": 0}) or []
    except DeliveryError as exc:
        log.warning("telegram poll failed: %s", exc)
        return 0
    linked = 0
    for update in updates:
        message = update.get("message") or {}
        text = str(message.get("text") or "")
        chat = str((message.get("chat") or {}).get("id") or "")
        if chat and text.startswith("/start "):
            user = link_by_code(text.split(maxsplit=1)[1], chat)
            reply = (
                f"Murojaat: {user.full_name} ✓" if user else "Murojaat: code not valid / kod xato"
            )
            linked += user is not None
            try:
                telegram.call("sendMessage", {"chat_id": chat, "text": reply})
            except DeliveryError as exc:
                log.warning("telegram reply failed: %s", exc)
        BotCursor.objects.filter(pk=cursor.pk).update(offset=int(update["update_id"]) + 1)
    return linked
