from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "murojaat.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """What the filter choices list (regions, districts, topics) and the intake's procedures
        are part of the cached tree: any change to those rows invalidates every worker's copy
        (orgs.tree)."""
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from . import tree
        from .tree import bump_on_change

        # The tree version is read once per request (orgs.tree).
        request_started.connect(tree.request_started, dispatch_uid="tree-request-started")
        request_finished.connect(tree.request_finished, dispatch_uid="tree-request-finished")

        for sender in ("orgs.Region", "orgs.District", "appeals.Topic", "appeals.Procedure"):
            post_save.connect(bump_on_change, sender=sender, dispatch_uid=f"tree-{sender}")
            post_delete.connect(bump_on_change, sender=sender, dispatch_uid=f"tree-del-{sender}")
