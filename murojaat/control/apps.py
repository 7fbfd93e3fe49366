from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    """Control of the appeals work (order item 6): trainings (R-ORG-5) and discipline (R-ORG-6),
    beside the reports that check them. Moved out of `receptions` (issue 10, item 4): the
    tables keep their names, so no data moved."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "murojaat.control"
    verbose_name = _("Control and discipline")
