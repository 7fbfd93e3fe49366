"""Forms of the notification pages: preferences, and the citizen's code re-send."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STAFF_KINDS, Channel, Kind, Preference
from .services import DEFAULT_ON, quiet_window


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per (kind, channel), and the quiet hours."""

    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start, end = quiet_window(user)
        self.fields["quiet_from"].initial = start
        self.fields["quiet_until"].initial = end
        self.rows = []
        chosen = {
            (kind, channel): enabled
            for kind, channel, enabled in Preference.objects.filter(user=user).values_list(
                "kind", "channel", "enabled"
            )
        }
        for kind in STAFF_KINDS:
            cells = []
            for channel in Channel:
                name = field_name(kind, channel)
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=chosen.get((kind, channel), DEFAULT_ON[channel]),
                    label=f"{Kind(kind).label}: {channel.label}",
                )
                cells.append(name)
            self.rows.append((Kind(kind).label, [self[name] for name in cells]))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("quiet_from") is None) != (data.get("quiet_until") is None):
            raise forms.ValidationError(
                _("Give both ends of the quiet hours, or leave both empty.")
            )
        return data

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (kind, channel): bool(self.cleaned_data.get(field_name(kind, channel)))
            for kind in STAFF_KINDS
            for channel in Channel
        }


class ResendRequestForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        max_length=32,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("The phone or e-mail you gave in the appeal"),
        max_length=254,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ResendConfirmForm(forms.Form):
    code = forms.RegexField(
        label=_("One-time code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits of the code.")},
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )
