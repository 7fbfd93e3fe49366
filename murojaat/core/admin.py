"""Admin for the shared tables (the working calendar's overrides) and the admin site's titles."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from murojaat.core.models import CalendarOverride

# The header names the system rather than the framework, in the administrator's language.
admin.site.site_header = _("Murojaat administration")
admin.site.site_title = _("Murojaat")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Edited when the government publishes a transfer or an extra day off; each save moves
    the running deadlines (see `murojaat.core.signals`)."""

    list_display = ("day", "weekday_display", "kind", "reason_uz", "reason_ru", "reason_en")
    list_filter = ("kind",)
    date_hierarchy = "day"
    search_fields = ("reason_uz", "reason_ru", "reason_en")
    readonly_fields = ("created_at",)
    fields = ("day", "kind", "reason_uz", "reason_ru", "reason_en", "created_at")

    @admin.display(description=_("weekday"))
    def weekday_display(self, obj: CalendarOverride) -> str:
        return obj.weekday
