from django.contrib import admin

from .models import DisciplinaryMeasure, ReceptionSession, ReceptionVisit, Training


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


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["date", "topic", "organisation", "participants_count"]
    list_filter = ["date"]
    search_fields = ["topic"]
    raw_id_fields = ["organisation", "participants", "recorded_by"]


@admin.register(DisciplinaryMeasure)
class DisciplinaryMeasureAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "employee", "organisation"]
    list_filter = ["kind"]
    raw_id_fields = ["organisation", "employee", "violation", "recorded_by"]
