"""Forms of the case pages: registering an appeal and every action on one.

Forms only parse and check shapes; every rule of the order is checked by the service the view
calls, and its DomainError is put back on the field it names (`attach_domain_error`). Each
action form carries the `version` of the record it was rendered from, so a stale page gets
"changed by someone else" instead of acting on a state the user never saw.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import User
from murojaat.core.errors import DomainError
from murojaat.core.forms import JoinedSelect, JoinedSelectMultiple, MultipleFileField
from murojaat.orgs.form_fields import district_choices, district_in_region
from murojaat.orgs.models import Organisation, OrgKind, Region
from murojaat.orgs.tree import cached

from . import documents
from .limits import APPEAL_TEXT_MAX_CHARS, REGISTER_FORM_MAX_FILES
from .models import (
    Answer,
    Appeal,
    AppealKind,
    Assignment,
    AuthorType,
    Channel,
    DocumentKind,
    FeedbackForm,
    Outcome,
    Topic,
)
from .selectors.case import answer_of
from .services import TerminationGround
from .services.intake import IntakeDetails, check_received_at
from .services.targets import co_executor_targets, forward_targets, routable_orgs

# --- rendering helpers ------------------------------------------------------------------------


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and errors tied to their field for screen readers."""

    # A service's field name -> this form's field name, where they differ.
    aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in list(self.errors):
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            bound = self[name]
            ids = [f"{bound.auto_id}-error"]
            if self.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)
            widget.attrs["aria-invalid"] = "true"
            css = widget.attrs.get("class", "")
            if "is-invalid" not in css and not isinstance(
                widget, forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                widget.attrs["class"] = f"{css} is-invalid".strip()

    def attach_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal next to the field it names, else above the form."""
        field = self.aliases.get(error.field or "", error.field)
        if (
            field
            and field in self.fields
            and not isinstance(self.fields[field].widget, forms.HiddenInput)
        ):
            self.add_error(field, str(error.message))
        else:
            self.add_error(None, str(error.message))


def read_upload(upload: Any) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file, checked by its content (documents.validate_upload).

    Reads at most one byte past the limit, so an oversized upload is refused without loading it.
    """
    limit = settings.MUROJAAT_MAX_ATTACHMENT_BYTES
    upload.seek(0)
    content = upload.read(limit + 1)
    try:
        documents.validate_upload(upload.name, content)
    except DomainError as exc:
        raise forms.ValidationError(str(exc.message), code=exc.code) from exc
    return upload.name, content


def org_label(org: Organisation) -> str:
    """Issue 13: the full name, and the region where the name does not already say it; the
    kind is the <optgroup> (group_by_kind). Seventeen republican centres begin with the same
    forty characters: a picker that cuts the name off cannot tell them apart."""
    name = org.name
    region = org.region.name if org.region_id is not None and org.region is not None else ""
    if region and region.casefold() not in name.casefold():
        return f"{name} — {region}"
    return name


class OrgChoiceField(forms.ModelChoiceField):
    widget = JoinedSelect

    def label_from_instance(self, obj: Organisation) -> str:
        return org_label(obj)


class OrgMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = JoinedSelectMultiple

    def label_from_instance(self, obj: Organisation) -> str:
        return org_label(obj)


def org_kinds_and_labels() -> dict[int, tuple[str, str]]:
    """Every organisation's kind and label (org_label) in the current language, kept per
    process and tree version (orgs.tree): a picker costs the ids of its queryset, not a join
    with the regions and a label per row on every page (issue 9)."""
    language = translation.get_language() or settings.LANGUAGE_CODE

    def build() -> dict[int, tuple[str, str]]:
        return {
            org.pk: (str(OrgKind(org.kind).label), org_label(org))
            for org in Organisation.objects.select_related("region")
        }

    return cached(("org-kinds-and-labels", language), build)


def group_by_kind(field: forms.ModelChoiceField, *, blank: bool = True) -> None:
    """Show the organisations in <optgroup>s by kind; validation still uses the queryset."""
    labels = org_kinds_and_labels()
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk in field.queryset.values_list("pk", flat=True):
        kind, label = labels[pk]
        groups.setdefault(kind, []).append((pk, label))
    choices: list[Any] = [("", "—")] if blank else []
    field.choices = [*choices, *groups.items()]
    searchable(field)


def picker_attrs(mode: str = "list") -> dict[str, Any]:
    """The attributes static/js/org-picker.js reads: a searchable picker over the select."""
    return {
        "data-picker": mode,
        "data-picker-filter": _("Type to filter the list"),
        # "{n}" is the number of organisations shown; keep it as it is in translations.
        "data-picker-count": _("Organisations shown: {n}"),
        "data-picker-none": _("None"),
    }


def searchable(field: forms.Field, mode: str = "list") -> None:
    field.widget.attrs.update(picker_attrs(mode))


class TopicMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.position})" if obj.position else obj.full_name


