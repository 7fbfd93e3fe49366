"""Appeals, their assignments down the four-stage tree, and the append-only history.

Shape of the data (R-P2-1..R-P2-13):
- an Appeal is registered once per channel (number unique per channel and year; the source's id
  unique per channel, which makes intake idempotent);
- every hop of routing is an Assignment with its own state and deadlines; an assignment's
  children are either the organisation below it (forwarding, R-P2-6) or co-executors (R-P2-5);
- an Answer belongs to the assignment that prepared it and records its outcome per issue (L-9);
- every change writes an Event row in the same transaction: the timeline, the audit trail and
  the reports all read from it.
"""

from __future__ import annotations

import hashlib
from datetime import date, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from murojaat.core.i18n import localized
from murojaat.core.identity import author_keys
from murojaat.core.models import NamedModel


class Channel(models.TextChoices):
    """Intake channels of R-IN-1."""

    PRESIDENT_VR = "president_vr", _("President's Virtual Reception")
    MINISTER_VR = "minister_vr", _("Minister's Virtual Reception")
    PEOPLES_RECEPTION = "peoples_reception", _("People's Reception")
    HOTLINE = "hotline", _("Trust hotline 1003")
    E_SERVICES = "e_services", _("Interactive e-services portal")
    PERSONAL_RECEPTION = "personal_reception", _("Personal reception")
    FIELD_RECEPTION = "field_reception", _("Field reception")
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")


CHANNEL_PREFIX = {
    Channel.PRESIDENT_VR: "PV",
    Channel.MINISTER_VR: "VV",
    Channel.PEOPLES_RECEPTION: "XQ",
    Channel.HOTLINE: "IT",
    Channel.E_SERVICES: "EX",
    Channel.PERSONAL_RECEPTION: "SQ",
    Channel.FIELD_RECEPTION: "SY",
    Channel.POST: "PO",
    Channel.EMAIL: "EM",
}


# Government offices' working day in Tashkent (L-2); each procedure may set its own.
DEFAULT_WORKING_DAY_STARTS = time(9, 0)
DEFAULT_WORKING_DAY_ENDS = time(18, 0)


class ClosureMode(models.TextChoices):
    SOURCE_ACK = "source_ack", _("Closed when the source confirms it accepted the answer")
    ON_ANSWER = "on_answer", _("Closed when the answer reaches the author and the working group")


