"""The API clients and the outbox in the admin.

A client's secret is shown once, when the client is created or its secret rotated (it is not
stored: gateway.credentials). Outbox rows cannot be deleted: a deleted row is an answer or a
status change that never reaches the source system, and nothing would say so.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .credentials import rotate_secret
from .models import ApiClient, OutboxMessage

# ModelAdmin is generic for the type checker only (django-stubs); at run time it is a plain class.
if TYPE_CHECKING:
    ApiClientModelAdmin = admin.ModelAdmin[ApiClient]
    OutboxMessageModelAdmin = admin.ModelAdmin[OutboxMessage]
else:
    ApiClientModelAdmin = OutboxMessageModelAdmin = admin.ModelAdmin


def _show_once(request: HttpRequest, client: ApiClient, secret: str) -> None:
    messages.warning(
        request,
        _(
            "The secret of “%(name)s” (key id %(key)s) is %(secret)s — copy it now: it is not "
            "stored and will not be shown again."
        )
        % {"name": client.name, "key": client.key_id, "secret": secret},
    )


@admin.register(ApiClient)
class ApiClientAdmin(ApiClientModelAdmin):
    list_display = (
        "name",
        "key_id",
        "channel",
        "callback_url",
        "is_active",
        "rate_limit_per_minute",
        "secret_fingerprint",
    )
    list_filter = ("channel", "is_active")
    search_fields = ("name", "key_id")
    readonly_fields = ("secret_generation", "secret_fingerprint")
    actions = ["rotate_secrets"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The key id names the secret: changing it would silently change the secret too.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "key_id") if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            _show_once(request, obj, obj.secret)

    @admin.action(description=_("Rotate the secret of the selected clients (shown once)"))
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            _show_once(request, client, rotate_secret(client))


@admin.register(OutboxMessage)
class OutboxMessageAdmin(OutboxMessageModelAdmin):
    list_display = ("key", "client", "kind", "state", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("state", "kind", "client")
    search_fields = ("key", "appeal__number", "appeal__external_id")
    readonly_fields = ("client", "appeal", "kind", "key", "payload", "created_at", "delivered_at")
    raw_id_fields = ("appeal",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