# --- registration -----------------------------------------------------------------------------


def _now_local_input() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _style(field: forms.Field) -> None:
    """The Bootstrap class of a field added after the form was built (a door's details)."""
    widget = field.widget
    if isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "form-select")
    elif not isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
        widget.attrs.setdefault("class", "form-control")


# Each door's details, in the order its clerk fills them, with the door's own words (R-IN-1).
# The appeal's page labels them the same way.
DETAIL_LABELS: dict[str, dict[str, Any]] = {
    Channel.HOTLINE: {
        "caller_phone": _("Caller's phone"),
        "source_reference": _("Call reference number"),
    },
    Channel.POST: {
        "source_reference": _("Letter's outgoing number"),
        "source_reference_date": _("Letter's date"),
        "sender_address": _("Sender's address on the envelope"),
    },
    Channel.EMAIL: {
        "sender_email": _("Sender's e-mail address"),
        "source_reference_date": _("Message date"),
        "email_subject": _("Subject"),
    },
    Channel.PEOPLES_RECEPTION: {
        "reception_region": _("People's Reception: region"),
        "reception_district": _("People's Reception: district or city"),
        "source_reference": _("Referral number"),
        "source_reference_date": _("Referral date"),
    },
    Channel.E_SERVICES: {"portal_request_id": _("Portal request number")},
}

# Details that identify the author, withheld with the rest of their personal data (L-10).
PERSONAL_DETAILS = frozenset({"caller_phone", "sender_email", "sender_address"})

RECEIVED_LABELS: dict[str, Any] = {
    Channel.HOTLINE: _("Call date and time"),
    Channel.POST: _("Received by post"),
    Channel.EMAIL: _("Received by e-mail"),
    Channel.PEOPLES_RECEPTION: _("Received from the People's Reception"),
    Channel.E_SERVICES: _("Received from the portal"),
}

PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{4,30}$",
    _("Enter the phone number in digits, e.g. +998 90 123 45 67."),
)


