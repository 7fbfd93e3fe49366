from typing import TYPE_CHECKING

from django.contrib import admin

from .models import ApiClient, OutboxMessage

# ModelAdmin is generic for the type checker only (django-stubs); at run time it is a plain class.
if TYPE_CHECKING:
    ApiClientModelAdmin = admin.ModelAdmin[ApiClient]
    OutboxMessageModelAdmin = admin.ModelAdmin[OutboxMessage]
else:
    ApiClientModelAdmin = OutboxMessageModelAdmin = admin.ModelAdmin


@admin.register(ApiClient)
class ApiClientAdmin(ApiClientModelAdmin):
    list_display = (
        "name",
        "key_id",
        "channel",
        "callback_url",
        "is_active",
        "rate_limit_per_minute",
    )
    list_filter = ("channel", "is_active")
    search_fields = ("name", "key_id")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(OutboxMessageModelAdmin):
    list_display = ("key", "client", "kind", "state", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("state", "kind", "client")
    search_fields = ("key", "appeal__number", "appeal__external_id")
    readonly_fields = ("client", "appeal", "kind", "key", "payload", "created_at", "delivered_at")
    raw_id_fields = ("appeal",)
