"""Notifications: one outbox row per (source, recipient, channel), plus what people chose.

A Notification is written in the transaction of the event that causes it (or by the periodic
reminder and escalation sweeps), under a unique `key`; a retried service call or a second sweep
finds the key and writes nothing, so each (event, recipient, channel) exists once. Delivery
claims the row with the gateway outbox's conditional-UPDATE lease, so it is sent at most once
per claim and never lost: a row stays pending until a channel confirms it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Staff
    ASSIGNED = "assigned", _("New assignment")
    ACCEPT_DUE = "accept_due", _("Acceptance due today")
    EXECUTION_DUE = "execution_due", _("Execution deadline approaching")
    OVERDUE = "overdue", _("Deadline missed")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    ANSWER_REWORK = "answer_rework", _("Answer sent back for rework")
    SIGNATURE_NEEDED = "signature_needed", _("Answer awaiting signature")
    PART_ARRIVED = "part_arrived", _("A co-executor's part arrived")
    REVIEW_REQUESTED = "review_requested", _("Citizen's review request")
    SOURCE_REJECTED = "source_rejected", _("Rejected by the source")
    ESCALATION = "escalation", _("Deadline escalation")
    URGENT = "urgent", _("Urgent appeal to route today")
    # Citizens
    RECEIPT = "receipt", _("Appeal received")
    ROUTED = "routed", _("Appeal sent to an organisation")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    ANSWER_READY = "answer_ready", _("Answer ready")
    REVIEW_REPLY = "review_reply", _("Reply to the review request")
    BOOKING = "booking", _("Reception booking")
    TRACKING_CODE = "tracking_code", _("Confirmation code")
    PHONE_CODE = "phone_code", _("Code to see your appeals")
    BOOKING_CODE = "booking_code", _("Reception booking code")


STAFF_KINDS = (
    Kind.ASSIGNED,
    Kind.ACCEPT_DUE,
    Kind.EXECUTION_DUE,
    Kind.OVERDUE,
    Kind.EXTENSION_DECIDED,
    Kind.ANSWER_REWORK,
    Kind.SIGNATURE_NEEDED,
    Kind.PART_ARRIVED,
    Kind.REVIEW_REQUESTED,
    Kind.SOURCE_REJECTED,
    Kind.ESCALATION,
    Kind.URGENT,
)


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


class State(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # Staff have a user; a citizen is only the address they gave on the appeal.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    event = models.ForeignKey(
        "appeals.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    # A secret that only the delivery needs (a tracking code): removed from the text once sent.
    secret = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "channel", "read_at"]),
            models.Index(fields=["state", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id or self.address} [{self.channel}, {self.state}]"


class Template(models.Model):
    """An administrator's wording of one kind in one language; the built-in text otherwise.

    Subject and text are Django templates over the kind's context ({{ number }}, {{ org }},
    {{ due }}, {{ link }} ...), so a change takes effect for the next message without a release.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_template_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError
        from django.template import TemplateSyntaxError

        from .texts import check_syntax

        errors = {}
        for field in ("subject", "body"):
            try:
                check_syntax(getattr(self, field))
            except TemplateSyntaxError as exc:
                errors[field] = _("This text is not a valid template: %(error)s") % {"error": exc}
        if errors:
            raise ValidationError(errors)


class Preference(models.Model):
    """A staff member's choice for one kind on one channel (no row: the channel's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="one_preference_per_kind_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}/{self.channel}: {self.enabled}"


class Profile(models.Model):
    """Per-person delivery settings: quiet hours and the linked Telegram chat."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_profile"
    )
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=32, blank=True)
    telegram_code_hash = models.CharField(max_length=128, blank=True)
    telegram_code_expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class EscalationTarget(models.TextChoices):
    EXECUTOR = "executor", _("The executor")
    HEAD = "head", _("The organisation's head")
    PARENT = "parent", _("The parent organisation")
    WORKING_GROUP = "working_group", _("The working group")


class EscalationStep(models.Model):
    """One rung of a procedure's ladder: `offset` working days from the assignment's due date
    (negative: before it) tells `target`. A procedure with no rungs uses DEFAULT_LADDER."""

    procedure = models.ForeignKey(
        "appeals.Procedure",
        on_delete=models.CASCADE,
        related_name="escalation_steps",
        verbose_name=_("procedure"),
    )
    offset = models.SmallIntegerField(
        _("working days from the due date"),
        help_text=_("Negative: before the deadline; positive: after it was missed."),
    )
    target = models.CharField(_("who is told"), max_length=16, choices=EscalationTarget.choices)

    class Meta:
        ordering = ["procedure", "offset"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "offset", "target"], name="one_escalation_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offset:+d}: {self.get_target_display()}"


class EscalationRecord(models.Model):
    """A rung already climbed for one assignment's due date: the sweep climbs each once."""

    assignment = models.ForeignKey(
        "appeals.Assignment", on_delete=models.CASCADE, related_name="escalations"
    )
    due_date = models.DateField()
    offset = models.SmallIntegerField()
    target = models.CharField(max_length=16, choices=EscalationTarget.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_date", "offset", "target"], name="escalate_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.due_date} {self.offset:+d} {self.target}"


class OtpPurpose(models.TextChoices):
    NEW_TRACKING_CODE = "tracking", _("A new tracking code")
    PHONE_LIST = "phone_list", _("The list of the phone's appeals")


class TrackingResend(models.Model):
    """A one-time code sent to a contact on an appeal's file: for a new tracking code, or (issue
    13) to prove the phone and see every appeal written with it. The appeal names the contact
    the code went to; `purpose` keeps a code of one kind from being spent on the other."""

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(
        max_length=16, choices=OtpPurpose.choices, default=OtpPurpose.NEW_TRACKING_CODE
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.channel}"


class BotCursor(models.Model):
    """Where the Telegram getUpdates poll stopped (the Bot API's `offset`)."""

    name = models.CharField(max_length=32, primary_key=True)
    offset = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.offset}"