class DeadlineUnit(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class Procedure(NamedModel):
    """A channel's procedure as data (R-IN-2): an administrator changes 13 days to 10 here."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices, unique=True)
    accept_days = models.PositiveSmallIntegerField(_("days to send and accept"), default=1)
    return_days = models.PositiveSmallIntegerField(
        _("days to return a misrouted appeal"), default=5
    )
    execution_days = models.PositiveSmallIntegerField(_("days to execute"), default=13)
    # L-3 (art. 28): applications and complaints within 15 days, proposals up to one month.
    proposal_days = models.PositiveSmallIntegerField(
        _("days to consider a proposal"),
        null=True,
        blank=True,
        help_text=_("Empty: a proposal has the same term as any other appeal."),
    )
    guidance_days = models.PositiveSmallIntegerField(_("recommended days to execute"), default=10)
    max_extension_days = models.PositiveSmallIntegerField(_("longest extension, days"), default=13)
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=1)
    deadline_unit = models.CharField(
        _("deadline unit"),
        max_length=16,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.CALENDAR,
    )
    roll_forward = models.BooleanField(
        _("a deadline on a day off moves to the next working day"), default=True
    )
    # L-2: a receipt at or after the end of the working day (Tashkent time), or on a day off,
    # is registered as of the next working day; the start is the moment of that registration.
    working_day_starts = models.TimeField(
        _("working day starts (Tashkent time)"),
        default=DEFAULT_WORKING_DAY_STARTS,
        help_text=_(
            "An appeal received after working hours is registered at this time of the "
            "next working day."
        ),
    )
    working_day_ends = models.TimeField(
        _("working day ends (Tashkent time)"),
        default=DEFAULT_WORKING_DAY_ENDS,
        help_text=_(
            "An appeal received at or after this time, or on a day off, is registered "
            "and its deadlines counted from the next working day."
        ),
    )
    stages = models.PositiveSmallIntegerField(_("stages"), default=4)
    closure_mode = models.CharField(
        _("closure"), max_length=16, choices=ClosureMode.choices, default=ClosureMode.ON_ANSWER
    )
    requires_author_feedback = models.BooleanField(
        _("answers carry the author's written feedback"), default=False
    )
    rule_reference = models.CharField(_("rule reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.name

    def execution_days_for(self, kind: str) -> int:
        """The term an appeal of `kind` gets by default: a proposal's own, where set (L-3)."""
        if kind == AppealKind.PROPOSAL and self.proposal_days:
            return self.proposal_days
        return self.execution_days

    @property
    def longest_term(self) -> int:
        """The longest execution term the working group may set, extension included."""
        return max(self.execution_days, self.proposal_days or 0) + self.max_extension_days

    def clean(self) -> None:
        if self.guidance_days > self.execution_days:
            raise ValidationError(
                {"guidance_days": _("The recommended term cannot exceed the execution term.")}
            )
        if self.working_day_starts >= self.working_day_ends:
            raise ValidationError(
                {"working_day_ends": _("The working day must end after it starts.")}
            )


class Topic(NamedModel):
    """A subject an appeal raises; an appeal may raise several (R-P2-5)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    ministry_level = models.BooleanField(_("decided at ministry level"), default=False)
    is_active = models.BooleanField(default=True)
    # Issue 13: the words a citizen picks the topic by on the public form ("Rude or improper
    # behaviour of doctors or nurses", not "Conduct of medical staff"); the office names stay
    # what the reports and the staff pages show. A blank Cyrillic column is transliterated.
    plain_name_uz = models.CharField(_("plain name (Uzbek, Latin)"), max_length=255, blank=True)
    plain_name_uz_cyrl = models.CharField(
        _("plain name (Uzbek, Cyrillic)"), max_length=255, blank=True
    )
    plain_name_ru = models.CharField(_("plain name (Russian)"), max_length=255, blank=True)
    plain_name_en = models.CharField(_("plain name (English)"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def plain_name(self) -> str:
        """The citizen's words in the active language, or the office name where none is set."""
        return localized(self, "plain_name") or self.name


class AppealKind(models.TextChoices):
    """L-1: kinds of appeal."""

    APPLICATION = "application", _("Application")
    PROPOSAL = "proposal", _("Proposal")
    COMPLAINT = "complaint", _("Complaint")


class AuthorType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    LEGAL = "legal", _("Legal entity")


class AppealState(models.TextChoices):
    NEW = "new", _("Awaiting routing")
    IN_WORK = "in_work", _("In work")
    ANSWER_READY = "answer_ready", _("Answer ready")
    SENT_TO_SOURCE = "sent_to_source", _("Answer sent, awaiting confirmation")
    CLOSED = "closed", _("Closed (removed from control)")
    RETURNED_TO_SOURCE = "returned_to_source", _("Returned to the source")
    LEFT_WITHOUT_CONSIDERATION = "left", _("Left without consideration")
    TERMINATED = "terminated", _("Consideration terminated")
    MERGED = "merged", _("Merged into another appeal")


FINAL_APPEAL_STATES = frozenset(
    {
        AppealState.CLOSED,
        AppealState.RETURNED_TO_SOURCE,
        AppealState.LEFT_WITHOUT_CONSIDERATION,
        AppealState.TERMINATED,
        AppealState.MERGED,
    }
)


AUTHOR_FIELDS = {"author_phone", "author_email", "author_name", "author_address"}
AUTHOR_KEY_FIELDS = ("author_phone_key", "author_email_key", "author_name_key")


class Appeal(models.Model):
    number = models.CharField(_("registration number"), max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence number"))
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, verbose_name=_("procedure"))
    external_id = models.CharField(
        _("identifier in the source system"), max_length=100, null=True, blank=True
    )
    source_client = models.ForeignKey(
        "gateway.ApiClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("source system"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=AppealKind.choices, default=AppealKind.APPLICATION
    )
    # The author (L-9: a collective appeal is answered to its first signatory).
    author_type = models.CharField(
        _("author type"), max_length=16, choices=AuthorType.choices, default=AuthorType.INDIVIDUAL
    )
    author_name = models.CharField(_("author's full name"), max_length=255, blank=True)
    author_organisation = models.CharField(_("legal entity"), max_length=255, blank=True)
    author_address = models.CharField(_("address"), max_length=500, blank=True)
    # Indexed with the id (`appeal_region_id`, `appeal_district_id` below), not alone.
    author_region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("region"),
    )
    author_district = models.ForeignKey(
        "orgs.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("district or city"),
    )
    author_phone = models.CharField(_("phone"), max_length=32, blank=True)
    author_email = models.EmailField(_("e-mail"), blank=True)
    # L-6 repeat-author keys, written with the raw fields (murojaat.core.identity.author_keys):
    # the phone in E.164, the e-mail case-folded, name and address script- and case-folded.
    author_phone_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    author_email_key = models.CharField(max_length=254, blank=True, default="", editable=False)
    author_name_key = models.CharField(max_length=255, blank=True, default="", editable=False)
    is_collective = models.BooleanField(_("collective appeal"), default=False)
    signatories = models.PositiveIntegerField(_("number of signatories"), default=1)
    language = models.CharField(_("language of the appeal"), max_length=10, blank=True)
    hide_personal_data = models.BooleanField(
        _("the author asked to withhold personal data"), default=False
    )
    text = models.TextField(_("text"))
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="appeals", verbose_name=_("topics")
    )
    # What each door records besides the author (R-IN-1): plain columns, blank where the channel
    # has no such detail, so the admin shows them and a clerk's query filters on them. The
    # call's, letter's or message's arrival is `received_at`, the hotline operator
    # `registered_by`, the e-services portal's request id `external_id` (one appeal per request).
    caller_phone = models.CharField(_("caller's phone"), max_length=32, blank=True)
    source_reference = models.CharField(
        _("reference number at the source"),
        max_length=64,
        blank=True,
        help_text=_(
            "The call's reference number (1003 hotline), the letter's outgoing number (post) "
            "or the referral number (People's Reception)."
        ),
    )
    source_reference_date = models.DateField(
        _("date at the source"),
        null=True,
        blank=True,
        help_text=_(
            "The letter's date (post), the message's date (e-mail) or the referral's date "
            "(People's Reception)."
        ),
    )
    sender_address = models.CharField(
        _("sender's address on the envelope"), max_length=500, blank=True
    )
    sender_email = models.EmailField(_("sender's e-mail address"), blank=True)
    email_subject = models.CharField(_("subject of the e-mail"), max_length=255, blank=True)
    reception_region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("People's Reception: region"),
    )
    reception_district = models.ForeignKey(
        "orgs.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("People's Reception: district or city"),
    )
    received_at = models.DateTimeField(_("received"))
    # Set once by the intake service (an after-hours receipt is registered at the opening of
    # its registration day, L-2) in the INSERT itself; never edited afterwards.
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"),
        max_length=24,
        choices=AppealState.choices,
        default=AppealState.NEW,
        db_index=True,
    )
    # The execution clock of the whole appeal (R-P2-11): start date + days (+ extensions).
    due_start = models.DateField(_("deadline counted from"))
    due_days = models.PositiveSmallIntegerField(_("days to execute"))
    due_date = models.DateField(_("due"), db_index=True)
    extension_days = models.PositiveSmallIntegerField(_("days of extension"), default=0)
    # The rule the clock started with (R-P2-11, L-3), kept with the clock: a procedure edited
    # later (calendar days to working days) sets the rule of new deadlines only, so a running
    # date and its explanation never disagree and a later calendar edit never moves it by the
    # new rule (issue 10, item 13).
    due_unit = models.CharField(
        _("deadline unit"),
        max_length=16,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.CALENDAR,
    )
    due_roll_forward = models.BooleanField(
        _("a deadline on a day off moves to the next working day"), default=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeats an earlier appeal"),
    )
    # L-4 (art. 25): a complaint is never sent for consideration to the body it is about.
    complaint_against = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation complained about"),
    )
    # Citizen follow-up (public tracking page): a secret code checked as a hash.
    tracking_secret_hash = models.CharField(max_length=128, blank=True)
    rating = models.PositiveSmallIntegerField(_("author's rating"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    # The number and the text only, normalised the same way: what a user who may not see a
    # hidden author (L-10) can search by, with the same script and case folding.
    content_search_text = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "year", "seq"], name="appeal_number_per_year"
            ),
            # An external id is its sender's: once per API client (two clients may both send
            # VR-1), and once per channel for a door without a client (the public form).
            models.UniqueConstraint(
                fields=["source_client", "external_id"],
                condition=models.Q(external_id__isnull=False, source_client__isnull=False),
                name="appeal_external_id_once_per_client",
            ),
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=models.Q(external_id__isnull=False, source_client__isnull=True),
                name="appeal_external_id_once_per_channel_without_client",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["channel", "received_at"]),
            models.Index(fields=["author_phone"]),
            # Search and the lists page newest first and stop at the page (issue 9): the
            # order `-received_at, pk` read straight off this index, no sort of every match.
            # Its leading column also answers the period filters of the dashboards and the
            # inbox's dates (a btree is read in both directions): no second index to write.
            models.Index(fields=["-received_at", "id"], name="appeal_received_desc_id"),
            # L-6: the author's latest earlier appeal is one index probe per key.
            *(
                models.Index(
                    fields=[key, "-received_at"],
                    name=f"appeal_{key}",
                    condition=~models.Q(**{key: ""}),
                )
                for key in ("author_phone_key", "author_email_key", "author_name_key")
            ),
            # The running month's monthly report asks for the appeals open at some moment of
            # the month: `closed_at IS NULL OR closed_at >= start`. One btree answers both arms
            # (a BitmapOr): the open backlog and the month's closures, not the history (issue 9).
            models.Index(fields=["closed_at"], name="appeal_closed"),
            # The working group's "to route" and "returned" tabs (issue 9): their counts read
            # the new appeals' ids off this index without visiting the table, and the page
            # (assist.selectors.UrgentFirst) is read in the tab's order, stopping at 25.
            models.Index(
                fields=["due_date", "received_at", "id"],
                name="appeal_to_route",
                condition=models.Q(state="new"),
            ),
            # A region or district filter on a tab of assignments (issue 9): the region's appeal
            # ids are read off the index alone (an index-only scan) and joined to the tab's
            # open assignments, instead of visiting every appeal the region ever sent (70,000
            # heap rows at 1M for the working group's overdue tab).
            models.Index(fields=["author_region", "id"], name="appeal_region_id"),
            models.Index(fields=["author_district", "id"], name="appeal_district_id"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Every write of the author's fields writes their normalised keys (L-6)."""
        self.set_author_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and AUTHOR_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *AUTHOR_KEY_FIELDS}
        super().save(*args, **kwargs)

    def set_author_keys(self) -> None:
        keys = author_keys(
            phone=self.author_phone,
            email=self.author_email,
            name=self.author_name,
            address=self.author_address,
        )
        self.author_phone_key, self.author_email_key = keys.phone, keys.email
        self.author_name_key = keys.name

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_APPEAL_STATES

    @property
    def is_anonymous(self) -> bool:
        """L-5: no name and no address (or no way to identify an electronic sender)."""
        has_name = bool(self.author_name.strip() or self.author_organisation.strip())
        has_contact = bool(
            self.author_address.strip() or self.author_email.strip() or self.author_phone.strip()
        )
        return not (has_name and has_contact)


