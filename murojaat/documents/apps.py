from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Official documents: one renderer for letters and reports (PDF, DOCX, XLSX), the issued
    answer letters with their outgoing numbers, and the public confirmation of a letter."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "murojaat.documents"
    verbose_name = _("Official documents")
