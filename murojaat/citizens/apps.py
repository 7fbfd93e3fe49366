from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    """The citizen's side of the system: the public form, tracking, rating and review requests,
    and the working group's list of those reviews. The coming booking, institution pages and
    published statistics belong here too; `gateway` stays the door for external systems."""

    name = "murojaat.citizens"
    label = "citizens"
    verbose_name = _("Citizens")