class NumberSequence(models.Model):
    """Allocates registration numbers without gaps or races (row lock per channel and year)."""

    channel = models.CharField(max_length=32, choices=Channel.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "year"], name="one_sequence_per_channel_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.year}: {self.last}"


class AssignmentState(models.TextChoices):
    SENT = "sent", _("Sent, awaiting acceptance")
    ACCEPTED = "accepted", _("In work")
    ANSWERED = "answered", _("Answer submitted")
    DONE = "done", _("Answer accepted")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Recalled")


OPEN_ASSIGNMENT_STATES = frozenset(
    {AssignmentState.SENT, AssignmentState.ACCEPTED, AssignmentState.ANSWERED}
)


class AssignmentRole(models.TextChoices):
    EXECUTOR = "executor", _("Executor")
    CO_EXECUTOR = "co_executor", _("Co-executor")


class Assignment(models.Model):
    """One hop of an appeal: an organisation asked to accept, study and answer it."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="assignments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("organisation"),
    )
    sender_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="sent_assignments",
        verbose_name=_("sent by"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.EXECUTOR
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=AssignmentState.choices,
        default=AssignmentState.SENT,
        db_index=True,
    )
    instructions = models.TextField(_("instructions"), blank=True)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    accept_due = models.DateField(_("accept by"))
    return_due = models.DateField(_("return by"))
    # R-P2-11: sending and acceptance take one day together, counted from the day the appeal
    # reached the sender (the registration day, or the day it came back to the working group),
    # not from a late sending; empty on rows older than this rule (counted from `sent_at`).
    accept_start = models.DateField(_("sending and acceptance counted from"), null=True)
    due_start = models.DateField(_("deadline counted from"))
    due_days = models.PositiveSmallIntegerField(_("days to execute"))
    extension_days = models.PositiveSmallIntegerField(_("days of extension"), default=0)
    due_date = models.DateField(_("due"), db_index=True)
    # The rule every date of this assignment started with (see `Appeal.due_unit`).
    due_unit = models.CharField(
        _("deadline unit"),
        max_length=16,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.CALENDAR,
    )
    due_roll_forward = models.BooleanField(
        _("a deadline on a day off moves to the next working day"), default=True
    )
    accept_days = models.PositiveSmallIntegerField(_("days to send and accept"), default=1)
    return_days = models.PositiveSmallIntegerField(
        _("days to return a misrouted appeal"), default=5
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    word_reference_requested = models.BooleanField(
        _("the reference is asked in Word format"), default=False
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="executing",
        verbose_name=_("executor"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["org", "state", "due_date"]),
            models.Index(fields=["sender_org", "state"]),
            # A subtree's intake of a period (dashboards' cards and charts) without reading
            # its whole history (issue 9).
            models.Index(fields=["org", "sent_at"], name="assignment_org_sent"),
            # The dashboards' live on-time figures (the running month's answers): the working
            # group's by date alone, a subtree's by organisation and date (issue 9); without
            # them each read every assignment, or the subtree's whole history.
            models.Index(
                fields=["answered_at"],
                name="assignment_answered",
                condition=models.Q(answered_at__isnull=False),
            ),
            models.Index(
                fields=["org", "answered_at"],
                name="assignment_org_answered",
                condition=models.Q(answered_at__isnull=False),
            ),
            # The running month's report: assignments open at some moment of the month,
            # `finished_at IS NULL OR finished_at >= start` (as `appeal_closed`).
            models.Index(fields=["finished_at"], name="assignment_finished"),
            # An organisation's open work in deadline order (the inbox's overdue and due-soon
            # tabs): read in order and stopped at the page. The (org, state, due_date) index
            # cannot give one order over two states, so PostgreSQL walked the ministry-wide
            # due_date index filtering every other organisation's rows (0.4 s at 1M, issue 9).
            models.Index(
                fields=["org", "due_date", "id"],
                name="assignment_open_org_due",
                condition=models.Q(state__in=[AssignmentState.SENT, AssignmentState.ACCEPTED]),
            ),
            # The working group's overdue and due-soon tabs watch the first hops' open work
            # ministry-wide: their capped counts and a region filter's join read the range of
            # deadlines off this index alone (the appeal's id is in it), instead of visiting
            # every open assignment (61 -> 18-27 ms at 1M with a region filter, issue 9).
            models.Index(
                fields=["due_date", "id", "appeal"],
                name="assignment_top_open_due",
                condition=models.Q(
                    parent__isnull=True,
                    state__in=[AssignmentState.SENT, AssignmentState.ACCEPTED],
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}:{self.org_id}:{self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ASSIGNMENT_STATES


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """R-P2-11: an extension asked through the system, decided by the working group."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(state="pending"),
                name="one_pending_extension_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"+{self.days} ({self.get_state_display()})"


