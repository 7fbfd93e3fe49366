from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "murojaat.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Keeps is_staff in line with the administrator role.
        from murojaat.accounts import signals  # noqa: F401
