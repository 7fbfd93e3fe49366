from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "murojaat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Connects the receivers that keep the working calendar's version current.
        from murojaat.core import signals  # noqa: F401
