"""Trainings (R-ORG-5) and disciplinary measures (R-ORG-6): what the working group controls.

The tables were created by the `receptions` app and keep their names (`db_table`): the move to
`control` (issue 10, item 4) changed only where the code lives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Training(models.Model):
    """A training seminar (oʻquv seminari) for appeal staff: at least one a quarter (R-ORG-5)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=255)
    trainer = models.CharField(_("trainer"), max_length=255, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trainings",
        verbose_name=_("participants"),
    )
    participants_count = models.PositiveIntegerField(_("number of participants"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "receptions_training"
        ordering = ["-date", "pk"]
        verbose_name = _("training seminar")
        verbose_name_plural = _("training seminars")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.topic}"


class MeasureKind(models.TextChoices):
    """The Labour Code's disciplinary measures (intizomiy jazo choralari)."""

    REMARK = "remark", _("Remark")
    REPRIMAND = "reprimand", _("Reprimand")
    SEVERE_REPRIMAND = "severe_reprimand", _("Severe reprimand")
    FINE = "fine", _("Fine")
    DISMISSAL = "dismissal", _("Dismissal")


class DisciplinaryMeasure(models.Model):
    """A disciplinary measure against staff who broke the law on appeals (R-ORG-6)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="disciplinary_measures",
        verbose_name=_("organisation"),
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disciplinary_measures",
        verbose_name=_("employee"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    basis = models.TextField(_("basis"))
    violation = models.ForeignKey(
        "appeals.Violation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disciplinary_measures",
        verbose_name=_("violation"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "receptions_disciplinarymeasure"
        ordering = ["-date", "pk"]
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.employee}"
