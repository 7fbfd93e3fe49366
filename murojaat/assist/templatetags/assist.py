"""The assistant's panels, each one tag in a page another app owns (a small, explicit hook)."""

from __future__ import annotations

from typing import Any

from django import template

from murojaat.appeals import workflow
from murojaat.appeals.models import AppealState
from murojaat.appeals.permissions import appeal_sides, is_working_group

from .. import selectors, services
from ..models import FlagState, UrgentFlag
from ..triage import RULES

register = template.Library()


def _can_route(user: Any, appeal: Any) -> bool:
    """The route form is offered (the same table the case page asks)."""
    try:
        transition = workflow.appeal_transition(
            appeal.state, "route", closure_mode=appeal.procedure.closure_mode
        )
    except workflow.TransitionRefused:
        return False
    return bool(transition.sides & appeal_sides(user))


@register.inclusion_tag("assist/_case_panel.html", takes_context=True)
def assist_case_panel(context: dict[str, Any], appeal: Any) -> dict[str, Any]:
    """On the appeal's page: the urgent flag, the routing suggestions (with the route form),
    possible duplicates and the campaign; each only to those who may see it."""
    request = context["request"]
    user = request.user
    wg = is_working_group(user)
    flag = UrgentFlag.objects.filter(appeal=appeal).select_related("decided_by").first()
    suggestions = []
    if wg and appeal.state == AppealState.NEW and _can_route(user, appeal):
        suggestions = services.suggest_receivers(user=user, appeal=appeal)
    return {
        "request": request,
        "appeal": appeal,
        "flag": flag,
        "flag_open": flag is not None and flag.state == FlagState.OPEN,
        "is_wg": wg,
        "suggestions": suggestions,
        "duplicates": selectors.duplicates_for_appeal(user, appeal),
        "campaign": selectors.campaign_for_appeal(user, appeal) if wg else None,
        "rule_labels": {code: rule.label for code, rule in RULES.items()},
        "can_mark": wg and appeal.is_open and flag is None,
    }


@register.inclusion_tag("assist/_alerts_banner.html", takes_context=True)
def assist_alerts(context: dict[str, Any]) -> dict[str, Any]:
    """On the inbox: what awaits the group's decision."""
    return {"counts": selectors.alert_counts(context["request"].user)}


@register.inclusion_tag("assist/_surges.html", takes_context=True)
def assist_surges(context: dict[str, Any]) -> dict[str, Any]:
    """On the dashboard: this week's surges the user may see."""
    user = context["request"].user
    current = services.week_start(services.local_date(services.timezone.now()))
    return {"surges": list(selectors.surges_for(user).filter(week_start__gte=current)[:20])}
