"""Pages for trainings (R-ORG-5) and discipline (R-ORG-6): parse, call one service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from murojaat.accounts.models import User
from murojaat.appeals.permissions import is_working_group
from murojaat.core.errors import DomainError
from murojaat.receptions.permissions import can_plan_anywhere
from murojaat.receptions.views import form_error, managed_orgs, managed_staff

from . import selectors, services
from .forms import MeasureForm, TrainingForm
from .permissions import can_see_discipline


def _quarter(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        quarter = int(request.GET.get("quarter", (today.month - 1) // 3 + 1))
    except ValueError:
        return today.year, (today.month - 1) // 3 + 1
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        return today.year, (today.month - 1) // 3 + 1
    return year, quarter


@login_required
@require_http_methods(["GET", "POST"])
def trainings(request: HttpRequest) -> HttpResponse:
    user = request.user
    year, quarter = _quarter(request)
    form = None
    if can_plan_anywhere(user):
        # The working group records for any organisation: a list of every staff member would
        # be unusable there, so it gives the number; a head ticks their own staff.
        staff = User.objects.none() if is_working_group(user) else managed_staff(user)
        form = TrainingForm(request.POST or None, orgs=managed_orgs(user), staff=staff)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.training_record(
                    actor=user,
                    organisation=data["organisation"],
                    day=data["day"],
                    topic=data["topic"],
                    trainer=data["trainer"],
                    participants=data.get("participants") or (),
                    participants_count=data["participants_count"],
                    notes=data["notes"],
                )
            except DomainError as err:
                form_error(form, err)
            else:
                return redirect("control:trainings")
    elif request.method == "POST":
        raise Http404
    first, last = selectors.quarter_bounds(year, quarter)
    recent = selectors.trainings_visible_to(user).filter(date__gte=first, date__lte=last)[:100]
    missing = Paginator(
        selectors.training_compliance(user, year=year, quarter=quarter), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "control/trainings.html",
        {
            "show_discipline": can_see_discipline(request.user),
            "form": form,
            "trainings": recent,
            "page": missing,
            "year": year,
            "quarter": quarter,
            "quarters": (1, 2, 3, 4),
            "query_string": urlencode({"year": year, "quarter": quarter}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def discipline(request: HttpRequest) -> HttpResponse:
    """R-ORG-6: personnel data, so only heads, the working group and auditors reach it."""
    user = request.user
    if not can_see_discipline(user):
        raise Http404
    form = None
    if can_plan_anywhere(user):
        form = MeasureForm(
            request.POST or None,
            staff=managed_staff(user),
            violations=selectors.violations_to_answer(user),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            employee = data["employee"]
            try:
                services.measure_record(
                    actor=user,
                    organisation=employee.organisation,
                    employee=employee,
                    day=data["day"],
                    kind=data["kind"],
                    basis=data["basis"],
                    violation=data.get("violation"),
                )
            except DomainError as err:
                form_error(form, err)
            else:
                return redirect("control:discipline")
    elif request.method == "POST":
        raise Http404
    page = Paginator(selectors.measures_visible_to(user), 50).get_page(request.GET.get("page"))
    return render(request, "control/discipline.html", {"page": page, "form": form})
