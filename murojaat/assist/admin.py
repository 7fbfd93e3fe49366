"""The assistants' records in the admin: read to audit, never edited by hand (they are logs)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Campaign, DuplicateCandidate, RoutingModel, Suggestion, Surge, UrgentFlag


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RoutingModel)
class RoutingModelAdmin(ReadOnly):
    list_display = ("version", "trained_at", "samples", "receivers", "top1", "top3", "is_active")


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = ("appeal", "model", "created_at", "decided_org", "decided_rank")
    raw_id_fields = ("appeal",)


@admin.register(UrgentFlag)
class UrgentFlagAdmin(ReadOnly):
    list_display = ("appeal", "flagged_at", "score", "rules", "state", "decided_by")
    list_filter = ("state", "by_triage")


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnly):
    list_display = ("appeal", "original", "similarity", "same_author", "state")
    list_filter = ("state",)


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("pk", "lead", "created_at")


@admin.register(Surge)
class SurgeAdmin(ReadOnly):
    list_display = ("week_start", "topic", "district", "count", "mean", "threshold")
