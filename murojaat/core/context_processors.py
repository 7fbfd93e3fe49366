"""Navigation by role: each person sees the sections of their own work, nothing else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import REGISTRAR_ROLES, Role

# (url name, label, roles that see it; empty = every signed-in user)
NAV: list[tuple[str, Any, tuple[str, ...]]] = [
    ("appeals:inbox", _("Inbox"), ()),
    ("appeals:search", _("Search"), ()),
    ("appeals:register", _("Register an appeal"), REGISTRAR_ROLES),
    ("reports:dashboard", _("Dashboard"), ()),
    ("assist:alerts", _("Alerts"), (Role.WG_MEMBER, Role.WG_HEAD, Role.AUDITOR)),
    ("gateway:outbox", _("Outbox"), (Role.WG_MEMBER, Role.WG_HEAD, Role.ADMIN)),
    ("citizens:reviews", _("Reviews"), (Role.WG_MEMBER, Role.WG_HEAD)),
    ("receptions:index", _("Receptions"), ()),
    ("orgs:tree", _("Organisations"), ()),
    ("orgs:staff", _("Staff"), ()),
    ("parties:index", _("Parties"), ()),
]

# Shown to those the Django admin lets in (is_staff, which the administrator role sets).
STAFF_NAV: list[tuple[str, Any]] = [("admin:index", _("Administration"))]


# What a citizen who is not signed in can do (the Minister's Virtual Reception, R-P3-1).
PUBLIC_NAV: list[tuple[str, Any]] = [
    ("citizens:public_new", _("Send an appeal")),
    ("citizens:public_track", _("Track an appeal")),
    ("public_receptions:index", _("Book a reception")),
    ("public_receptions:orgs", _("Institutions")),
]


def _items(request: HttpRequest, entries: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for url_name, label in entries:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the section is not installed in this build
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    # Nested sections (/citizens/ and /citizens/orgs/): only the closest one is current.
    current = [item for item in items if item["active"]]
    if len(current) > 1:
        closest = max(current, key=lambda item: len(item["url"]))
        for item in current:
            item["active"] = item is closest
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": _items(request, PUBLIC_NAV)}
    allowed = [(name, label) for name, label, roles in NAV if not roles or user.has_role(*roles)]
    if user.is_active and user.is_staff:
        allowed += STAFF_NAV
    return {"nav_items": _items(request, allowed)}
