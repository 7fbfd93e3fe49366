from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatewayConfig(AppConfig):
    name = "murojaat.gateway"
    label = "gateway"
    verbose_name = _("Gateway")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from murojaat.appeals.signals import source_notification
        from murojaat.orgs.tree import bump_on_change

        from .tasks import on_source_notification

        source_notification.connect(on_source_notification, dispatch_uid="gateway.outbox")
        # The signature check reads the clients from the per-process cache (auth.active_clients).
        post_save.connect(bump_on_change, sender="gateway.ApiClient", dispatch_uid="tree-client")
        post_delete.connect(
            bump_on_change, sender="gateway.ApiClient", dispatch_uid="tree-del-client"
        )