def _detail_field(channel: str, name: str) -> forms.Field:
    label = DETAIL_LABELS[channel][name]
    if name == "caller_phone":
        return forms.CharField(
            label=label,
            max_length=32,
            validators=[PHONE_VALIDATOR],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            error_messages={"required": _("Give the caller's phone number.")},
        )
    if name == "sender_email":
        return forms.EmailField(
            label=label,
            error_messages={
                "required": _("Give the sender's e-mail address."),
                "invalid": _("Enter the sender's e-mail address as name@example.uz."),
            },
        )
    if name == "reception_region":
        # Required, but a chosen district implies it (checked in the form's clean).
        return forms.ModelChoiceField(
            label=label, queryset=Region.objects.all(), empty_label="—", required=False
        )
    if name == "reception_district":
        return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)
    if name == "portal_request_id":
        return forms.CharField(
            label=label,
            max_length=100,
            help_text=_("The same request is registered once."),
            error_messages={"required": _("Give the request number from the portal.")},
        )
    if name == "source_reference_date":
        return forms.DateField(
            label=label,
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    if name == "sender_address":
        return forms.CharField(label=label, max_length=500, required=False)
    if name == "email_subject":
        return forms.CharField(label=label, max_length=255, required=False)
    return forms.CharField(label=label, max_length=64, required=False)


class ChannelChoiceForm(BootstrapForm):
    """The first step at /appeals/register/: which door the appeal came through."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", "—"), *Channel.choices],
        error_messages={
            "required": _("Choose the channel the appeal came through."),
            "invalid_choice": _("Choose the channel the appeal came through."),
        },
    )


class RegisterAppealForm(BootstrapForm):
    """L-2: every appeal is registered, from any channel; anonymity is decided later (L-5).

    Built for one door (`channel=`), it drops the channel list and adds that door's details
    with their own labels and requirements; without it (older clients) the channel is a field.
    """

    # One key per rendered form: sending it twice (double click, retry) registers once.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    kind = forms.ChoiceField(label=_("Kind of appeal"), choices=AppealKind.choices)
    received_at = forms.DateTimeField(
        label=_("Received"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Date and time the appeal reached the ministry (Tashkent time)."),
    )
    author_type = forms.ChoiceField(
        label=_("Author"), choices=AuthorType.choices, widget=forms.RadioSelect
    )
    author_name = forms.CharField(label=_("Author's full name"), max_length=255, required=False)
    author_organisation = forms.CharField(
        label=_("Legal entity"),
        max_length=255,
        required=False,
        help_text=_("Only for an appeal of a legal entity."),
    )
    author_region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label="—"
    )
    author_district = forms.TypedChoiceField(
        label=_("District or city"), required=False, coerce=int, empty_value=None
    )
    author_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    author_phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    author_email = forms.EmailField(label=_("E-mail"), required=False)
    is_collective = forms.BooleanField(label=_("Collective appeal"), required=False)
    signatories = forms.IntegerField(
        label=_("Number of signatories"), min_value=1, max_value=100000, initial=1
    )
    language = forms.ChoiceField(label=_("Language of the appeal"), required=False)
    text = forms.CharField(
        label=_("Text of the appeal"),
        max_length=APPEAL_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    topics = TopicMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every issue the appeal raises (an answer is given on each)."),
    )
    hide_personal_data = forms.BooleanField(
        label=_("The author asked to withhold their personal data"), required=False
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Scans and documents: PDF, JPEG, PNG, TIFF, DOCX or XLSX."),
    )

    def __init__(self, *args: Any, channel: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = district_choices()
        self.fields["author_district"].choices = districts
        self.fields["language"].choices = [("", "—"), *settings.LANGUAGES]
        # The state language, not the clerk's screen: an English-screen clerk's appeals are not
        # English ones, and the answer letter follows this field (documents.letter_language).
        self.fields["language"].initial = documents.STATE_LANGUAGE
        self.fields["received_at"].initial = _now_local_input
        self.fields["author_type"].initial = AuthorType.INDIVIDUAL
        self.fields["kind"].initial = AppealKind.APPLICATION
        self.fixed_channel = channel
        self.detail_names: list[str] = []
        if channel is None:
            self._narrow_districts_by_region()
            return
        del self.fields["channel"]
        if channel in RECEIVED_LABELS:
            self.fields["received_at"].label = RECEIVED_LABELS[channel]
        for name in DETAIL_LABELS.get(channel, {}):
            field = _detail_field(channel, name)
            if name == "reception_district":
                field.choices = districts  # type: ignore[attr-defined]
            _style(field)
            self.fields[name] = field
            self.detail_names.append(name)
        self._narrow_districts_by_region()

    def _narrow_districts_by_region(self) -> None:
        """static/js/districts.js narrows each district list to the chosen region, as on the
        citizen's public form; the server still checks the pair (district_in_region)."""
        for region, district in (
            ("author_region", "author_district"),
            ("reception_region", "reception_district"),
        ):
            if region in self.fields and district in self.fields:
                self.fields[district].widget.attrs["data-region-field"] = self[region].auto_id

    @property
    def channel_value(self) -> str:
        return self.fixed_channel or self.cleaned_data["channel"]

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.detail_names]

    def clean_received_at(self) -> datetime:
        value = self.cleaned_data["received_at"]
        try:
            return check_received_at(value)
        except DomainError as exc:  # the intake service's rule, shared with the API
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc

    def clean_source_reference_date(self) -> date | None:
        value = self.cleaned_data.get("source_reference_date")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean_attachments(self) -> list[tuple[str, bytes]]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > REGISTER_FORM_MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)s files.") % {"n": REGISTER_FORM_MAX_FILES},
                code="too_many_files",
            )
        return [read_upload(upload) for upload in files]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        district_in_region(self, data, "author_region", "author_district")
        if "reception_district" in self.fields:
            district_in_region(self, data, "reception_region", "reception_district")
            if data.get("reception_region") is None and "reception_region" not in self.errors:
                self.add_error(
                    "reception_region", _("Choose the region of the People's Reception.")
                )
        if (
            data.get("author_type") == AuthorType.LEGAL
            and not (data.get("author_organisation") or "").strip()
        ):
            self.add_error(
                "author_organisation", _("Give the name of the legal entity that wrote.")
            )
        # The door's sender is the author unless the clerk says otherwise.
        if not (data.get("author_phone") or "").strip() and data.get("caller_phone"):
            data["author_phone"] = data["caller_phone"]
        if not (data.get("author_email") or "").strip() and data.get("sender_email"):
            data["author_email"] = data["sender_email"]
        if not (data.get("author_address") or "").strip() and data.get("sender_address"):
            data["author_address"] = data["sender_address"]
        return data

    def intake_details(self) -> IntakeDetails:
        d = self.cleaned_data
        return IntakeDetails(
            caller_phone=d.get("caller_phone") or "",
            source_reference=d.get("source_reference") or "",
            source_reference_date=d.get("source_reference_date"),
            sender_address=d.get("sender_address") or "",
            sender_email=d.get("sender_email") or "",
            email_subject=d.get("email_subject") or "",
            reception_region_id=d["reception_region"].pk if d.get("reception_region") else None,
            reception_district_id=(
                d["reception_district"].pk if d.get("reception_district") else None
            ),
        )

    def external_id(self) -> str | None:
        """The portal's request id makes a portal request register once (as a source's id
        does for the API); elsewhere the form's own key stops a double submission."""
        portal_id = (self.cleaned_data.get("portal_request_id") or "").strip()
        if portal_id:
            return portal_id
        submission = self.cleaned_data.get("submission")
        return f"form:{submission}" if submission else None

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "channel": self.channel_value,
            "kind": d["kind"],
            "received_at": d["received_at"],
            "author_type": d.get("author_type") or AuthorType.INDIVIDUAL,
            "author_name": d["author_name"],
            "author_organisation": d.get("author_organisation") or "",
            "author_address": d["author_address"],
            "author_region_id": d["author_region"].pk if d.get("author_region") else None,
            "author_district_id": d["author_district"].pk if d.get("author_district") else None,
            "author_phone": d["author_phone"],
            "author_email": d["author_email"],
            "is_collective": d.get("is_collective") or False,
            "signatories": d.get("signatories") or 1,
            "language": d["language"],
            "hide_personal_data": d["hide_personal_data"],
            "text": d["text"],
            "topics": list(d["topics"]),
            "external_id": self.external_id(),
            "details": self.intake_details(),
        }


