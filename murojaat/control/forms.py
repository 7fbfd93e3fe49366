"""Forms only parse input; the services decide (R-ORG-5, R-ORG-6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import User
from murojaat.orgs.models import Organisation
from murojaat.receptions.forms import DATE, Styled

from .models import MeasureKind


class TrainingForm(Styled):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organisation"))
    day = forms.DateField(label=_("Date"), widget=DATE)
    topic = forms.CharField(label=_("Topic"), max_length=255)
    trainer = forms.CharField(label=_("Trainer"), required=False, max_length=255)
    participants = forms.ModelMultipleChoiceField(
        User.objects.none(),
        label=_("Participants"),
        required=False,
        help_text=_("Staff of the organisation who attended; or give only their number."),
    )
    participants_count = forms.IntegerField(
        label=_("Number of participants"), min_value=1, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, orgs, staff, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = orgs
        self.fields["participants"].queryset = staff
        if not staff.exists():
            del self.fields["participants"]


class MeasureForm(Styled):
    employee = forms.ModelChoiceField(User.objects.none(), label=_("Employee"))
    day = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(choices=MeasureKind.choices, label=_("Measure"))
    basis = forms.CharField(label=_("Basis"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, staff, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = staff
