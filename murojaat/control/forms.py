"""Forms only parse input; the services decide (R-ORG-5, R-ORG-6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import User
from murojaat.appeals.models import Violation
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


class ViolationChoiceField(forms.ModelChoiceField):
    """A violation is named by its appeal, organisation and kind: what the head recognises."""

    def label_from_instance(self, obj: Violation) -> str:  # type: ignore[override]
        return (
            f"{obj.assignment.appeal.number} · {obj.org.name} · {obj.get_kind_display()} "
            f"({obj.get_state_display()})"
        )


class MeasureForm(Styled):
    employee = forms.ModelChoiceField(User.objects.none(), label=_("Employee"))
    day = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(choices=MeasureKind.choices, label=_("Measure"))
    basis = forms.CharField(label=_("Basis"), widget=forms.Textarea(attrs={"rows": 3}))
    violation = ViolationChoiceField(
        Violation.objects.none(),
        label=_("Violation it answers"),
        required=False,
        help_text=_("The missed deadline the measure is for (R-P2-13), if it answers one."),
    )

    def __init__(self, *args, staff, violations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = staff
        self.fields["violation"].queryset = violations
