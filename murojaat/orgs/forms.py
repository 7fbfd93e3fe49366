"""Search and filter forms of the organisation tree and the staff directory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import Role

from .models import Organisation, OrgKind, Region

STAGE_CHOICES = [
    ("", _("All stages")),
    ("1", _("Stage 1: working group")),
    ("2", _("Stage 2: main directorates, centres and clinics")),
    ("3", _("Stage 3: regional directorates")),
    ("4", _("Stage 4: district and city medical associations")),
]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    stage = forms.TypedChoiceField(
        label=_("Stage"), choices=STAGE_CHOICES, required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *OrgKind.choices]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def is_filtering(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    org = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active().order_by("path"),
        required=False,
        to_field_name="code",
        empty_label=_("All organisations"),
    )
    subordinates = forms.BooleanField(label=_("Include subordinate organisations"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
