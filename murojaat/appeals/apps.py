from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "murojaat.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from murojaat.core.models import CalendarOverride

        from .append_only import reinstall_after_migrate
        from .receivers import calendar_changed

        post_save.connect(calendar_changed, sender=CalendarOverride, dispatch_uid="appeals-cal-s")
        post_delete.connect(calendar_changed, sender=CalendarOverride, dispatch_uid="appeals-cal-d")
        # Issue 10: the history's triggers survive SQLite's table rebuilds (append_only.py).
        post_migrate.connect(reinstall_after_migrate, sender=self, dispatch_uid="appeals-append")
