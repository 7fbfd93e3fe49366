from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    """Personal and field receptions, trainings and discipline: the heads' duties (R-ORG)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "murojaat.receptions"
    verbose_name = _("Receptions")
