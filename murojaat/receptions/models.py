"""The duties of every organisation's head (order item 8, R-ORG).

Receptions (R-ORG-2, R-ORG-3) are planned as sessions; each citizen received is a visit, and a
visit may become a registered appeal (channel personal_reception or field_reception), linked
back so the same visit is never registered twice. Trainings (R-ORG-5) and disciplinary measures
(R-ORG-6) live in `murojaat.control`.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# R-ORG-2: first heads receive citizens every day from 08:00 to 11:00.
PERSONAL_STARTS = time(8, 0)
PERSONAL_ENDS = time(11, 0)


class SessionKind(models.TextChoices):
    PERSONAL = "personal", _("Personal reception")
    FIELD = "field", _("Field reception")


class ReceptionSession(models.Model):
    """One reception held by a leader (shaxsiy qabul R-ORG-2, sayyor qabul R-ORG-3)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="reception_sessions",
        verbose_name=_("organisation"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reception_sessions",
        verbose_name=_("leader"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    date = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("starts at"), default=PERSONAL_STARTS)
    ends_at = models.TimeField(_("ends at"), default=PERSONAL_ENDS)
    place = models.CharField(_("place"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    hours_override_reason = models.CharField(
        _("reason for other hours"), max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="receptions_session_starts_before_end",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="field") | ~models.Q(place=""),
                name="receptions_field_session_has_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date.isoformat()} — {self.leader}"


class ReceptionVisit(models.Model):
    """A citizen received at a session; `appeal` links the appeal registered from it, if any."""

    session = models.ForeignKey(
        ReceptionSession,
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("session"),
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    question = models.TextField(_("question"))
    outcome = models.TextField(_("outcome"), blank=True)
    appeal = models.OneToOneField(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reception_visit",
        verbose_name=_("registered appeal"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("reception visit")
        verbose_name_plural = _("reception visits")

    def __str__(self) -> str:
        return self.visitor_name


# --- booking (issue 13, R-ORG-2, R-ORG-3) -------------------------------------------------------

DEFAULT_SLOT_MINUTES = 15


class LeaderSchedule(models.Model):
    """A leader's personal reception hours, edited by their office; no row means the order's
    default (every working day 08:00-11:00 in slots of DEFAULT_SLOT_MINUTES). The working days
    come from the working calendar, so a holiday or a transferred Saturday needs no edit here."""

    leader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reception_schedule",
        verbose_name=_("leader"),
    )
    starts_at = models.TimeField(_("starts at"), default=PERSONAL_STARTS)
    ends_at = models.TimeField(_("ends at"), default=PERSONAL_ENDS)
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per citizen"), default=DEFAULT_SLOT_MINUTES
    )
    bookable = models.BooleanField(_("citizens may book online"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="receptions_schedule_starts_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, slot_minutes__lte=120),
                name="receptions_schedule_slot_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}/{self.slot_minutes}"


class LeaderAbsence(models.Model):
    """Days a leader does not receive (leave, a business trip): no slots are offered."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reception_absences",
        verbose_name=_("leader"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (inclusive)"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # Not stored: how many citizens `booking.absence_add` told their booking was cancelled.
    cancelled_bookings: int = 0

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("leader's absence")
        verbose_name_plural = _("leaders' absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="receptions_absence_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.starts_on}–{self.ends_on}"


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the code")
    CONFIRMED = "confirmed", _("Confirmed")
    CAME = "came", _("Came")
    MISSED = "missed", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


# A slot is taken by every booking except these; the unique constraint below is the rule.
FREEING_STATUSES = (BookingStatus.CANCELLED, BookingStatus.EXPIRED)


class Booking(models.Model):
    """A citizen's place in a leader's reception: a personal one (`session` empty) or a slot of
    an announced field reception. The database refuses two active bookings of the same leader
    at the same minute, so two citizens racing for one slot cannot both win."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="reception_bookings",
        verbose_name=_("organisation"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reception_bookings",
        verbose_name=_("leader"),
    )
    session = models.ForeignKey(
        ReceptionSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("field reception"),
    )
    starts_at = models.DateTimeField(_("time"), db_index=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=DEFAULT_SLOT_MINUTES)
    name = models.CharField(_("full name"), max_length=255)
    phone = models.CharField(_("phone"), max_length=32, db_index=True)
    topic = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    # sha256 of the reference the citizen holds: the reference alone opens the booking, so
    # the table keeps no usable copy of it.
    reference_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    outcome = models.TextField(_("outcome"), blank=True)
    visit = models.OneToOneField(
        ReceptionVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name=_("visit"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("reception booking")
        verbose_name_plural = _("reception bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "starts_at"],
                condition=~models.Q(status__in=["cancelled", "expired"]),
                name="receptions_one_active_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.leader} [{self.status}]"


class ResponsibleOfficer(models.Model):
    """R-ORG-4: who answers for appeals in an organisation, with the history of who held it.
    The current one has no end date (or one not yet passed)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="responsible_officers",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff account"),
    )
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("work phone"), max_length=64, blank=True)
    starts_on = models.DateField(_("appointed on"))
    ends_on = models.DateField(_("held until"), null=True, blank=True)
    order_ref = models.CharField(_("order (number and date)"), max_length=255, blank=True)

    class Meta:
        ordering = ["organisation", "-starts_on", "-pk"]
        verbose_name = _("responsible officer for appeals")
        verbose_name_plural = _("responsible officers for appeals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__lte=models.F("ends_on")),
                name="receptions_officer_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.starts_on}–{self.ends_on or ''})"