class HotlineRegisterForm(RegisterAppealForm):
    """The 1003 operator's form: the caller is on the line, so the caller's phone comes first,
    the author is the caller unless they call for someone else, and only the call's own
    fields are asked (no legal entity, signatories or scans)."""

    OMITTED = ("author_type", "author_organisation", "is_collective", "signatories", "attachments")
    ORDER = (
        "submission",
        "caller_phone",
        "author_name",
        "author_phone",
        "text",
        "kind",
        "topics",
        "author_region",
        "author_district",
        "author_address",
        "author_email",
        "received_at",
        "source_reference",
        "language",
        "hide_personal_data",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["channel"] = Channel.HOTLINE
        super().__init__(*args, **kwargs)
        for name in self.OMITTED:
            del self.fields[name]
        self.order_fields(self.ORDER)
        self.fields["caller_phone"].widget.attrs["autofocus"] = True
        self.fields["author_name"].help_text = _("The caller, unless they call for someone else.")
        self.fields["author_phone"].help_text = _("Left empty, the caller's phone is used.")
        self.fields["text"].widget.attrs["rows"] = 5
        self.fields["topics"].help_text = ""


# --- action forms -----------------------------------------------------------------------------


class ActionForm(BootstrapForm):
    """An action on the appeal or one assignment; `version` is the optimistic-concurrency token."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    # Filled by build_action_form: what the form acts on.
    action: str = ""
    appeal: Appeal
    assignment: Assignment | None = None
    submit_label: Any = _("Confirm")
    button_class = "btn-primary"
    # Its place on the page (build_action_form) and how the page shows it (presenters).
    key: str = ""
    target_id: int | None = None
    url: str = ""
    title: Any = ""
    has_fields: bool = False
    multipart: bool = False
    stale: bool = False  # refused because the page was older than the data (409)
    # The assignment's answer when the caller already read it (the case page), else read here.
    answer: Answer | None = None
    answer_read: bool = False

    def setup(self) -> None:
        """Set choices that depend on the appeal or the assignment."""

    def top_errors(self) -> list[str]:
        """Errors not shown next to a visible field: the form's own and the hidden fields'."""
        errors = [str(e) for e in self.non_field_errors()]
        for field in self.hidden_fields():
            errors.extend(str(e) for e in field.errors)
        return errors


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(ActionForm):
    to_org = OrgChoiceField(label=_("Executor organisation"), queryset=Organisation.objects.none())
    co_executors = OrgMultipleChoiceField(
        label=_("Co-executors"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "Other organisations that study a multi-issue appeal jointly. "
            "Hold Ctrl (or Cmd) to choose several."
        ),
        widget=JoinedSelectMultiple(attrs={"size": 6}),
    )
    due_days = forms.IntegerField(label=_("Days to execute"), min_value=1, max_value=366)
    complaint_against = OrgChoiceField(
        label=_("Complaint about"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "The organisation whose actions the complaint is about: it will not receive the "
            "appeal at any stage."
        ),
    )
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Issue 13: the group keeps or corrects the topics as it routes; the service refuses none.
    topics = TopicMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Every issue the appeal raises, as the author chose them or corrected: at least one "
            "(the answer records an outcome on each; the statistics count them)."
        ),
    )

    def setup(self) -> None:
        # The author's own choice (public form) or the clerk's, ticked for the group to check.
        self.fields["topics"].initial = [t.pk for t in self.appeal.topics.all()]
        if self.appeal.kind == AppealKind.COMPLAINT:
            named = self.fields["complaint_against"]
            named.queryset = Organisation.objects.filter(is_active=True).order_by("kind", "path")
            named.initial = self.appeal.complaint_against_id
            group_by_kind(named)
        else:
            del self.fields["complaint_against"]
        qs = routable_orgs(self.appeal)
        self.fields["to_org"].queryset = qs
        self.fields["co_executors"].queryset = qs
        group_by_kind(self.fields["to_org"])
        group_by_kind(self.fields["co_executors"], blank=False)
        term = self.appeal.procedure.execution_days_for(self.appeal.kind)
        self.fields["due_days"].initial = term
        # The case page prefetched the topics (selectors.case_file): no query here.
        if any(t.ministry_level for t in self.appeal.topics.all()):
            self.fields["to_org"].help_text = _(
                "The appeal raises a question decided at ministry level: "
                "a main directorate studies it."
            )
        self.fields["due_days"].help_text = _(
            "The procedure sets %(days)s days; counted from the day the appeal was received."
        ) % {"days": term}


class TerminateForm(ActionForm):
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            (TerminationGround.WITHDRAWN, _("Withdrawn by the author")),
            (TerminationGround.UNREACHABLE, _("Author unreachable or absent when summoned")),
            (TerminationGround.DEATH, _("Death of the author")),
            (TerminationGround.REPEATED, _("Repeated appeal with nothing new")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaveForm(ActionForm):
    ground = forms.CharField(
        label=_("Legal ground"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. anonymous appeal or a repeated appeal with nothing new."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous appeal: no name, or no address or contact"), required=False
    )


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("Number of the original appeal"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class EmptyActionForm(ActionForm):
    pass


class AcknowledgeForm(ActionForm):
    """R-P2-10: the group records a source's confirmation that reached it outside the API."""

    reference = forms.CharField(
        label=_("Source's confirmation"),
        max_length=500,
        help_text=_("Letter number and date, or where the confirmation was seen."),
    )


class ForwardForm(ActionForm):
    to_org = OrgChoiceField(
        label=_("Organisation below"), queryset=Organisation.objects.none(), empty_label="—"
    )
    due_days = forms.IntegerField(label=_("Days to execute"), min_value=1, required=False)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ask_word_reference = forms.BooleanField(
        label=_("Ask for the reference (maʼlumotnoma) in Word format"), required=False
    )

    def setup(self) -> None:
        assert self.assignment is not None
        self.fields["to_org"].queryset = forward_targets(self.assignment)
        group_by_kind(self.fields["to_org"])
        self.fields["due_days"].max_value = self.assignment.due_days
        self.fields["due_days"].widget.attrs["max"] = self.assignment.due_days
        self.fields["due_days"].help_text = _("At most %(days)s days (your own term).") % {
            "days": self.assignment.due_days
        }


class InvolveForm(ActionForm):
    aliases = {"to_org": "orgs"}
    orgs = OrgMultipleChoiceField(
        label=_("Co-executors"),
        queryset=Organisation.objects.none(),
        widget=JoinedSelectMultiple(attrs={"size": 5}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def setup(self) -> None:
        assert self.assignment is not None
        self.fields["orgs"].queryset = co_executor_targets(self.assignment)
        group_by_kind(self.fields["orgs"], blank=False)


class SetExecutorForm(ActionForm):
    executor = UserChoiceField(label=_("Executor"), queryset=User.objects.none(), empty_label="—")

    def setup(self) -> None:
        assert self.assignment is not None
        self.fields["executor"].queryset = User.objects.filter(
            organisation_id=self.assignment.org_id, is_active=True
        ).order_by("last_name", "first_name")
        if self.assignment.executor_id:
            self.fields["executor"].initial = self.assignment.executor_id


OUTCOME_CHOICES = [("", "—"), *Outcome.choices]


class DraftAnswerForm(ActionForm):
    """The answer, the author's feedback form (R-P2-8) and an outcome per issue (L-9)."""

    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    feedback_form = forms.ChoiceField(
        label=_("Author's written feedback"),
        required=False,
        # Not "None": a clerk read that as "no feedback needed". Leaving it empty only drafts;
        # sending up still needs the feedback or the act where the procedure asks (R-P2-8).
        choices=[("", _("— choose —")), *FeedbackForm.choices],
        help_text=_(
            "An explanatory letter is not accepted as feedback; if the author refuses, "
            "choose the act of refusal."
        ),
    )

    def setup(self) -> None:
        assert self.assignment is not None
        if self.answer_read:
            answer: Answer | None = self.answer  # read with the case page (selectors.case_file)
        else:
            answer = answer_of(self.assignment)
        self.topics: list[Topic | None] = list(self.appeal.topics.all()) or [None]
        existing: dict[int | None, Any] = {}
        if answer is not None:
            self.fields["text"].initial = answer.text
            self.fields["feedback_form"].initial = answer.feedback_form
            existing = {o.topic_id: o for o in answer.outcomes.all()}
        elif not self.is_bound:
            existing = self._start_from_parts()
        self.outcome_rows = []
        for topic in self.topics:
            key = topic.pk if topic else "all"
            name = topic.name if topic else _("The appeal as a whole")
            outcome_field = forms.ChoiceField(
                label=_("Outcome: %(topic)s") % {"topic": name},
                choices=OUTCOME_CHOICES,
                required=True,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            ground_field = forms.CharField(
                label=_("Legal ground: %(topic)s") % {"topic": name},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            previous = existing.get(topic.pk if topic else None)
            if previous is not None:
                outcome_field.initial = previous.outcome
                ground_field.initial = previous.legal_ground
            self.fields[f"outcome_{key}"] = outcome_field
            self.fields[f"ground_{key}"] = ground_field
            self.outcome_rows.append((f"outcome_{key}", f"ground_{key}"))

    def _start_from_parts(self) -> dict[int | None, Any]:
        """A first draft from the answers accepted below (R-P2-5, R-P2-7): their text, the
        feedback form they share and each issue's outcome, for the executor to edit."""
        from .services import parts_to_consolidate

        assert self.assignment is not None
        parts = parts_to_consolidate(self.assignment)
        if not parts:
            return {}
        names = ", ".join(str(part.assignment.org.name) for part in parts)
        text = self.fields["text"]
        if len(parts) == 1:
            text.initial = parts[0].text
            text.help_text = _(
                "Starts from the answer accepted from %(org)s: edit it before signing."
            ) % {"org": names}
        else:
            text.initial = "\n\n".join(f"{p.assignment.org.name}:\n{p.text}" for p in parts)
            text.help_text = _(
                "Starts from the answers accepted from: %(orgs)s. Edit it into one answer."
            ) % {"orgs": names}
        forms_given = {part.feedback_form for part in parts if part.feedback_form}
        if len(forms_given) == 1:
            self.fields["feedback_form"].initial = forms_given.pop()
        outcomes: dict[int | None, Any] = {}
        for part in parts:
            for outcome in part.outcomes.all():
                outcomes.setdefault(outcome.topic_id, outcome)
        return outcomes

    def outcome_pairs(self) -> list[tuple[Any, Any]]:
        return [(self[o], self[g]) for o, g in self.outcome_rows]

    def outcomes(self) -> list[Any]:
        from .services import OutcomeInput

        result = []
        for topic in self.topics:
            key = topic.pk if topic else "all"
            outcome = self.cleaned_data.get(f"outcome_{key}")
            if outcome:
                result.append(
                    OutcomeInput(topic, outcome, self.cleaned_data.get(f"ground_{key}") or "")
                )
        return result

    def attach_domain_error(self, error: DomainError) -> None:
        if error.field == "outcomes" and self.outcome_rows:
            # Put it on the first row that needs a ground, else on the first outcome.
            for outcome_name, ground_name in self.outcome_rows:
                value = self.data.get(self.add_prefix(outcome_name))
                if (
                    value in (Outcome.REFUSED, Outcome.LEFT)
                    and not self.data.get(self.add_prefix(ground_name), "").strip()
                ):
                    self.add_error(ground_name, str(error.message))
                    return
            self.add_error(self.outcome_rows[0][0], str(error.message))
            return
        super().attach_domain_error(error)


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("Extra days"), min_value=1, max_value=366)
    reason = forms.CharField(
        label=_("Why the term is not enough"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def setup(self) -> None:
        maximum = self.appeal.procedure.max_extension_days
        self.fields["days"].help_text = _("From 1 to %(max)s days.") % {"max": maximum}
        self.fields["days"].widget.attrs["max"] = maximum


UPLOAD_KINDS = [(k, label) for k, label in DocumentKind.choices if k != DocumentKind.ATTACHMENT]


class AddDocumentForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=UPLOAD_KINDS)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG, PNG, TIFF, DOCX or XLSX (checked by content).")
    )

    def clean_file(self) -> tuple[str, bytes]:
        return read_upload(self.cleaned_data["file"])


class ExplainDelayForm(ActionForm):
    violation = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Explanation of the delay"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideExtensionForm(ActionForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when refusing. On an approval of the lead's extension the author reads it "
            "as the reason, in the notice and on the tracking page."
        ),
    )


class DecideViolationForm(ActionForm):
    violation = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("excuse", _("Excuse the delay (supporting documents attached)")),
            ("confirm", _("Record as a violation")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# action -> (form class, label of the submit button, Bootstrap button class)
APPEAL_ACTION_FORMS: dict[str, tuple[type[ActionForm], Any, str]] = {
    "route": (RouteForm, _("Send for execution"), "btn-primary"),
    "return_to_source": (ReasonForm, _("Return to the source"), "btn-outline-danger"),
    "leave": (LeaveForm, _("Leave without consideration"), "btn-outline-danger"),
    "terminate": (TerminateForm, _("Terminate consideration"), "btn-outline-danger"),
    "merge": (MergeForm, _("Merge as a duplicate"), "btn-outline-secondary"),
    "send_answer": (EmptyActionForm, _("Send the answer"), "btn-primary"),
    "acknowledge": (AcknowledgeForm, _("Record the confirmation"), "btn-success"),
    "source_reject": (ReasonForm, _("Record the rejection"), "btn-outline-danger"),
}

ASSIGNMENT_ACTION_FORMS: dict[str, tuple[type[ActionForm], Any, str]] = {
    "accept": (EmptyActionForm, _("Accept"), "btn-primary"),
    "return": (ReasonForm, _("Return to the sender"), "btn-outline-danger"),
    "forward": (ForwardForm, _("Forward"), "btn-primary"),
    "involve": (InvolveForm, _("Involve"), "btn-outline-primary"),
    "set_executor": (SetExecutorForm, _("Assign"), "btn-outline-primary"),
    "draft_answer": (DraftAnswerForm, _("Save the answer"), "btn-primary"),
    "sign_answer": (EmptyActionForm, _("Sign"), "btn-success"),
    "submit_answer": (EmptyActionForm, _("Submit"), "btn-primary"),
    "accept_answer": (EmptyActionForm, _("Accept the answer"), "btn-success"),
    "reject_answer": (ReasonForm, _("Send back"), "btn-outline-danger"),
    "recall": (ReasonForm, _("Recall"), "btn-outline-danger"),
    "request_extension": (ExtensionForm, _("Request"), "btn-outline-primary"),
    "add_document": (AddDocumentForm, _("Upload"), "btn-outline-primary"),
    "store_answer_letter": (
        EmptyActionForm,
        _("Attach the generated letter"),
        "btn-outline-primary",
    ),
    "explain_delay": (ExplainDelayForm, _("Send the explanation"), "btn-primary"),
    "decide_extension": (DecideExtensionForm, _("Decide"), "btn-primary"),
    "decide_violation": (DecideViolationForm, _("Decide"), "btn-primary"),
}

# Titles of the actions that are not in the workflow tables (the rest use workflow's labels).
EXTRA_ACTION_TITLES = {
    "store_answer_letter": _("generate the answer letter"),
    "explain_delay": _("explain the delay"),
    "decide_extension": _("decide on the extension"),
    "decide_violation": _("decide on the delay"),
}


def build_action_form(
    action: str,
    *,
    appeal: Appeal,
    assignment: Assignment | None = None,
    target_id: int | None = None,
    data: Any = None,
    files: Any = None,
    answer: Answer | None = None,
    answer_read: bool = False,
) -> ActionForm:
    """The form of one action; ids are unique on the page, field names stay plain. The case page
    passes the assignment's answer it already read (`answer_read`), saving a query per form."""
    table = ASSIGNMENT_ACTION_FORMS if assignment is not None else APPEAL_ACTION_FORMS
    form_class, label, button = table[action]
    key = f"{action}-{assignment.pk if assignment else 'appeal'}"
    if target_id is not None:
        key += f"-{target_id}"
    version = assignment.version if assignment is not None else appeal.version
    initial: dict[str, Any] = {"version": version}
    if action in ("explain_delay", "decide_violation"):
        initial["violation"] = target_id
    if action == "decide_extension":
        initial["request"] = target_id
    form = form_class(data=data, files=files, initial=initial, auto_id=f"id_{key}-%s")
    form.action, form.appeal, form.assignment = action, appeal, assignment
    form.submit_label, form.button_class = label, button
    form.key = key
    form.target_id = target_id
    form.answer, form.answer_read = answer, answer_read
    form.setup()
    return form
