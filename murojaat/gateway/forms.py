"""The outbox page's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from murojaat.core.forms import Styled

from .models import ApiClient, OutboxState


class OutboxFilterForm(Styled):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *list(OutboxState.choices)], required=False
    )
    client = forms.ModelChoiceField(
        label=_("System"), queryset=ApiClient.objects.order_by("name"), required=False
    )
    kind = forms.CharField(label=_("Kind"), max_length=32, required=False)
    q = forms.CharField(label=_("Appeal number or id"), max_length=100, required=False)