class ViolationKind(models.TextChoices):
    LATE_ACCEPTANCE = "late_acceptance", _("Accepted late")
    LATE_RETURN = "late_return", _("Returned after the return period")
    LATE_ANSWER = "late_answer", _("Execution deadline missed")
    # R-P2-2, R-P2-11: the working group's own share of the one day, recorded against it.
    LATE_ROUTING = "late_routing", _("Routed late by the working group")


class ViolationState(models.TextChoices):
    # Whoever is at fault explains: an executor, or the working group for its own late routing.
    AWAITING_EXPLANATION = "awaiting", _("Awaiting an explanation")
    EXPLAINED = "explained", _("Explained, awaiting decision")
    EXCUSED = "excused", _("Excused")
    CONFIRMED = "confirmed", _("Recorded as a violation")


class Violation(models.Model):
    """A missed deadline (R-P2-11, R-P2-13, R-ORG-6): explained, then excused or confirmed."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="violations")
    org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="violations"
    )
    kind = models.CharField(max_length=20, choices=ViolationKind.choices)
    due_date = models.DateField()
    detected_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=16,
        choices=ViolationState.choices,
        default=ViolationState.AWAITING_EXPLANATION,
        db_index=True,
    )
    explanation = models.TextField(blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind"], name="one_violation_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class FeedbackForm(models.TextChoices):
    """R-P2-8: the author's written feedback; an explanatory letter is not one of them."""

    NOTICE = "notice", _("Notice (bildirgi)")
    INFORMATION = "information", _("Information (maʼlumot)")
    CONSENT = "consent", _("Consent letter (rozilik xati)")
    THANKS = "thanks", _("Thank-you letter (tashakkurnoma)")
    REFUSAL_ACT = "refusal_act", _("Act of the author's refusal (dalolatnoma)")


