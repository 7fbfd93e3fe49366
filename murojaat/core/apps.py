from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "murojaat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The receivers that keep the working calendar's version current, and the deployment
        # checks (a shared cache in production).
        from murojaat.core import checks, signals  # noqa: F401
