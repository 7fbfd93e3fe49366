from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "murojaat.assist"
    label = "assist"
    verbose_name = _("Working group's assistants")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from murojaat.appeals.models import Event

        from .receivers import event_recorded

        post_save.connect(event_recorded, sender=Event, dispatch_uid="assist-event-recorded")
