"""Forms only parse input; the services decide (R-ORG)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import User
from murojaat.orgs.models import Organisation

from .models import SessionKind

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class Styled(forms.Form):
    """Bootstrap classes on every widget (Django 5.2 itself adds aria-invalid/aria-describedby)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class SessionForm(Styled):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organisation"))
    leader = forms.ModelChoiceField(User.objects.none(), label=_("Leader"))
    kind = forms.ChoiceField(choices=SessionKind.choices, label=_("Kind"))
    day = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME, initial="08:00")
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME, initial="11:00")
    place = forms.CharField(label=_("Place"), required=False, max_length=255)
    override_reason = forms.CharField(
        label=_("Reason for other hours"), required=False, max_length=255
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, orgs, staff, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = orgs
        self.fields["leader"].queryset = staff


class VisitForm(Styled):
    visitor_name = forms.CharField(label=_("Visitor's name"), max_length=255)
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=64)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
