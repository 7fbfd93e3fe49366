"""Forms of the party pages: they parse input; the rules stay in the domain modules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from . import results_csv
from .apportionment import Method
from .models import LawVersion, MethodChoice, Orientation, PartyKind

METHOD_CHOICES = MethodChoice.choices

_date = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class PartyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    orientation = forms.ChoiceField(
        label=_("Orientation group"),
        required=False,
        choices=[("", _("Any")), *Orientation.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any")), *PartyKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    on = forms.DateField(label=_("Registered on"), required=False, widget=_date)


class DayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=_date)


def parse_thresholds(raw: str) -> list[Decimal]:
    """ "7, 5 3%" -> [7, 5, 3]; each a percentage between 0 and 100."""
    out: list[Decimal] = []
    for part in raw.replace(";", ",").replace(" ", ",").split(","):
        part = part.strip().rstrip("%")
        if not part:
            continue
        try:
            value = Decimal(part)
        except InvalidOperation:
            raise forms.ValidationError(
                _("“%(value)s” is not a number."), params={"value": part}
            ) from None
        if not value.is_finite() or not 0 <= value <= 100:
            raise forms.ValidationError(
                _("Thresholds are percentages between 0 and 100; “%(value)s” is not."),
                params={"value": part},
            )
        out.append(value)
    return out


class WhatIfForm(forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        choices=METHOD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[m.value for m in Method],
    )
    thresholds = forms.CharField(
        # xgettext:no-python-format
        label=_("Thresholds, % of votes cast"),
        initial="7, 5, 0",
        help_text=_("One or more, separated by commas."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    min_parties = forms.IntegerField(
        label=_("Guaranteed number of parties"),
        min_value=0,
        max_value=20,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def clean_thresholds(self) -> list[Decimal]:
        values = parse_thresholds(self.cleaned_data["thresholds"])
        if not values:
            raise forms.ValidationError(_("Give at least one threshold."))
        if len(values) > 6:
            raise forms.ValidationError(_("Compare at most six thresholds at a time."))
        return values


class ImportResultsForm(forms.Form):
    file = forms.FileField(label=_("CSV file (party,votes or party,votes,seats)"), required=False)
    text = forms.CharField(
        label=_("…or paste the lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control font-monospace"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > 1_000_000:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            try:
                data["content"] = results_csv.decode(upload.read())[0]
            except results_csv.ResultsFileError:
                raise forms.ValidationError(
                    _(
                        "The file is not text in UTF-8, UTF-16 or Windows-1251: save it as "
                        "CSV UTF-8."
                    )
                ) from None
        elif data.get("text", "").strip():
            data["content"] = data["text"]
        else:
            raise forms.ValidationError(_("Choose a file or paste the results."))
        return data


class AllocateForm(forms.Form):
    text = forms.CharField(
        label=_("Results (party,votes)"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace"}),
        initial="party,votes\nOtan,30.89\nCommunist Party,17.75\nAgrarian Party,12.63\n"
        "Civil Party,11.23\n",
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=100_000,
        initial=10,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    threshold = forms.DecimalField(
        # xgettext:no-python-format
        label=_("Threshold, %"),
        min_value=0,
        max_value=100,
        initial=7,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=METHOD_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    min_parties = forms.IntegerField(
        label=_("Guaranteed number of parties"),
        min_value=0,
        max_value=20,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class LawVersionForm(forms.ModelForm):
    class Meta:
        model = LawVersion
        fields = [
            "title",
            "enacted_on",
            "effective_from",
            "effective_to",
            "min_members",
            "branches_in_all_regions",
            "min_branch_members",
            "date_precision",
            "verified",
            "source",
            "notes",
        ]
        widgets = {
            "enacted_on": _date,
            "effective_from": _date,
            "effective_to": _date,
            "notes": forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, field in self.fields.items():
            if name != "branches_in_all_regions":
                field.widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end cannot be before the start."))
        return data
