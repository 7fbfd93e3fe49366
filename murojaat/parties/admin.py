from django.contrib import admin

from .models import (
    BranchReport,
    Election,
    ElectionResult,
    LawVersion,
    MembershipReport,
    Party,
    PartyEvent,
    Region,
)


class EventInline(admin.TabularInline):
    model = PartyEvent
    fk_name = "party"
    extra = 0
    autocomplete_fields = ["related"]


class MembershipInline(admin.TabularInline):
    model = MembershipReport
    extra = 0


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "orientation"]
    list_filter = ["kind", "orientation"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EventInline, MembershipInline]


@admin.register(PartyEvent)
class PartyEventAdmin(admin.ModelAdmin):
    list_display = ["date", "precision", "party", "kind", "related", "inferred"]
    list_filter = ["kind", "inferred"]
    search_fields = ["party__name", "related__name", "note"]
    autocomplete_fields = ["party", "related"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_city", "valid_from", "valid_to"]
    search_fields = ["name", "code"]


@admin.register(BranchReport)
class BranchReportAdmin(admin.ModelAdmin):
    list_display = ["party", "region", "date", "members", "is_open"]
    list_filter = ["region"]
    autocomplete_fields = ["party", "region"]


@admin.register(MembershipReport)
class MembershipReportAdmin(admin.ModelAdmin):
    list_display = ["party", "date", "members"]
    autocomplete_fields = ["party"]


@admin.register(LawVersion)
class LawVersionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "effective_from",
        "effective_to",
        "min_members",
        "min_branch_members",
        "verified",
    ]


class ResultInline(admin.TabularInline):
    model = ElectionResult
    extra = 0
    autocomplete_fields = ["party"]


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "list_seats", "threshold", "method", "min_parties", "tie_rule"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ResultInline]
