from django.contrib import admin

from .models import ReceptionSession, ReceptionVisit


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
