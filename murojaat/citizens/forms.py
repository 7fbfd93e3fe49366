"""Forms of the citizen's pages (the Minister's Virtual Reception, R-P3-1, tracking, L-7, L-8)
and of the working group's answer to a review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from murojaat.appeals.documents import validate_upload as validate_attachment
from murojaat.appeals.forms import TopicMultipleChoiceField
from murojaat.appeals.limits import APPEAL_TEXT_MAX_CHARS, PUBLIC_FORM_MAX_FILES
from murojaat.appeals.models import AppealKind, AuthorType, Topic
from murojaat.core.errors import DomainError
from murojaat.core.forms import MultipleFileField, Styled
from murojaat.orgs.form_fields import district_choices, district_in_region
from murojaat.orgs.models import Region

MAX_FILES = PUBLIC_FORM_MAX_FILES


class PlainTopicField(TopicMultipleChoiceField):
    """Topics named in the citizen's words (Topic.plain_name), not the office's."""

    def label_from_instance(self, obj: Topic) -> str:
        return obj.plain_name


class PublicAppealForm(Styled):
    author_type = forms.ChoiceField(
        label=_("I write as"), choices=AuthorType.choices, initial=AuthorType.INDIVIDUAL
    )
    author_name = forms.CharField(label=_("Full name"), max_length=255)
    author_organisation = forms.CharField(
        label=_("Legal entity (if you write for one)"), max_length=255, required=False
    )
    author_region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label="—"
    )
    # Issue 3: the author's address names the region and the district, as on the clerk's form.
    author_district = forms.TypedChoiceField(
        label=_("District or city"), required=False, coerce=int, empty_value=None
    )
    author_address = forms.CharField(label=_("Postal address"), max_length=500, required=False)
    author_phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+()\- ]{5,32}$",
        max_length=32,
        required=False,
        error_messages={"invalid": _("Enter a phone number: digits, spaces, + ( ) -.")},
    )
    author_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of appeal"), choices=AppealKind.choices, initial=AppealKind.APPLICATION
    )
    text = forms.CharField(
        label=_("Your appeal"),
        max_length=APPEAL_TEXT_MAX_CHARS,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Issue 13: the author says what the appeal is about; the working group checks it when
    # routing (routing refuses an appeal left without topics), so this may stay empty.
    topics = PlainTopicField(
        label=_("What is your appeal about? Tick all that apply"),
        queryset=Topic.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you are not sure, leave it: the working group will choose."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, JPEG, PNG, TIFF, DOCX, XLSX; up to 5 files)"), required=False
    )
    hide_personal_data = forms.BooleanField(
        label=_("Do not show my personal data to those who do not need it"), required=False
    )
    # Honeypot: hidden from people by CSS and aria-hidden; robots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # One key per rendered form: a double click or a browser retry registers the appeal once.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["author_district"]
        assert isinstance(district, forms.TypedChoiceField)
        district.choices = district_choices()
        # static/js/districts.js narrows the list to the chosen region.
        district.widget.attrs["data-region-field"] = self["author_region"].auto_id

    def clean_attachments(self) -> list[tuple[str, bytes]]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)s files.") % {"n": MAX_FILES}, code="too_many_files"
            )
        limit = settings.MUROJAAT_MAX_ATTACHMENT_BYTES
        checked = []
        errors = []
        for f in files:
            name = (f.name or "file")[:255]
            content = f.read(limit + 1)
            try:
                validate_attachment(name, content)
            except DomainError as exc:
                errors.append(forms.ValidationError(str(exc.message), code=exc.code))
                continue
            checked.append((name, content))
        if errors:
            raise forms.ValidationError(errors)
        return checked

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        district_in_region(self, data, "author_region", "author_district")
        if data.get("website"):
            raise forms.ValidationError(
                _("The form could not be accepted. Please fill it in again."), code="honeypot"
            )
        if data.get("author_type") == AuthorType.LEGAL and not data.get("author_organisation"):
            self.add_error("author_organisation", _("Give the name of the legal entity."))
        if not (data.get("author_address") or data.get("author_phone") or data.get("author_email")):
            # L-5: an appeal without a way to reach the author is left without consideration.
            raise forms.ValidationError(
                _(
                    "Give a postal address, a phone number or an e-mail: an appeal whose author "
                    "cannot be reached is not considered."
                )
            )
        return data


class TrackForm(Styled):
    number = forms.CharField(label=_("Registration number"), max_length=32)
    code = forms.CharField(
        label=_("Secret code"), max_length=64, widget=forms.PasswordInput(render_value=False)
    )


class PhoneForm(Styled):
    phone = forms.RegexField(
        label=_("The phone number you gave in your appeals"),
        regex=r"^[0-9+()\- ]{7,32}$",
        max_length=32,
        error_messages={"invalid": _("Enter a phone number: digits, spaces, + ( ) -.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


def _rating_choices() -> list[tuple[int, str]]:
    from .wording import RATING_LABELS

    return [(i, str(RATING_LABELS[i])) for i in range(5, 0, -1)]


class RatingForm(Styled):
    rating = forms.TypedChoiceField(
        label=_("Your rating of the answer"),
        coerce=int,
        choices=_rating_choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(Styled):
    reason = forms.CharField(
        label=_("What is wrong with the answer?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewDecisionForm(Styled):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a reply: the author reads it on the tracking page."),
    )
    # The appeal's version the list was rendered from (the services' expected_version).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class WithdrawForm(Styled):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=_("Yes, I withdraw my appeal"))
