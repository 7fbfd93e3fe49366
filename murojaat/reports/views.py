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
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from murojaat.appeals import selectors as appeal_selectors
from murojaat.appeals.deadlines import local_date
from murojaat.appeals.forms import BootstrapForm
from murojaat.orgs.models import District, Organisation, Region

from . import exports, official, selectors, xlsx
from . import monthly as monthly_figures
from .models import ExportJob, ExportState
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


class DrillDown:
    """Links from a dashboard figure to the inbox listing the appeals behind it, with the same
    filters (period, organisation, channel, topic, region). The inbox applies the viewer's own
    scope, so a link can never list what its viewer may not open."""

    def __init__(self, scope: Scope, period: Period, today: date) -> None:
        self.base = reverse("appeals:inbox")
        self.org = scope.org.code if scope.org is not None else None
        self.period = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
        self.today = today
        self.whole = scope.whole_ministry

    def _url(self, **query: Any) -> str:
        if self.org and "org" not in query:
            query["org"] = self.org
        return f"{self.base}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"

    def appeals(self, **filters: Any) -> str:
        return self._url(tab="all", **self.period, **filters)

    def overdue(self, org: Organisation | None = None) -> str:
        return self._url(tab="overdue", org=org.code if org else self.org)

    def cards(self) -> dict[str, str]:
        today = self.today.isoformat()
        return {
            "today": self._url(tab="all", date_from=today, date_to=today),
            "month": self._url(tab="all", date_from=self.today.replace(day=1).isoformat()),
            "backlog": self._url(tab="routing" if self.whole else "to_accept"),
            "open": self._url(tab="all", open="1"),
            "overdue": self.overdue(),
        }


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
    links = DrillDown(scope, period, today)
    region_pks = dict(
        Region.objects.filter(soato__in=[b.key for b in data.regions if b.key]).values_list(
            "soato", "pk"
        )
    )
    link_lists = {
        "overdue": [links.overdue(f.org) for f in data.overdue],
        "on_time": [links.appeals(org=f.org.code) for f in data.on_time],
        "topics": [links.appeals(topic=b.key) for b in data.topics],
        "channels": [links.appeals(channel=b.key) for b in data.channels],
        "regions": [
            links.appeals(region=region_pks[b.key]) if b.key in region_pks else ""
            for b in data.regions
        ],
    }
    for name, urls in link_lists.items():
        charts[name]["links"] = urls[:15] if name in ("overdue", "on_time") else urls
    tables = {
        "overdue": [
            (f.org.name, f.n("overdue"), link_lists["overdue"][i])
            for i, f in enumerate(data.overdue)
        ],
        "topics": [(b.label, b.count, link_lists["topics"][i]) for i, b in enumerate(data.topics)],
        "channels": [
            (b.label, b.count, link_lists["channels"][i]) for i, b in enumerate(data.channels)
        ],
        "regions": [
            (b.label, b.count, link_lists["regions"][i]) for i, b in enumerate(data.regions)
        ],
    }
    trend = monthly_figures.trend(exports.monthly_filter(scope, exports.MonthlyParams(0, 0)))
    charts["trend"] = {
        "labels": [date_format(date(y, m, 1), "YEAR_MONTH_FORMAT") for y, m, _v in trend],
        "values": [v["received"] for _y, _m, v in trend],
        "links": [
            reverse("reports:monthly") + f"?month={y:04d}-{m:02d}&column=received"
            for y, m, _v in trend
        ],
    }
    return {
        "form": form,
        "data": data,
        "tables": tables,
        "scope_title": scope_title(scope),
        "labels": summary_labels(scope),
        "charts": charts,
        "query_string": request.GET.urlencode(),
        "card_links": links.cards(),
        "trend": [
            (date(y, m, 1), v, reverse("reports:monthly") + f"?month={y:04d}-{m:02d}")
            for y, m, v in trend
        ],
        "on_time_links": link_lists["on_time"],
        "live_seconds": settings.REPORTS_LIVE_SECONDS,
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


class MonthlyForm(MonthForm):
    """The month, and optionally the author's region and district (R-ORG-7: by region and
    district)."""

    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.order_by("soato"),
        required=False,
        empty_label=gettext_lazy("All regions"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("District or city"),
        queryset=District.objects.order_by("soato"),
        required=False,
        empty_label=gettext_lazy("All districts and cities"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def params(self, today: date) -> exports.MonthlyParams:
        year, month = self.year_month(today)
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        region, district = data.get("region"), data.get("district")
        return exports.MonthlyParams(
            year=year,
            month=month,
            region_id=region.pk if region else None,
            district_id=district.pk if district else None,
        )


def monthly_context(request: HttpRequest, drill: bool = False) -> dict[str, Any]:
    scope = _scope(request)
    form = MonthlyForm(request.GET or None)
    params = form.params(today_local())
    figures = monthly_figures.monthly_figures(
        params.year, params.month, exports.monthly_filter(scope, params), drill=drill
    )
    return {
        "form": form,
        "params": params,
        "figures": figures,
        "month_value": f"{params.year:04d}-{params.month:02d}",
        "month_date": date(params.year, params.month, 1),
        "scope_title": scope_title(scope),
        "place_title": official.place_title(figures),
    }


def _drill_query(params: exports.MonthlyParams, column: str, org: Any = None) -> str:
    query: dict[str, Any] = {"month": f"{params.year:04d}-{params.month:02d}", "column": column}
    if params.region_id:
        query["region"] = params.region_id
    if params.district_id:
        query["district"] = params.district_id
    if org is not None:
        query["org"] = org.code
    return urlencode(query)


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    context = monthly_context(request)
    figures = context["figures"]
    params = context["params"]
    labels = official.column_labels()
    columns = [(c, labels[c], c in official.APPEAL_COLUMNS) for c in monthly_figures.COLUMNS]
    drill = reverse("reports:monthly_appeals")

    def cells(values: dict[str, int], org: Any = None) -> list[tuple[int, str]]:
        return [
            (
                values.get(c, 0),
                f"{drill}?{_drill_query(params, c, org)}" if linked and values.get(c, 0) else "",
            )
            for c, _label, linked in columns
        ]

    context["columns"] = columns
    context["table"] = [(row.org, cells(row.values, row.org)) for row in figures.rows]
    context["totals"] = cells(figures.totals)
    context["breakdowns"] = official.breakdowns(figures)
    context["jobs"] = ExportJob.objects.filter(user=request.user)[:5]
    context["query_string"] = request.GET.urlencode()
    return render(request, "reports/monthly.html", context)


@login_required
def monthly_appeals(request: HttpRequest) -> HttpResponse:
    """The appeals behind one figure of the monthly report: the figure's facts, then the
    viewer's scoped selector, so a link never lists an appeal its viewer may not open."""
    context = monthly_context(request, drill=True)
    figures = context["figures"]
    column = request.GET.get("column", "")
    if column not in official.APPEAL_COLUMNS:
        raise Http404("no such figure")
    org = None
    if request.GET.get("org"):
        org = Organisation.objects.filter(code=request.GET["org"]).first()
        if org is None:
            raise Http404("no such organisation")
    ids = monthly_figures.appeal_ids(figures, column, org.pk if org else None)
    appeals = appeal_selectors.appeals_visible_to(request.user).filter(pk__in=ids)
    page = Paginator(appeals.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "column_label": official.column_labels()[column],
            "org": org,
            "query_string": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        }
    )
    return render(request, "reports/monthly_appeals.html", context)


def _file_response(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def monthly_export(request: HttpRequest, fmt: str = "xlsx") -> HttpResponse:
    """The monthly report as a file, at once (a closed month reads only its own figures)."""
    _scope(request)
    params = MonthlyForm(request.GET or None).params(today_local())
    content, name = exports.monthly_file(request.user, params, fmt)
    return _file_response(content, name, fmt)


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    """Prepare the monthly report's file in the background; its page shows the progress."""
    _scope(request)
    fmt = request.POST.get("fmt", "")
    if fmt not in exports.FORMATS:
        raise Http404("unknown format")
    params = MonthlyForm(request.POST).params(today_local())
    job = exports.start_export(request.user, params, fmt, get_language())
    return redirect("reports:export_job", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise Http404("not yours")
    return job


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    template = "reports/_export_job.html" if request.htmx else "reports/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state != ExportState.DONE or not job.file:
        raise Http404("not ready")
    with job.file.open("rb") as handle:
        return _file_response(handle.read(), job.filename, job.fmt)


@login_required
def discipline_ranking(request: HttpRequest) -> HttpResponse:
    """R-ORG-6, R-P2-13: organisations ranked by their discipline over the period."""
    scope = _scope(request)
    today = today_local()
    form = PeriodForm(request.GET or None)
    period = form.period(today)
    rows = selectors.discipline_ranking(scope, period)
    return render(
        request,
        "reports/discipline.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "scope_title": scope_title(scope),
            "links": DrillDown(scope, period, today),
        },
    )
