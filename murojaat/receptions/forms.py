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


# --- the public booking pages (issue 13) ----------------------------------------------------


class SlotField(forms.CharField):
    """A slot start as an ISO time with its offset; the service checks it is really open."""

    def to_python(self, value):  # type: ignore[no-untyped-def]
        from datetime import datetime

        value = super().to_python(value)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Choose a time from the list."), code="bad_slot") from exc
        if parsed.tzinfo is None:
            raise forms.ValidationError(_("Choose a time from the list."), code="bad_slot")
        return parsed


class BookingForm(Styled):
    slot = SlotField(
        label=_("Time"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a time from the list.")},
    )
    name = forms.CharField(label=_("Full name"), max_length=255)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        help_text=_("A one-time code will be sent to this number by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    topic = forms.CharField(
        label=_("Your question, in a few words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CodeForm(Styled):
    code = forms.RegexField(
        label=_("Code from the SMS"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReferenceForm(Styled):
    reference = forms.CharField(
        label=_("Booking reference"),
        max_length=32,
        help_text=_("It was shown after you confirmed the booking and sent to you by SMS."),
    )


class MoveForm(Styled):
    slot = SlotField(
        label=_("New time"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a time from the list.")},
    )


class OfficerForm(Styled):
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    phone = forms.CharField(label=_("Work phone"), max_length=64, required=False)
    starts_on = forms.DateField(label=_("Appointed on"), widget=DATE)
    order_ref = forms.CharField(label=_("Order (number and date)"), max_length=255, required=False)


class ScheduleForm(Styled):
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    slot_minutes = forms.IntegerField(label=_("Minutes per citizen"), min_value=5, max_value=120)
    bookable = forms.BooleanField(label=_("Citizens may book online"), required=False)


class AbsenceForm(Styled):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To (inclusive)"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class OutcomeForm(Styled):
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
