from django.contrib import admin

from .models import (
    Booking,
    LeaderAbsence,
    LeaderSchedule,
    ReceptionSession,
    ReceptionVisit,
    ResponsibleOfficer,
)


class VisitInline(admin.TabularInline):
    model = ReceptionVisit
    extra = 0
    raw_id_fields = ["appeal"]


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(admin.ModelAdmin):
    list_display = ["date", "starts_at", "ends_at", "kind", "organisation", "leader"]
    list_filter = ["kind", "date"]
    raw_id_fields = ["organisation", "leader", "created_by"]
    inlines = [VisitInline]


@admin.register(LeaderSchedule)
class LeaderScheduleAdmin(admin.ModelAdmin):
    list_display = ["leader", "starts_at", "ends_at", "slot_minutes", "bookable"]
    raw_id_fields = ["leader"]


@admin.register(LeaderAbsence)
class LeaderAbsenceAdmin(admin.ModelAdmin):
    list_display = ["leader", "starts_on", "ends_on", "reason"]
    raw_id_fields = ["leader"]


@admin.register(ResponsibleOfficer)
class ResponsibleOfficerAdmin(admin.ModelAdmin):
    """R-ORG-4: administrators correct the history here; staff appoint on the receptions pages."""

    list_display = ["organisation", "full_name", "position", "starts_on", "ends_on"]
    search_fields = ["full_name", "organisation__name_uz", "organisation__name_ru"]
    raw_id_fields = ["organisation", "user"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "leader", "organisation", "status"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "leader", "session", "visit"]
    exclude = ["reference_hash", "code_hash"]
    readonly_fields = ["code_expires_at", "code_attempts", "version"]