class AnswerState(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting signature")
    SIGNED = "signed", _("Signed")


class Answer(models.Model):
    """The result an assignment produced: letter, reference, feedback, outcome per issue."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("answer"))
    state = models.CharField(
        max_length=16, choices=AnswerState.choices, default=AnswerState.DRAFT, db_index=True
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    feedback_form = models.CharField(
        _("author's feedback"), max_length=16, choices=FeedbackForm.choices, blank=True
    )
    sent_to_author_at = models.DateTimeField(_("sent to the author"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.assignment} ({self.get_state_display()})"


class Outcome(models.TextChoices):
    """L-9 / L-11: what the answer did for each issue raised."""

    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    EXPLAINED = "explained", _("Explained")
    REFUSED = "refused", _("Refused")
    LEFT = "left", _("Left without consideration")


RESOLVED_OUTCOMES = frozenset({Outcome.SATISFIED, Outcome.PARTLY})


class IssueOutcome(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="outcomes")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    legal_ground = models.CharField(_("legal ground"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outcome of an issue")
        verbose_name_plural = _("outcomes of issues")

    def __str__(self) -> str:
        return self.get_outcome_display()


class DocumentKind(models.TextChoices):
    ATTACHMENT = "attachment", _("Attachment of the appeal")
    SCAN = "scan", _("Signed scan")
    REFERENCE = "reference", _("Reference (maʼlumotnoma)")
    ANSWER_LETTER = "answer_letter", _("Answer letter")
    FEEDBACK = "feedback", _("Author's feedback")
    REFUSAL_ACT = "refusal_act", _("Refusal act (dalolatnoma)")
    SUPPORTING = "supporting", _("Supporting document")
    OTHER = "other", _("Other")


def document_path(instance: Document, filename: str) -> str:
    # No user-controlled path parts: the original name is kept in a column, not on disk.
    today = date.today()
    return f"appeals/{today:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}"


class Document(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="documents")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    event = models.ForeignKey(
        "Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ROUTED = "routed", _("Sent for execution")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned to the sender")
    FORWARDED = "forwarded", _("Forwarded down")
    CO_EXECUTORS = "co_executors", _("Co-executors involved")
    RECALLED = "recalled", _("Recalled by the sender")
    EXECUTOR_SET = "executor_set", _("Executor assigned")
    DOCUMENT_ADDED = "document_added", _("Document added")
    ANSWER_DRAFTED = "answer_drafted", _("Answer prepared")
    ANSWER_SIGNED = "answer_signed", _("Answer signed")
    ANSWER_SUBMITTED = "answer_submitted", _("Answer submitted upwards")
    ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
    ANSWER_REJECTED = "answer_rejected", _("Answer sent back for rework")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    DEADLINE_MISSED = "deadline_missed", _("Deadline missed")
    ROUTED_LATE = "routed_late", _("Routed late by the working group")
    DELAY_EXPLAINED = "delay_explained", _("Delay explained")
    DELAY_EXCUSED = "delay_excused", _("Delay excused")
    VIOLATION_CONFIRMED = "violation_confirmed", _("Violation recorded")
    ANSWER_SENT = "answer_sent", _("Answer sent to the source")
    CLOSED = "closed", _("Closed (removed from control)")
    SOURCE_REJECTED = "source_rejected", _("Source did not accept the answer")
    RETURNED_TO_SOURCE = "returned_to_source", _("Returned to the source")
    LEFT_WITHOUT_CONSIDERATION = "left", _("Left without consideration")
    TERMINATED = "terminated", _("Consideration terminated")
    MERGED = "merged", _("Merged as a duplicate")
    DUPLICATE_RECEIVED = "duplicate_received", _("Duplicate merged into this appeal")
    DEADLINES_MOVED = "deadlines_moved", _("Deadlines moved by the calendar")
    RATED = "rated", _("Rated by the author")
    REVIEW_REQUESTED = "review_requested", _("Review requested by the author")
    REVIEW_TAKEN = "review_taken", _("Review taken into work")
    REVIEW_CLOSED = "review_closed", _("Review request handled")
    COMMENT = "comment", _("Comment")
    # The working group's assistants (murojaat/assist): what the notification stream picks up.
    URGENT_FLAGGED = "urgent_flagged", _("Flagged as urgent")
    URGENT_DECIDED = "urgent_decided", _("Urgent flag decided")
    DUPLICATE_SUSPECTED = "duplicate_suspected", _("Possible duplicate found")
    ESCALATED = "escalated", _("Deadline escalated")
    # Issue 13: the working group set or corrected the topics when routing (data: before, after).
    TOPICS_SET = "topics_set", _("Topics set")


class Event(models.Model):
    """Append-only: saved once, never updated or deleted (the audit trail of R-P2-13).

    Not only here: the database itself refuses UPDATE and DELETE of these rows, and the deletion
    of an appeal or an assignment that has events (murojaat/appeals/append_only.py, issue 10)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices, db_index=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("events are immutable")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        raise ValueError("events are immutable")


class ReadKind(models.TextChoices):
    PAGE = "page", _("Viewed the appeal's page")
    DOCUMENT = "document", _("Downloaded a document")
    ANSWER_LETTER = "answer_letter", _("Downloaded the answer letter (DOCX)")
    ANSWER_LETTER_PDF = "answer_letter_pdf", _("Downloaded the answer letter (PDF)")
    COMPARED = "compared", _("Read beside a possible duplicate")
    ADMIN = "admin", _("Viewed in the administration")


class AppealRead(models.Model):
    """Who read an appeal, when, what and from where (issue 10; L-10, ASVS V7): one row per
    staff view of the appeal's page and per download of its documents, shown to auditors.

    Append-only like the events, in the database itself (append_only.py): a trace that its
    subject could edit would prove nothing. The foreign keys protect what a read names, so a
    read appeal, document or user cannot be deleted from under its trace; `reader_org` is the
    reader's organisation at the moment of reading (staff move)."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="reads", db_index=False
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    reader_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    kind = models.CharField(_("what"), max_length=24, choices=ReadKind.choices)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("read of an appeal")
        verbose_name_plural = _("reads of appeals")
        # The auditors' panel: an appeal's reads newest first, one page at a time (keyset on
        # the id), read straight off this index. The reader's own index answers "what did
        # this person read".
        indexes = [models.Index(fields=["appeal", "-id"], name="appealread_appeal_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("reads are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("reads are immutable")
