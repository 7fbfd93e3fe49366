"""Pages: the notification centre, the head's daily digest, preferences with Telegram linking,
and the citizen's tracking-code re-send (public, no login)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from murojaat.appeals.deadlines import local_date
from murojaat.gateway import throttle

from . import citizens, selectors, services, telegram_link
from .forms import PreferencesForm, ResendConfirmForm, ResendRequestForm
from .models import Profile

SESSION_RESEND = "notifications_resend"


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    rows = selectors.inbox_of(request.user)  # type: ignore[arg-type]
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "only_unread": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one message read and open what it is about (a link inside this site only)."""
    row = get_object_or_404(selectors.inbox_of(request.user), pk=pk)  # type: ignore[arg-type]
    services.mark_read(request.user, pk)  # type: ignore[arg-type]
    target = row.link
    if target.startswith(settings.MUROJAAT_SITE_URL.rstrip("/")):
        target = target[len(settings.MUROJAAT_SITE_URL.rstrip("/")) :] or "/"
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notifications:centre")
    return redirect(target)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.user)  # type: ignore[arg-type]
    return redirect("notifications:centre")


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    day = local_date(timezone.now())
    return render(
        request,
        "notifications/digest.html",
        {"digest": selectors.digest_for(request.user, day)},  # type: ignore[arg-type]
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            user,  # type: ignore[arg-type]
            enabled=form.choices(),
            quiet_from=form.cleaned_data["quiet_from"],
            quiet_until=form.cleaned_data["quiet_until"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    profile = Profile.objects.filter(user=user).first()
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "telegram_linked": bool(profile and profile.telegram_chat_id),
            "telegram_enabled": bool(settings.MUROJAAT_TELEGRAM_TOKEN),
            "bot_name": settings.MUROJAAT_TELEGRAM_BOT_NAME,
        },
    )


@login_required
@require_POST
def telegram_code(request: HttpRequest) -> HttpResponse:
    code = telegram_link.issue_link_code(request.user)  # type: ignore[arg-type]
    messages.info(
        request,
        _("Send “/start %(code)s” to the bot within 15 minutes to link your Telegram.")
        % {"code": code},
    )
    return redirect("notifications:preferences")


@login_required
@require_POST
def telegram_unlink(request: HttpRequest) -> HttpResponse:
    telegram_link.unlink(request.user)  # type: ignore[arg-type]
    messages.success(request, _("Telegram is no longer linked."))
    return redirect("notifications:preferences")


def _throttled(request: HttpRequest) -> bool:
    name = f"tracking-resend:{throttle.client_ip(request)}"
    return throttle.hit(name, 10, 3600) > 0


def resend(request: HttpRequest) -> HttpResponse:
    """Step 1: the number and the contact on file; a one-time code goes there if they match."""
    form = ResendRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, _("Too many attempts. Try again in an hour."))
        else:
            resend_id = citizens.request_resend(
                number=form.cleaned_data["number"], contact=form.cleaned_data["contact"]
            )
            # The same answer whether or not they matched: the page reveals nothing.
            request.session[SESSION_RESEND] = resend_id or 0
            return redirect("notifications:resend_confirm")
    return render(request, "notifications/resend.html", {"form": form})


def resend_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the one-time code gives a new tracking code, shown once and sent to the contact."""
    if SESSION_RESEND not in request.session:
        return redirect("notifications:resend")
    form = ResendConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = citizens.confirm_resend(
            int(request.session[SESSION_RESEND] or 0), form.cleaned_data["code"]
        )
        if confirmed is not None:
            del request.session[SESSION_RESEND]
            return render(
                request,
                "notifications/resend_done.html",
                {"confirmed": confirmed, "track_url": services.tracking_link()},
            )
        form.add_error("code", _("The code is wrong or has expired. Ask for a new one."))
    return render(request, "notifications/resend_confirm.html", {"form": form})
