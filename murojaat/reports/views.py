"""Dashboards, their XLSX export and the monthly report (R-ORG-7).

The working group and auditors see the whole ministry; every other member of staff sees their
own organisation and everything under it. Views only parse the period, call the selectors and
render (HTML with Chart.js, or XLSX with openpyxl).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from murojaat.appeals.deadlines import local_date
from murojaat.appeals.forms import BootstrapForm
from murojaat.appeals.models import Outcome

from . import selectors, xlsx
from .selectors import Period, Scope


def today_local() -> date:
    return local_date(timezone.now())


class PeriodForm(BootstrapForm):
    """A BootstrapForm so that a date that does not parse is marked and described next to it."""

    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    def period(self, today: date) -> Period:
        """Default: from the first of January to today."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("date_from") or today.replace(month=1, day=1)
        end = data.get("date_to") or today
        if end < start:
            start, end = end, start
        return Period(start=start, end=end)


class MonthForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month", "class": "form-control form-control-sm"}),
    )

    def year_month(self, today: date) -> tuple[int, int]:
        value = (self.data.get("month") or "").strip() if self.is_bound else ""
        try:
            year, month = (int(part) for part in value.split("-", 1))
            date(year, month, 1)
        except (ValueError, TypeError):
            return today.year, today.month
        return year, month


def _scope(request: HttpRequest) -> Scope:
    scope = selectors.scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def scope_title(scope: Scope) -> str:
    return _("Whole ministry") if scope.whole_ministry else scope.org.name  # type: ignore[union-attr]


def summary_labels(scope: Scope) -> dict[str, str]:
    """The cards name what they count: the working group counts appeals registered and waiting
    to be routed; an organisation counts appeals sent into its subtree and waiting to be
    accepted (see `selectors.intake_summary`)."""
    if scope.whole_ministry:
        today, month, backlog = (
            _("Received today"),
            _("Received this month"),
            _("Awaiting routing"),
        )
    else:
        today, month, backlog = (
            _("Sent to us today"),
            _("Sent to us this month"),
            _("Awaiting acceptance"),
        )
    return {
        "today": today,
        "month": month,
        "backlog": backlog,
        "open": _("Open appeals"),
        "overdue": _("Overdue appeals"),
    }


def _region_label(bucket: selectors.Bucket) -> str:
    return bucket.label or _("Region not stated")


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    scope = _scope(request)
    today = today_local()
    form = PeriodForm(request.GET or None)
    period = form.period(today)
    data = selectors.dashboard(scope, today, period)
    for bucket in data.regions:
        bucket.label = _region_label(bucket)
    charts = {
        "channels": {
            "labels": [b.label for b in data.channels],
            "values": [b.count for b in data.channels],
        },
        "regions": {
            "labels": [b.label for b in data.regions],
            "values": [b.count for b in data.regions],
        },
        "topics": {
            "labels": [b.label for b in data.topics],
            "values": [b.count for b in data.topics],
        },
        "overdue": {
            "labels": [f.org.name for f in data.overdue[:15]],
            "values": [f.n("overdue") for f in data.overdue[:15]],
        },
        "on_time": {
            "labels": [f.org.name for f in data.on_time[:15]],
            "values": [round(f.on_time_rate or 0, 1) for f in data.on_time[:15]],
        },
        "label_count": _("Appeals"),
        "label_overdue": _("Overdue assignments"),
        "label_rate": _("On time, %"),
    }
    tables = {
        "overdue": [(f.org.name, f.n("overdue")) for f in data.overdue],
        "topics": [(b.label, b.count) for b in data.topics],
        "channels": [(b.label, b.count) for b in data.channels],
        "regions": [(b.label, b.count) for b in data.regions],
    }
    return {
        "form": form,
        "data": data,
        "tables": tables,
        "scope_title": scope_title(scope),
        "labels": summary_labels(scope),
        "charts": charts,
        "query_string": request.GET.urlencode(),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html", dashboard_context(request))


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request)
    data = context["data"]
    buffer = BytesIO()
    xlsx.dashboard_workbook(data, context["scope_title"], context["labels"]).save(buffer)
    name = f"murojaat-dashboard-{data.period.start:%Y%m%d}-{data.period.end:%Y%m%d}.xlsx"
    return _xlsx_response(buffer.getvalue(), name)


def monthly_context(request: HttpRequest) -> dict[str, Any]:
    scope = _scope(request)
    today = today_local()
    form = MonthForm(request.GET or None)
    year, month = form.year_month(today)
    report = selectors.monthly_report(scope, year, month)
    return {
        "form": form,
        "report": report,
        "month_value": f"{year:04d}-{month:02d}",
        "month_date": date(year, month, 1),
        "scope_title": scope_title(scope),
        "outcomes": Outcome.choices,
        "outcome_values": Outcome.values,
    }


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    context = monthly_context(request)
    report = context["report"]
    context["table"] = [
        (figure.org, [figure.n(c) for c in selectors.MONTHLY_COLUMNS]) for figure in report.rows
    ]
    context["totals"] = [report.totals[c] for c in selectors.MONTHLY_COLUMNS]
    return render(request, "reports/monthly.html", context)


@login_required
def monthly_export(request: HttpRequest) -> HttpResponse:
    context = monthly_context(request)
    report = context["report"]
    buffer = BytesIO()
    xlsx.monthly_workbook(report, context["scope_title"]).save(buffer)
    return _xlsx_response(
        buffer.getvalue(), f"murojaat-monthly-{report.year:04d}-{report.month:02d}.xlsx"
    )
