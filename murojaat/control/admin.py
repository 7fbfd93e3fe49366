from django.contrib import admin

from .models import DisciplinaryMeasure, Training


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
