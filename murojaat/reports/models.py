"""Month-end figures (R-ORG-7, L-11): a closed month is a record, not a query.

A month's figures are facts derived from the append-only event history (`facts.py`): one row per
thing counted ("appeal 17 was received by rd-1727", "issue quality-of-care of appeal 17 was
satisfied", "violation 5 was recorded"). When a month closes its facts are stored here once, with
a digest; reading a closed month touches only that month's rows, whatever the size of the
history, and nothing done afterwards (a rework, an extension) changes them. `manage.py
month_figures --verify` derives the month again from the events and compares the digests.
"""

from __future__ import annotations

from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class MonthClose(models.Model):
    """A month whose figures are frozen. Its unique key makes closing idempotent under races."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    facts = models.PositiveIntegerField(_("number of facts"), default=0)
    digest = models.CharField(_("digest"), max_length=64)
    # Rows of `MonthFigure` counted from the facts; None: not counted yet (a month closed
    # before the figures existed), so pages read the facts until `month_figures` counts them.
    figures = models.PositiveIntegerField(_("number of figures"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="reports_one_close_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="reports_close_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class MonthSnapshot(models.Model):
    """The running month's figures, stored like a closed month's (`MonthFact`, `MonthFigure`
    rows of that month) but provisional: counted at `as_of` and refreshed by celery beat
    (`reports.tasks.refresh_running_month`), so the report of the running month reads a few
    hundred rows instead of deriving the month from the events on every request. Closing the
    month deletes it and replaces its rows by the final ones."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    as_of = models.DateTimeField(_("figures as of"))
    facts = models.PositiveIntegerField(_("number of facts"), default=0)
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    figures = models.PositiveIntegerField(_("number of figures"), default=0)

    class Meta:
        verbose_name = _("provisional month")
        verbose_name_plural = _("provisional months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="reports_one_snapshot_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d} as of {localtime(self.as_of):%Y-%m-%d %H:%M}"


class MonthFact(models.Model):
    """One thing counted in a closed month. `ref` names what is counted once (an appeal, an issue
    of an appeal, a violation, a measure, a reception, a visitor), so a figure over a subtree is
    COUNT(DISTINCT ref): an appeal forwarded down the tree counts once in the total."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=24)
    key = models.CharField(max_length=64, blank=True, default="")
    ref = models.CharField(max_length=64)
    # No foreign keys: a record must not move when reference rows do; ids are enough to link.
    appeal_id = models.BigIntegerField(null=True, blank=True)
    org_id = models.BigIntegerField(null=True, blank=True)  # null: the ministry's own act
    org_path = models.CharField(max_length=255, blank=True, default="")
    source_path = models.CharField(max_length=255, blank=True, default="")
    region_id = models.BigIntegerField(null=True, blank=True)
    district_id = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=32, blank=True, default="")
    kind = models.CharField(max_length=16, blank=True, default="")
    topic = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("month-end fact")
        verbose_name_plural = _("month-end facts")
        indexes = [
            models.Index(fields=["year", "month", "org_path"], name="reports_fact_month_path"),
            models.Index(fields=["year", "month", "metric"], name="reports_fact_month_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d} {self.metric}:{self.key} {self.ref}"


class MonthFigure(models.Model):
    """One figure of a closed month, counted once when it closed (`figures.py`): a report total
    or breakdown or a dashboard chart's bucket for one scope (the whole ministry, `scope_path`
    "", or an organisation's subtree, by its path), or one organisation's row (`org_id`)."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    scope_path = models.CharField(max_length=255, blank=True, default="")
    part = models.CharField(max_length=16)
    key = models.CharField(max_length=80, blank=True, default="")
    org_id = models.BigIntegerField(null=True, blank=True)
    org_path = models.CharField(max_length=255, blank=True, default="")
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("month-end figure")
        verbose_name_plural = _("month-end figures")
        indexes = [
            models.Index(
                fields=["scope_path", "part", "year", "month"], name="reports_figure_scope"
            ),
            models.Index(fields=["year", "month"], name="reports_figure_month"),
        ]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d} {self.scope_path or '*'} {self.part}:{self.key}"


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A report file prepared in the background (Celery): who asked, for what, how far it got.

    The scope is the requester's, resolved again when the job runs; only the requester can
    download the file."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="report_exports"
    )
    kind = models.CharField(max_length=16, default="monthly")
    fmt = models.CharField(_("format"), max_length=8)
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=255)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")

    def __str__(self) -> str:
        return f"{self.kind} {self.fmt} ({self.get_state_display()})"
