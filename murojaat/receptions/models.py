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
