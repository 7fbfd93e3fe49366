"""The working group's alerts and the assistant's one-click decisions.

Views parse input, call one service or selector and render; every appeal is reached through
the scoped selectors, so "not yours" and "does not exist" are the same 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from murojaat.appeals.models import ReadKind
from murojaat.appeals.permissions import is_working_group
from murojaat.appeals.selectors import appeals_visible_to, can_see_personal_data, sees_everything
from murojaat.appeals.services.reads import record_reads
from murojaat.core.errors import DomainError
from murojaat.gateway.throttle import client_ip

from . import selectors, services
from .models import Campaign, DuplicateCandidate, RoutingModel, Suggestion, UrgentFlag


def _require_watcher(user: Any) -> None:
    if not (is_working_group(user) or sees_everything(user)):
        raise Http404("not found")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


def routing_figures() -> dict[str, Any]:
    """How the suggestions fared with the group: the share of routings that took the first one
    or one of the three, over the decisions logged."""
    decided = Suggestion.objects.filter(decided_at__isnull=False).aggregate(
        n=Count("pk"),
        first=Count("pk", filter=Q(decided_rank=1)),
        top3=Count("pk", filter=Q(decided_rank__gte=1)),
    )
    n = decided["n"] or 0
    return {
        "decided": n,
        "first": decided["first"] / n if n else None,
        "top3": decided["top3"] / n if n else None,
        "model": RoutingModel.objects.filter(is_active=True).first(),
    }


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_watcher(user)
    return render(
        request,
        "assist/alerts.html",
        {
            "flags": selectors.open_flags(user)[:100],
            "urgent_queue": selectors.urgent_awaiting_routing(user)[:100],
            "duplicates": selectors.open_duplicates(user)[:100],
            "campaigns": selectors.campaigns_for(user),
            "surges": selectors.surges_for(user)[:50],
            "figures": routing_figures(),
            "is_wg": is_working_group(user),
        },
    )


def _flag_for(user: Any, number: str) -> UrgentFlag:
    flag = UrgentFlag.objects.filter(
        appeal__in=appeals_visible_to(user), appeal__number=number
    ).first()
    if flag is None:
        raise Http404("not found")
    return flag


@login_required
@require_POST
def decide_flag(request: HttpRequest, number: str) -> HttpResponse:
    flag = _flag_for(request.user, number)
    urgent = request.POST.get("urgent") == "1"
    try:
        services.decide_flag(
            actor=request.user, flag=flag, urgent=urgent, comment=request.POST.get("comment", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Recorded: the appeal is urgent.") if urgent else _("Recorded: the flag is cleared."),
        )
    return _back(request, reverse("appeals:detail", args=[number]))


@login_required
@require_POST
def mark_urgent(request: HttpRequest, number: str) -> HttpResponse:
    appeal = appeals_visible_to(request.user).filter(number=number).first()
    if appeal is None:
        raise Http404("not found")
    try:
        services.mark_urgent(
            actor=request.user, appeal=appeal, comment=request.POST.get("comment", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded: the appeal is urgent."))
    return _back(request, reverse("appeals:detail", args=[number]))


def _candidate_for(user: Any, pk: int) -> DuplicateCandidate:
    candidate = selectors.open_duplicates(user).filter(pk=pk).first()
    if candidate is None:
        candidate = (
            DuplicateCandidate.objects.filter(
                pk=pk,
                appeal__in=appeals_visible_to(user),
                original__in=appeals_visible_to(user),
            )
            .select_related("appeal", "original")
            .first()
        )
    if candidate is None or (not is_working_group(user) and not sees_everything(user)):
        raise Http404("not found")
    return candidate


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The new appeal and its possible original side by side, with the one-click merge."""
    candidate = _candidate_for(request.user, pk)
    # Both letters are read in full here: the trace of reads knows (issue 10).
    record_reads(
        reader=request.user,
        appeals=[candidate.appeal, candidate.original],
        kind=ReadKind.COMPARED,
        ip=client_ip(request),
    )
    pair = [
        (candidate.appeal, can_see_personal_data(request.user, candidate.appeal)),
        (candidate.original, can_see_personal_data(request.user, candidate.original)),
    ]
    return render(
        request,
        "assist/compare.html",
        {"candidate": candidate, "pair": pair, "is_wg": is_working_group(request.user)},
    )


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_for(request.user, pk)
    try:
        services.merge_candidate(actor=request.user, candidate=candidate)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("assist:compare", pk=pk)
    messages.success(
        request,
        _("The appeal was merged into %(number)s.") % {"number": candidate.original.number},
    )
    return redirect("appeals:detail", number=candidate.original.number)


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_for(request.user, pk)
    try:
        services.dismiss_candidate(actor=request.user, candidate=candidate)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded: not a duplicate."))
    return _back(request, reverse("appeals:detail", args=[candidate.appeal.number]))


def _campaign_for(user: Any, pk: int) -> Campaign:
    _require_watcher(user)
    campaign = (
        Campaign.objects.filter(pk=pk, lead__in=appeals_visible_to(user))
        .select_related("lead")
        .first()
    )
    if campaign is None:
        raise Http404("not found")
    return campaign


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign_for(request.user, pk)
    return render(
        request,
        "assist/campaign.html",
        {"view": selectors.campaign_view(request.user, c), "is_wg": is_working_group(request.user)},
    )


@login_required
@require_POST
def merge_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign_for(request.user, pk)
    try:
        result = services.merge_campaign(actor=request.user, campaign=c)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("assist:campaign", pk=pk)
    messages.success(
        request,
        _("%(n)s letters were merged into %(number)s; it is answered once.")
        % {"n": len(result.merged), "number": c.lead.number},
    )
    for number, reason in result.refused:
        messages.warning(request, f"{number}: {reason}")
    return redirect("assist:campaign", pk=pk)


@login_required
@require_POST
def acknowledge_surge(request: HttpRequest, pk: int) -> HttpResponse:
    surge = selectors.surges_for(request.user).filter(pk=pk).first()
    if surge is None:
        raise Http404("not found")
    try:
        services.acknowledge_surge(actor=request.user, surge=surge)
    except DomainError as exc:
        messages.error(request, str(exc))
    return _back(request, reverse("assist:alerts"))
