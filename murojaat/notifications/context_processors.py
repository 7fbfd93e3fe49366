"""The unread count in the header of every page (one indexed COUNT for a signed-in user)."""

from __future__ import annotations

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
