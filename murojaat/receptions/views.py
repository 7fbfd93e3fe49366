"""Pages for the heads' duties (R-ORG): parse input, call one service or selector, render."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from murojaat.accounts.models import Role, User
from murojaat.appeals.permissions import is_working_group
from murojaat.appeals.selectors import sees_everything
from murojaat.control.permissions import can_see_discipline
from murojaat.core.errors import DomainError, NotFound
from murojaat.orgs.models import Organisation

from . import booking, selectors, services
from .forms import AbsenceForm, OfficerForm, OutcomeForm, ScheduleForm, SessionForm, VisitForm
from .models import LeaderAbsence, LeaderSchedule, ReceptionVisit, ResponsibleOfficer
from .permissions import can_manage, can_plan_anywhere, keeps_receptions


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


# --- bookings, schedules, officers, field receptions (issue 13) -----------------------------


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day") or "")
    except ValueError:
        return timezone.localdate()


@login_required
@require_http_methods(["GET", "POST"])
def bookings(request: HttpRequest) -> HttpResponse:
    """The day's list of booked citizens: who came, the outcome, and the oral appeal."""
    user = request.user
    day = _day(request)
    if request.method == "POST":
        try:
            item = selectors.booking_for(user, int(request.POST.get("booking") or 0))
        except (NotFound, ValueError) as err:
            raise Http404 from err
        action = request.POST.get("action")
        try:
            if action == "came":
                form = OutcomeForm(request.POST)
                outcome = form.cleaned_data["outcome"] if form.is_valid() else ""
                booking.record_came(actor=user, booking=item, outcome=outcome)
                messages.success(request, _("The visit was recorded."))
            elif action == "missed":
                booking.record_missed(actor=user, booking=item)
                messages.success(request, _("Marked as not come."))
            elif action == "register" and item.visit is not None:
                visit = services.visit_register_appeal(actor=user, visit=item.visit)
                messages.success(
                    request,
                    _("Registered as appeal %(number)s.") % {"number": visit.appeal.number},  # type: ignore[union-attr]
                )
        except DomainError as err:
            messages.error(request, str(err.message))
        return redirect(f"{reverse('receptions:bookings')}?day={day.isoformat()}")
    rows = [
        (b, keeps_receptions(user, b.organisation)) for b in selectors.bookings_for_day(user, day)
    ]
    return render(
        request,
        "receptions/bookings.html",
        {
            "show_discipline": can_see_discipline(user),
            "day": day,
            "rows": rows,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's reception hours, slot length and absences, set by their office."""
    user = request.user
    # A leader who receives citizens (an organisation's head), kept by this user's office.
    leader = User.objects.filter(pk=pk).select_related("organisation").first()
    if (
        leader is None
        or leader.organisation is None
        or not booking.leaders_of(leader.organisation.pk).filter(pk=leader.pk).exists()
        or not keeps_receptions(user, leader.organisation)
    ):
        raise Http404
    current = LeaderSchedule.objects.filter(leader=leader).first()
    hours = booking.hours_of(leader)
    initial = {
        "starts_at": hours.starts_at,
        "ends_at": hours.ends_at,
        "slot_minutes": hours.minutes,
        "bookable": current.bookable if current else True,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    form = ScheduleForm(request.POST if action == "schedule" else None, initial=initial)
    absence_form = AbsenceForm(request.POST if action == "absence" else None)
    try:
        if action == "schedule" and form.is_valid():
            booking.schedule_save(actor=user, leader=leader, **form.cleaned_data)
            messages.success(request, _("The schedule was saved."))
            return redirect("receptions:schedule", pk=leader.pk)
        if action == "absence" and absence_form.is_valid():
            absence = booking.absence_add(actor=user, leader=leader, **absence_form.cleaned_data)
            told = absence.cancelled_bookings
            if told:
                messages.warning(
                    request,
                    ngettext(
                        "The absence was added. %(n)d booking on those days was cancelled "
                        "and its citizen told by SMS.",
                        "The absence was added. %(n)d bookings on those days were cancelled "
                        "and their citizens told by SMS.",
                        told,
                    )
                    % {"n": told},
                )
            else:
                messages.success(request, _("The absence was added."))
            return redirect("receptions:schedule", pk=leader.pk)
        if action == "remove":
            absence = LeaderAbsence.objects.filter(
                leader=leader, pk=request.POST.get("absence") or 0
            ).first()
            if absence is None:
                raise Http404
            booking.absence_remove(actor=user, absence=absence)
            messages.success(request, _("The absence was removed."))
            return redirect("receptions:schedule", pk=leader.pk)
    except DomainError as err:
        form_error(absence_form if action == "absence" else form, err)
    return render(
        request,
        "receptions/schedule.html",
        {
            "show_discipline": can_see_discipline(user),
            "leader": leader,
            "form": form,
            "absence_form": absence_form,
            "absences": LeaderAbsence.objects.filter(
                leader=leader, ends_on__gte=timezone.localdate()
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def officers(request: HttpRequest, pk: int) -> HttpResponse:
    """R-ORG-4: the organisation's responsible officer for appeals, and who held it before."""
    user = request.user
    org = selectors.organisations_visible_to(user).filter(pk=pk).first()
    if org is None:
        raise Http404
    may_manage = can_manage(user, org)
    form = OfficerForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if form.is_valid():
            try:
                services.officer_appoint(actor=user, organisation=org, **form.cleaned_data)
            except DomainError as err:
                form_error(form, err)
            else:
                messages.success(request, _("The responsible officer was appointed."))
                return redirect("receptions:officers", pk=org.pk)
    return render(
        request,
        "receptions/officers.html",
        {
            "show_discipline": can_see_discipline(user),
            "org": org,
            "history": ResponsibleOfficer.objects.filter(organisation=org),
            "form": form if may_manage else None,
            "leaders": booking.leaders_of(org.pk),
            "may_manage": may_manage,
        },
    )


@login_required
def field_gaps(request: HttpRequest) -> HttpResponse:
    """R-ORG-3: heads who held no field reception this quarter (the working group watches)."""
    if not is_working_group(request.user) and not sees_everything(request.user):
        raise Http404
    today = timezone.localdate()
    first, last = selectors.quarter_of(today)
    gaps = selectors.leaders_without_field_reception(request.user, today=today)
    page = Paginator(gaps, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "receptions/field_gaps.html",
        {
            "show_discipline": can_see_discipline(request.user),
            "page": page,
            "first": first,
            "last": last,
            "count": len(gaps),
        },
    )
