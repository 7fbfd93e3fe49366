"""Pages for the heads' duties (R-ORG): parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from murojaat.accounts.models import Role, User
from murojaat.appeals.permissions import is_working_group
from murojaat.control.permissions import can_see_discipline
from murojaat.core.errors import DomainError, NotFound
from murojaat.orgs.models import Organisation

from . import selectors, services
from .forms import SessionForm, VisitForm
from .models import ReceptionVisit
from .permissions import can_manage, can_plan_anywhere


def managed_orgs(user: User) -> QuerySet[Organisation]:
    """Where the user may record duties: anywhere for the working group, else their own org."""
    if is_working_group(user):
        return Organisation.objects.filter(is_active=True).order_by("path")
    if can_plan_anywhere(user):
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def managed_staff(user: User, *, heads_only: bool = False) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True, organisation__isnull=False)
    if is_working_group(user):
        return qs.filter(role_grants__role=Role.HEAD) if heads_only else qs
    if can_plan_anywhere(user):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def form_error(form, err: DomainError) -> None:  # type: ignore[no-untyped-def]
    field = err.field if err.field in form.fields else None
    form.add_error(field, str(err.message))


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_plan = can_plan_anywhere(user)
    form = None
    if may_plan:
        form = SessionForm(
            request.POST or None,
            orgs=managed_orgs(user),
            staff=managed_staff(user, heads_only=True),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_plan(
                    actor=user,
                    organisation=data["organisation"],
                    leader=data["leader"],
                    kind=data["kind"],
                    day=data["day"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    notes=data["notes"],
                    override_reason=data["override_reason"],
                )
            except DomainError as err:
                form_error(form, err)
            else:
                return redirect("receptions:session", pk=session.pk)
    elif request.method == "POST":
        raise Http404
    today = timezone.localdate()
    page = Paginator(selectors.upcoming_sessions(user, today=today), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "receptions/index.html",
        {"show_discipline": can_see_discipline(user), "page": page, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        obj = selectors.session_for(user, pk)
    except NotFound as err:
        raise Http404 from err
    may_manage = can_manage(user, obj.organisation)
    form = VisitForm(request.POST if request.POST.get("action") == "visit" else None)
    error = ""
    if request.method == "POST":
        if not may_manage:
            raise Http404
        try:
            if request.POST.get("action") == "register":
                visit = obj.visits.filter(pk=request.POST.get("visit") or 0).first()
                if visit is None:
                    raise Http404
                services.visit_register_appeal(actor=user, visit=visit)
                return redirect("receptions:session", pk=obj.pk)
            if form.is_valid():
                services.visit_record(actor=user, session=obj, **form.cleaned_data)
                return redirect("receptions:session", pk=obj.pk)
        except DomainError as err:
            if request.POST.get("action") == "visit":
                form_error(form, err)
            else:
                error = str(err.message)
    visits: list[ReceptionVisit] = list(obj.visits.all())
    return render(
        request,
        "receptions/session.html",
        {"session": obj, "visits": visits, "form": form, "may_manage": may_manage, "error": error},
    )


@login_required
def leaders(request: HttpRequest) -> HttpResponse:
    """R-ORG-1: leaders' names, reception hours and work phones, as posted."""
    q = request.GET.get("q", "")
    page = Paginator(selectors.leaders_directory(request.user, search=q), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "receptions/leaders.html",
        {
            "show_discipline": can_see_discipline(request.user),
            "page": page,
            "q": q,
            "query_string": urlencode({"q": q}) if q else "",
        },
    )
