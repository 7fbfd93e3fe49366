"""Published statistics (L-11, art. 35): a public page per quarter and level (the ministry or a
region), with charts, and the open data as CSV and JSON. No sign-in; nothing personal."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from murojaat.appeals.models import Channel, Outcome, Topic
from murojaat.orgs.models import Region

from . import public


def _params(request: HttpRequest) -> tuple[int, int, Region | None]:
    today = date.today()
    current = (today.month - 1) // 3 + 1
    try:
        year = int(request.GET.get("year", today.year))
        quarter = int(request.GET.get("quarter", current))
    except ValueError:
        year, quarter = today.year, current
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= today.year:
        year, quarter = today.year, current
    region = None
    code = request.GET.get("region", "")
    if code:
        region = Region.objects.filter(soato=code).first()
        if region is None:
            raise Http404("no such region")
    return year, quarter, region


@cache_page(300)
def statistics(request: HttpRequest) -> HttpResponse:
    year, quarter, region = _params(request)
    stats = public.quarter_statistics(year, quarter, region)
    channels = dict(Channel.choices)
    topic_names = {t.code: t.name for t in Topic.objects.filter(code__in=stats.topics)}
    outcome_labels = dict(Outcome.choices)
    query = {"year": year, "quarter": quarter} | ({"region": region.soato} if region else {})
    charts = {
        "extra": [
            {
                "id": "outcomes",
                "label": _("Issues"),
                "labels": [str(outcome_labels[o]) for o in Outcome.values],
                "values": [stats.outcomes[o] for o in Outcome.values],
                "horizontal": True,
            },
            {
                "id": "channels",
                "label": _("Appeals"),
                "labels": [str(channels.get(c, c)) for c in stats.channels],
                "values": list(stats.channels.values()),
                "horizontal": True,
            },
            {
                "id": "topics",
                "label": _("Appeals"),
                "labels": [topic_names.get(t, t or _("No topic")) for t in stats.topics],
                "values": list(stats.topics.values()),
                "horizontal": True,
            },
        ]
    }
    return render(
        request,
        "reports/public_statistics.html",
        {
            "stats": stats,
            "year": year,
            "quarter": quarter,
            "quarters": (1, 2, 3, 4),
            "years": list(range(date.today().year, public.first_year() - 1, -1)),
            "regions": Region.objects.order_by("soato"),
            "region": region,
            "outcomes": [(outcome_labels[o], stats.outcomes[o], "") for o in Outcome.values],
            "channels": [(channels.get(c, c), n, "") for c, n in stats.channels.items()],
            "topics": [
                (topic_names.get(t, t or _("No topic")), n, "") for t, n in stats.topics.items()
            ],
            "charts": charts,
            "csv_url": reverse("public:open_data", args=["csv"]) + "?" + urlencode(query),
            "json_url": reverse("public:open_data", args=["json"]) + "?" + urlencode(query),
        },
    )


@cache_page(300)
def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404("unknown format")
    year, quarter, region = _params(request)
    rows = public.open_data_rows(year, quarter, region)
    name = f"murojaat-{year}-q{quarter}" + (f"-{region.soato}" if region else "")
    if fmt == "json":
        body = json.dumps(
            {"year": year, "quarter": quarter, "fields": public.OPEN_DATA_FIELDS, "rows": rows},
            ensure_ascii=False,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=public.OPEN_DATA_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
