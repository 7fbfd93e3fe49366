"""Administrators see the notification outbox (pending, sent, failed, why) and edit wording and
the escalation ladders without a release."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import delivery
from .models import EscalationStep, Notification, State, Template


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "recipient",
        "appeal",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("state", "channel", "kind")
    search_fields = ("key", "address", "appeal__number", "user__username")
    date_hierarchy = "created_at"
    list_select_related = ("user", "appeal")
    # The secret (a tracking code awaiting delivery) is never shown.
    exclude = ("secret",)
    readonly_fields = [
        f.name for f in Notification._meta.get_fields() if f.concrete and f.name != "secret"
    ]
    actions = ["send_again"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj: Notification) -> str:
        return str(obj.user) if obj.user_id else obj.address

    @admin.action(description=_("Send the selected failed notifications again"))
    def send_again(self, request: Any, queryset: Any) -> None:
        pks = list(queryset.exclude(state=State.SENT).values_list("pk", flat=True))
        for pk in pks:
            delivery.resend(pk)
        self.message_user(
            request,
            ngettext("%d notification queued.", "%d notifications queued.", len(pks)) % len(pks),
            messages.SUCCESS,
        )

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # An outbox row deleted is a message that silently never goes out.
        return False


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ("kind", "language", "subject", "updated_at")
    list_filter = ("kind", "language")


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ("procedure", "offset", "target")
    list_filter = ("procedure", "target")
