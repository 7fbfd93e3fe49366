"""The organisation tree, an organisation's page and the staff directory (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from murojaat.accounts.models import User

from .forms import OrganisationFilterForm, StaffFilterForm
from .models import Organisation
from .selectors import (
    organisation_children,
    organisation_leaders,
    organisations_search,
    staff_search,
)

ORGS_PER_PAGE = 50
STAFF_PER_PAGE = 25


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_filtering():
        data = form.cleaned_data
        results = organisations_search(
            query=data["q"] or "",
            stage=data["stage"],
            kind=data["kind"] or "",
            region_id=data["region"].pk if data["region"] else None,
        )
        page = Paginator(results, ORGS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(page=page, filtering=True, query_string=_query_without_page(request))
    else:
        roots = list(organisation_children(None))
        context.update(roots=roots, filtering=False)
        if len(roots) == 1:
            context["root_children"] = organisation_children(roots[0])
    return render(request, "orgs/tree.html", context)


@login_required
def children(request: HttpRequest, code: str) -> HttpResponse:
    """The subordinates of one node, loaded when the node is opened (htmx)."""
    org = get_object_or_404(Organisation, code=code)
    if not request.htmx:
        return redirect("orgs:detail", code=org.code)
    return render(request, "orgs/_nodes.html", {"nodes": organisation_children(org)})


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("parent", "region", "district"), code=code
    )
    context = {
        "org": org,
        "ancestors": list(org.ancestors().order_by("path")),
        "children": list(organisation_children(org).select_related("region")),
        "leaders": organisation_leaders(org),
        "staff_count": org.staff.filter(is_active=True).count(),
        "subtree_staff_count": User.objects.filter(
            is_active=True, organisation__path__startswith=org.path
        ).count(),
    }
    return render(request, "orgs/detail.html", context)


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data["q"] or "",
            "organisation": data["org"],
            "include_subordinates": data["subordinates"],
            "role": data["role"] or "",
        }
    page = Paginator(staff_search(**filters), STAFF_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/staff.html",
        {"form": form, "page": page, "query_string": _query_without_page(request)},
    )
