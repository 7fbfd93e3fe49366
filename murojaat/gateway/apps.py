from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatewayConfig(AppConfig):
    name = "murojaat.gateway"
    label = "gateway"
    verbose_name = _("Gateway")

    def ready(self) -> None:
        from murojaat.appeals.signals import source_notification

        from .tasks import on_source_notification

        source_notification.connect(on_source_notification, dispatch_uid="gateway.outbox")
