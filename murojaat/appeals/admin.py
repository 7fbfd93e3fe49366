"""Administration: procedures and topics are edited here (R-IN-2: no release needed).

Appeals, assignments and events are read-only in the admin: every change to an appeal goes
through the services, so the audit trail and the transition table cannot be bypassed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from murojaat.gateway.throttle import client_ip

from .models import (
    Appeal,
    AppealRead,
    Assignment,
    Event,
    ExtensionRequest,
    Procedure,
    ReadKind,
    Topic,
    Violation,
)
from .services.reads import record_read


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "channel",
        "accept_days",
        "return_days",
        "execution_days",
        "proposal_days",
        "guidance_days",
        "max_extension_days",
        "max_extensions",
        "deadline_unit",
        "closure_mode",
        "requires_author_feedback",
    ]
    list_editable = [
        "accept_days",
        "return_days",
        "execution_days",
        "proposal_days",
        "guidance_days",
        "max_extension_days",
    ]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name_uz", "name_ru", "name_en", "ministry_level", "is_active"]
    list_filter = ["ministry_level", "is_active"]
    search_fields = ["code", "name_uz", "name_ru", "name_en"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["number", "channel", "state", "received_at", "due_date"]
    list_filter = ["channel", "state", "kind"]
    search_fields = ["number", "external_id", "source_reference", "caller_phone", "sender_email"]
    date_hierarchy = "received_at"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """An administrator reading an appeal here reads its author and text like anyone on
        the appeal's page: the trace of reads records it (issue 10)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        appeal = self.get_object(request, unquote(object_id))
        if response.status_code == 200 and appeal is not None:
            record_read(
                reader=request.user, appeal=appeal, kind=ReadKind.ADMIN, ip=client_ip(request)
            )
        return response


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "org", "role", "state", "due_date"]
    list_filter = ["state", "role"]
    list_select_related = ["appeal", "org"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "kind", "at", "actor", "actor_org"]
    list_filter = ["kind"]
    list_select_related = ["appeal", "actor", "actor_org"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "days", "state", "requested_at"]
    list_filter = ["state"]


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "org", "kind", "state", "due_date"]
    list_filter = ["kind", "state"]
    list_select_related = ["assignment", "org"]


@admin.register(AppealRead)
class AppealReadAdmin(ReadOnlyAdmin):
    """The trace of reads, for the administrator who answers a data-protection question ("who
    read this appeal?"): append-only in the database too, so the admin can only list it. Newest
    first on the primary key, found by the exact number or username (indexed), never by the
    letters' text, and with no count of the whole table (it grows with every view)."""

    list_display = ["appeal", "at", "reader", "reader_org", "kind", "ip"]
    list_filter = ["kind"]
    list_select_related = ["appeal", "reader", "reader_org"]
    search_fields = ["=appeal__number", "=reader__username"]
    show_full_result_count = False
    ordering = ["-pk"]
