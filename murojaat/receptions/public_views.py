"""The public pages of receptions (no login): each organisation's page and poster (R-ORG-1,
R-ORG-4), booking a leader's personal or field reception (R-ORG-2, R-ORG-3), and the citizen's
own booking, opened by its reference, to cancel or move it.

Views parse input and call `booking` (the rules) or `public` (the reads)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from murojaat.accounts.models import User
from murojaat.core.errors import DomainError, NotFound
from murojaat.documents import render as documents
from murojaat.gateway import throttle
from murojaat.notifications.services import site_url
from murojaat.orgs.models import Region

from . import booking, public
from .forms import BookingForm, CodeForm, MoveForm, ReferenceForm
from .models import Booking, BookingStatus, ReceptionSession, SessionKind
from .slots import TASHKENT

SESSION_HELD = "reception_held"
SESSION_DONE = "reception_done"
SESSION_MANAGED = "reception_managed"
HOLDS_PER_HOUR = 10
CODE_FAILURES_PER_15_MIN = 10
REFERENCE_FAILURES_PER_15_MIN = 10


# --- organisations --------------------------------------------------------------------------


def org_index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    try:
        region_id = int(request.GET.get("region") or 0)
    except ValueError:
        region_id = 0
    page = Paginator(public.organisations(search=q, region_id=region_id), 50).get_page(
        request.GET.get("page")
    )
    params = {k: v for k, v in (("q", q), ("region", region_id or "")) if v}
    return render(
        request,
        "receptions/public/org_index.html",
        {
            "page": page,
            "q": q,
            "region_id": region_id,
            "regions": Region.objects.all(),
            "query_string": urlencode(params),
        },
    )


def _org_or_404(code: str) -> Any:
    try:
        return public.organisation(code)
    except NotFound as err:
        raise Http404 from err


def org_page(request: HttpRequest, code: str) -> HttpResponse:
    org = _org_or_404(code)
    today = timezone.localdate()
    officer, past_officers = public.officers(org, today=today)
    return render(
        request,
        "receptions/public/org_page.html",
        {
            "org": org,
            "leaders": public.leaders(org),
            "officer": officer,
            "past_officers": past_officers,
            "field_receptions": booking.announced_field_receptions(today=today).filter(
                organisation=org
            ),
            "languages": settings.LANGUAGES,
        },
    )


def _hours_text(hours: Any) -> str:
    return _("Personal reception: working days %(start)s–%(end)s") % {
        "start": hours.starts_at.strftime("%H:%M"),
        "end": hours.ends_at.strftime("%H:%M"),
    }


def org_poster(request: HttpRequest, code: str) -> HttpResponse:
    """R-ORG-1: the A4 notice, in the language asked for (?lang=) or the page's."""
    org = _org_or_404(code)
    language = request.GET.get("lang") or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        officer, _past = public.officers(org, today=timezone.localdate())
        leaders = public.leaders(org)
        poster = documents.Poster(
            title=_("Reception of citizens"),
            organisation=str(org.name),
            address=org.address,
            phone=org.phone,
            leaders_title=_("Leaders"),
            leaders=[
                (
                    leader.full_name,
                    leader.user.position,
                    _hours_text(leader.hours),
                    _("Work phone: %(phone)s") % {"phone": leader.user.phone}
                    if leader.user.phone
                    else "",
                )
                for leader in leaders
            ],
            officer_title=_("Responsible officer for appeals"),
            officer=", ".join(p for p in (officer.full_name, officer.position, officer.phone) if p)
            if officer
            else "",
            codes=[
                documents.PosterQr(_("Write an appeal"), site_url(reverse("citizens:public_new"))),
                documents.PosterQr(
                    _("Book a reception"),
                    site_url(reverse("public_receptions:org", args=[org.code])) + "#book",
                ),
            ],
            footer=_("Printed %(date)s from the Murojaat system.")
            % {"date": date_format(timezone.localdate(), "d.m.Y")},
        )
        content = documents.poster_pdf(poster)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{org.code}-{language}.pdf"'
    return response


# --- booking --------------------------------------------------------------------------------


def receptions_index(request: HttpRequest) -> HttpResponse:
    """Where to start: find the institution, or pick an announced field reception."""
    return render(
        request,
        "receptions/public/index.html",
        {"field_receptions": booking.announced_field_receptions(today=timezone.localdate())[:50]},
    )


def _leader_or_404(pk: int) -> User:
    leader = User.objects.filter(pk=pk, is_active=True).select_related("organisation").first()
    if leader is None or not booking.is_bookable_leader(leader):
        raise Http404
    return leader


@require_http_methods(["GET", "POST"])
def book_personal(request: HttpRequest, pk: int) -> HttpResponse:
    leader = _leader_or_404(pk)
    return _book(request, leader, None)


@require_http_methods(["GET", "POST"])
def book_field(request: HttpRequest, pk: int) -> HttpResponse:
    session = (
        ReceptionSession.objects.filter(
            pk=pk, kind=SessionKind.FIELD, date__gte=timezone.localdate()
        )
        .select_related("organisation", "leader")
        .first()
    )
    if session is None:
        raise Http404
    return _book(request, session.leader, session)


def _days(leader: User, session: ReceptionSession | None) -> list[booking.Day]:
    return booking.field_days(session) if session else booking.personal_days(leader)


def _day_of(slot: str) -> date | None:
    try:
        return datetime.fromisoformat(slot).astimezone(TASHKENT).date()
    except ValueError:
        return None


