"""Pages of the party module: read by any signed-in user, edited by admins.

Views parse input, call one selector or service and render; the rules live in the pure modules.
"""

from __future__ import annotations

from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from murojaat.accounts.models import Role
from murojaat.core.errors import DomainError, NotFound

from . import apportionment, exports, results_csv, selectors, services
from .forms import (
    AllocateForm,
    DayForm,
    ImportResultsForm,
    LawVersionForm,
    PartyFilterForm,
    WhatIfForm,
)
from .models import LawVersion, MethodChoice, Orientation


def _can_edit(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_role(Role.ADMIN)


def admin_required(view):  # type: ignore[no-untyped-def]
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _can_edit(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _get(fn, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The module's landing page: the stages (K-1), the registry today, the elections."""
    today = date.today()
    return render(
        request,
        "parties/index.html",
        {
            "stages": selectors.stages(),
            "party_count": selectors.party_list().count(),
            "registered": selectors.parties_registered_on(day=today),
            "elections": selectors.election_list(),
            "law": selectors.law_in_force(day=today),
            "today": today,
        },
    )


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    form = PartyFilterForm(request.GET or None)
    parties = selectors.party_list()
    on: date | None = None
    possibly: list[Any] = []
    if form.is_valid():
        data = form.cleaned_data
        parties = selectors.party_list(
            query=data["q"], orientation=data["orientation"], kind=data["kind"]
        )
        on = data["on"]
        if on:
            registered = {p.pk for p in selectors.parties_registered_on(day=on)}
            maybe = {p.pk for p in selectors.parties_registered_on(day=on, possibly=True)}
            possibly = list(parties.filter(pk__in=maybe))
            parties = parties.filter(pk__in=registered)
    return render(
        request,
        "parties/party_list.html",
        {
            "form": form,
            "parties": parties,
            "possibly": possibly,
            "on": on,
            "orientations": Orientation,
        },
    )


@login_required
def party_detail(request: HttpRequest, slug: str) -> HttpResponse:
    party = _get(selectors.party_get, slug=slug)
    form = DayForm(request.GET or None)
    check = None
    if form.is_valid():
        check = selectors.registration_check(party=party, day=form.cleaned_data["day"])
    return render(
        request,
        "parties/party_detail.html",
        {
            "party": party,
            "history": selectors.party_history(party=party),
            "became": selectors.party_became(party=party),
            "svg": mark_safe(selectors.lineage_svg(focus=party, title=party.name)),  # noqa: S308
            "memberships": party.memberships.all(),
            "branches": party.branches.select_related("region"),
            "results": selectors.party_results(party=party),
            "form": form,
            "check": check,
        },
    )


@login_required
def lineage(request: HttpRequest) -> HttpResponse:
    """K-5: who became whom. The SVG escapes every label itself (lineage.svg)."""
    svg = selectors.lineage_svg(title=_("Lineage of Kazakhstan's parties"))
    return render(request, "parties/lineage.html", {"svg": mark_safe(svg)})  # noqa: S308


@login_required
def law_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parties/law_list.html",
        {"laws": LawVersion.objects.all(), "can_edit": _can_edit(request)},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def law_add(request: HttpRequest) -> HttpResponse:
    form = LawVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        law = form.save()
        messages.success(request, _("Law version “%(title)s” added.") % {"title": law.title})
        return redirect("parties:laws")
    return render(request, "parties/law_form.html", {"form": form})


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    reports = [selectors.election_report(election=e) for e in selectors.election_list()]
    return render(request, "parties/election_list.html", {"reports": reports})


@login_required
def election_detail(request: HttpRequest, slug: str) -> HttpResponse:
    election = _get(selectors.election_get, slug=slug)
    report = selectors.election_report(election=election)
    return render(
        request,
        "parties/election_detail.html",
        {
            "election": election,
            "report": report,
            "chart": _seat_vote_chart(report),
            "can_edit": _can_edit(request),
            "import_form": ImportResultsForm(),
            "tie_rule": election.get_tie_rule_display(),
        },
    )


@admin_required
@require_POST
def election_import(request: HttpRequest, slug: str) -> HttpResponse:
    election = _get(selectors.election_get, slug=slug)
    form = ImportResultsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            n = services.election_import_results(
                election=election, text=form.cleaned_data["content"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(n)d lists imported.") % {"n": n})
            return redirect("parties:election", slug=election.slug)
    return render(
        request,
        "parties/election_detail.html",
        {
            "election": election,
            "report": selectors.election_report(election=election),
            "can_edit": True,
            "import_form": form,
            "tie_rule": election.get_tie_rule_display(),
        },
        status=400,
    )


@login_required
def election_what_if(request: HttpRequest, slug: str) -> HttpResponse:
    election = _get(selectors.election_get, slug=slug)
    form = WhatIfForm(request.GET or None)
    table = None
    if form.is_valid():
        table = selectors.election_what_if(
            election=election,
            methods=form.cleaned_data["methods"],
            thresholds=form.cleaned_data["thresholds"],
            min_parties=form.cleaned_data["min_parties"],
        )
    elif not request.GET:
        table = selectors.election_what_if(
            election=election,
            methods=[m.value for m in apportionment.Method],
            thresholds=[election.threshold],
        )
    labels = dict(MethodChoice.choices)
    headers = [(labels[m], t) for m, t in table.columns] if table else []
    return render(
        request,
        "parties/what_if.html",
        {"election": election, "form": form, "table": table, "headers": headers},
    )


@login_required
def allocate(request: HttpRequest) -> HttpResponse:
    """A calculator: paste party,votes and see the seats (the CLI's rules, in a page)."""
    form = AllocateForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            parsed = results_csv.parse(data["text"])
            alloc = apportionment.allocate(
                parsed.votes,
                data["seats"],
                method=data["method"],
                threshold=apportionment.percent(data["threshold"]),
                votes_cast=parsed.votes_cast,
                min_parties=data["min_parties"],
            )
        except (results_csv.ResultsFileError, apportionment.ApportionmentError) as exc:
            form.add_error("text", str(exc))
        else:
            rows = [
                (name, parsed.votes[name], seats, name in alloc.qualified or name in alloc.admitted)
                for name, seats in alloc.ordered(parsed.votes)
            ]
            return render(
                request,
                "parties/allocate.html",
                {"form": form, "rows": rows, "allocation": alloc, "parsed": parsed},
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "parties/allocate.html", {"form": form, "rows": rows}, status=status)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _seat_vote_chart(report: selectors.ElectionReport) -> dict[str, Any]:
    """Each list's share of the lists' votes against its share of seats (official, computed)."""
    listed = sum((r.votes for r in report.rows), 0)
    seats = report.election.list_seats

    def points(attr: str) -> list[dict[str, Any]]:
        return [
            {
                "x": _round(float(r.votes / listed * 100)),
                "y": _round((getattr(r, attr) or 0) / seats * 100),
                "name": r.party.display_name if r.party else r.name,
            }
            for r in report.rows
        ]

    return {
        "official": points("official") if listed and seats and report.has_official else [],
        "computed": points("computed") if listed and seats and report.allocation else [],
        "i18n": {
            "official": _("Official seats"),
            "computed": _("Computed seats"),
            "proportional": _("Proportional (seats = votes)"),
            # xgettext:no-python-format
            "vote_share": _("% of the lists' votes"),
            # xgettext:no-python-format
            "seat_share": _("% of seats"),
        },
    }


@login_required
def analytics(request: HttpRequest) -> HttpResponse:
    points = selectors.party_system_series()
    chart = {
        "labels": [str(p.election.date.year) for p in points],
        "enp_votes_low": [_round(p.measures.enp_votes.low) for p in points],
        "enp_votes_high": [_round(p.measures.enp_votes.high) for p in points],
        "enp_seats": [_round(p.measures.enp_seats) for p in points],
        "gallagher_low": [
            _round(p.measures.gallagher.low if p.measures.gallagher else None) for p in points
        ],
        "gallagher_high": [
            _round(p.measures.gallagher.high if p.measures.gallagher else None) for p in points
        ],
        "largest_votes": [_round(p.measures.largest_vote_share) for p in points],
        "largest_seats": [_round(p.measures.largest_seat_share) for p in points],
        "volatility": [_round(p.volatility) for p in points],
        "seat_votes": [
            {
                "label": p.election.display_name,
                "points": [
                    {"x": _round(v), "y": _round(s), "name": name} for name, v, s in p.seat_votes
                ],
            }
            for p in points
        ],
        "i18n": {
            "volatility": _("Pedersen volatility"),
            "proportional": _("Proportional (seats = votes)"),
            # xgettext:no-python-format
            "vote_share": _("% of the lists' votes"),
            # xgettext:no-python-format
            "seat_share": _("% of seats"),
            "enp_votes_low": _("Effective number of parties by votes (lower bound)"),
            "enp_votes_high": _("Effective number of parties by votes (upper bound)"),
            "enp_seats": _("Effective number of parties by seats"),
            "gallagher_low": _("Gallagher index (lower bound)"),
            "gallagher_high": _("Gallagher index (upper bound)"),
            # xgettext:no-python-format
            "largest_votes": _("Largest party, % of votes"),
            # xgettext:no-python-format
            "largest_seats": _("Largest party, % of seats"),
        },
    }
    return render(
        request,
        "parties/analytics.html",
        {"points": points, "chart": chart},
    )


_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "json": ("application/json", exports.to_json),
}


def _export(table: exports.Table, fmt: str) -> HttpResponse:
    if fmt not in _FORMATS:
        raise Http404(_("Unknown export format."))
    content_type, write = _FORMATS[fmt]
    response = HttpResponse(write(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{table.stem}.{fmt}"'
    return response


@login_required
def export_registry(request: HttpRequest, fmt: str) -> HttpResponse:
    """The registry as a file; ``?day=YYYY-MM-DD`` adds each party's registration status then."""
    day = None
    if request.GET.get("day"):
        form = DayForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(
                _("The date is not valid; use YYYY-MM-DD."), content_type="text/plain"
            )
        day = form.cleaned_data["day"]
    return _export(exports.registry(day=day), fmt)


@login_required
def export_election(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    election = _get(selectors.election_get, slug=slug)
    return _export(exports.election(election=election), fmt)


@login_required
def export_analytics(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(exports.analytics_table(), fmt)
