"""Shared tables: the working calendar's overrides, and the base of four-language names."""

from __future__ import annotations

from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from murojaat.core.i18n import LocalizedNameMixin


class NamedModel(LocalizedNameMixin, models.Model):
    """Reference data named in the order's four languages (organisations, topics, procedures)."""

    name_uz = models.CharField(_("name (Uzbek, Latin)"), max_length=255)
    name_uz_cyrl = models.CharField(_("name (Uzbek, Cyrillic)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True


class CalendarOverride(models.Model):
    """A day whose status the ministry sets by hand, over the `holidays` package and the week.

    "day_off" adds a day off decreed after our `holidays` release (or one the package lacks);
    "working_day" makes a day off a working day (a Saturday the government turned into a
    working day). Saving or deleting a row bumps the shared calendar version, and the appeals
    engine then recomputes the deadlines still running (spec issue 3): a day off added later
    moves them.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason_uz = models.CharField(_("reason (Uzbek)"), max_length=200, blank=True)
    reason_ru = models.CharField(_("reason (Russian)"), max_length=200, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["day_off", "working_day"]),
                name="core_calendaroverride_kind_valid",
            )
        ]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()}"

    @property
    def weekday(self) -> str:
        return str(WEEKDAYS[self.day.weekday()])