def _book(request: HttpRequest, leader: User, session: ReceptionSession | None) -> HttpResponse:
    form = BookingForm()
    alternatives: list[datetime] = []
    chosen = ""
    if request.method == "POST":
        wait = throttle.hit(
            f"reception-hold:{throttle.client_ip(request)}",
            throttle.setting("MUROJAAT_RECEPTION_HOLDS_PER_HOUR", HOLDS_PER_HOUR),
            3600,
        )
        if wait:
            return throttle.too_many(request, wait)
        form = BookingForm(request.POST)
        chosen = request.POST.get("slot", "")
        if form.is_valid():
            data = form.cleaned_data
            try:
                held = booking.hold(
                    leader=leader,
                    slot=data["slot"],
                    name=data["name"],
                    phone=data["phone"],
                    topic=data["topic"],
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    session=session,
                )
            except booking.SlotTaken as err:
                alternatives = err.alternatives
                form.add_error("slot", str(err.message))
                chosen = ""
            except DomainError as err:
                form.add_error(err.field if err.field in form.fields else None, str(err.message))
            else:
                request.session[SESSION_HELD] = {
                    "id": held.booking.pk,
                    "reference": held.reference,
                }
                return redirect("public_receptions:confirm")
    return render(
        request,
        "receptions/public/book.html",
        {
            "leader": leader,
            "org": leader.organisation,
            "session": session,
            "days": _days(leader, session),
            "form": form,
            "alternatives": alternatives,
            "chosen": chosen,
            "chosen_day": _day_of(chosen),
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    held = request.session.get(SESSION_HELD)
    if not held:
        return redirect("public_receptions:index")
    pending = (
        Booking.objects.select_related("leader", "organisation", "session")
        .filter(pk=held["id"])
        .first()
    )
    if pending is None:
        request.session.pop(SESSION_HELD, None)
        return redirect("public_receptions:index")
    form = CodeForm()
    if request.method == "POST":
        name = f"reception-code-fail:{throttle.client_ip(request)}"
        wait = throttle.hit(
            name,
            throttle.setting("MUROJAAT_RECEPTION_CODE_FAILURES", CODE_FAILURES_PER_15_MIN),
            900,
        )
        if wait:
            return throttle.too_many(request, wait)
        form = CodeForm(request.POST)
        if form.is_valid():
            confirmed = booking.confirm(
                pending.pk, form.cleaned_data["code"], reference=held["reference"]
            )
            if confirmed is not None:
                throttle.forgive(name, 900)
                request.session.pop(SESSION_HELD, None)
                request.session[SESSION_DONE] = {"id": confirmed.pk, "reference": held["reference"]}
                return redirect("public_receptions:done")
            form.add_error(
                "code",
                _("The code is wrong or has expired. Check the SMS, or book the time again."),
            )
    return render(
        request,
        "receptions/public/confirm.html",
        {
            "booking": pending,
            "form": form,
            "expired": pending.status != BookingStatus.PENDING
            or (pending.code_expires_at is not None and pending.code_expires_at <= timezone.now()),
        },
    )


def done(request: HttpRequest) -> HttpResponse:
    """Shown once after confirming: the time, the place and the reference."""
    data = request.session.pop(SESSION_DONE, None)
    if not data:
        return redirect("public_receptions:manage")
    confirmed = Booking.objects.select_related("leader", "organisation", "session").get(
        pk=data["id"]
    )
    request.session[SESSION_MANAGED] = confirmed.pk
    return render(
        request,
        "receptions/public/done.html",
        {
            "booking": confirmed,
            "reference": data["reference"],
            "place": booking.place_of(confirmed),
        },
    )


def _place(item: Booking) -> str:
    """Where to come, beside the organisation's name: the field reception's place or the
    organisation's address."""
    return item.session.place if item.session is not None else item.organisation.address


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    form = ReferenceForm()
    if request.method == "POST":
        name = f"reception-ref-fail:{throttle.client_ip(request)}"
        wait = throttle.hit(
            name,
            throttle.setting(
                "MUROJAAT_RECEPTION_REFERENCE_FAILURES", REFERENCE_FAILURES_PER_15_MIN
            ),
            900,
        )
        if wait:
            return throttle.too_many(request, wait)
        form = ReferenceForm(request.POST)
        if form.is_valid():
            found = booking.by_reference(form.cleaned_data["reference"])
            if found is not None:
                throttle.forgive(name, 900)
                request.session.cycle_key()
                request.session[SESSION_MANAGED] = found.pk
                return redirect("public_receptions:my_booking")
            form.add_error("reference", _("No booking was found with this reference."))
    return render(request, "receptions/public/manage.html", {"form": form})


@require_http_methods(["GET", "POST"])
def my_booking(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_MANAGED)
    mine = (
        Booking.objects.select_related("leader", "organisation", "session").filter(pk=pk).first()
        if pk
        else None
    )
    if mine is None:
        return redirect("public_receptions:manage")
    form = MoveForm()
    alternatives: list[datetime] = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                booking.cancel(mine)
                messages.success(request, _("Your booking was cancelled."))
                return redirect("public_receptions:my_booking")
            if action == "move":
                form = MoveForm(request.POST)
                if form.is_valid():
                    booking.move(mine, form.cleaned_data["slot"])
                    messages.success(request, _("Your booking was moved."))
                    return redirect("public_receptions:my_booking")
        except booking.SlotTaken as err:
            alternatives = err.alternatives
            form.add_error("slot", str(err.message))
        except DomainError as err:
            form.add_error(err.field if err.field in form.fields else None, str(err.message))
    changeable = booking.can_change(mine)
    return render(
        request,
        "receptions/public/my_booking.html",
        {
            "booking": mine,
            "place": _place(mine),
            "changeable": changeable,
            "days": _days(mine.leader, mine.session) if changeable else [],
            "form": form,
            "alternatives": alternatives,
            "tz": TASHKENT,
        },
    )


def leave(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session.pop(SESSION_MANAGED, None)
    return redirect("public_receptions:manage")
