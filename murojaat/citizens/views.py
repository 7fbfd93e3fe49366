"""The citizen's pages: the Minister's Virtual Reception form and tracking (no login), with the
author's rating, review request and withdrawal; and the working group's list of those reviews.

Reads go through the selectors (`appeals.selectors`: the author's own appeal, the answer they
hold, the reviews in the reader's scope); writes are the engine's services."""

from __future__ import annotations

import datetime
import time
import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from murojaat.accounts.decorators import role_required, staff_user
from murojaat.accounts.models import Role
from murojaat.appeals import services as appeal_services
from murojaat.appeals.models import Appeal, Channel, DocumentKind
from murojaat.appeals.selectors import appeal_for_author, appeal_tracked_by_author
from murojaat.appeals.selectors.answers import author_attachments, current_rating, sent_answer
from murojaat.appeals.selectors.citizen import (
    appeal_of_phone,
    appeals_of_phone,
    author_history,
    current_holder,
)
from murojaat.appeals.selectors.reviews import (
    latest_review_of,
    review_item_for,
    review_items_for,
    review_statuses,
)
from murojaat.core.errors import DomainError, NotFound
from murojaat.gateway import throttle
from murojaat.notifications import citizens as one_time_codes
from murojaat.notifications.forms import ResendConfirmForm

from . import wording
from .forms import (
    PhoneForm,
    PublicAppealForm,
    RatingForm,
    ReviewDecisionForm,
    ReviewForm,
    TrackForm,
    WithdrawForm,
)

SUBMISSIONS_PER_HOUR = 10
TRACK_FAILURES_PER_15_MIN = 10
SESSION_DONE = "gateway_public_done"
SESSION_TRACKED = "gateway_tracked"
# Issue 13: the phone a citizen proved with a one-time code, and until when (epoch seconds).
SESSION_PHONE = "citizens_phone"
SESSION_PHONE_REQUEST = "citizens_phone_request"
PHONE_SESSION_SECONDS = 30 * 60
PHONE_REQUESTS_PER_HOUR = 10
STAFF_ROLES = (Role.WG_MEMBER, Role.WG_HEAD, Role.ADMIN)
staff_only = role_required(*STAFF_ROLES)


# --- public: submit -------------------------------------------------------------------------


def public_new(request: HttpRequest) -> HttpResponse:
    """The Minister's Virtual Reception (R-P3-1): anyone may write, no account needed. An
    oversized body never gets here (BodySizeLimitMiddleware refuses it unread)."""
    form = PublicAppealForm(initial={"submission": uuid.uuid4()})
    if request.method == "POST":
        wait = throttle.hit(
            f"public-new:{throttle.client_ip(request)}",
            throttle.setting("MUROJAAT_PUBLIC_SUBMISSIONS_PER_HOUR", SUBMISSIONS_PER_HOUR),
            3600,
        )
        if wait:
            return throttle.too_many(request, wait)
        form = PublicAppealForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                registration = _register_public(form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                if registration.created:
                    request.session[SESSION_DONE] = {
                        "number": registration.appeal.number,
                        "code": registration.tracking_code,
                    }
                else:
                    # The same form sent again: the appeal exists and its code was shown once.
                    request.session[SESSION_DONE] = {
                        "number": registration.appeal.number,
                        "code": None,
                    }
                return redirect("citizens:public_done")
    return render(request, "citizens/new.html", {"form": form})


def _register_public(data: dict[str, Any]) -> appeal_services.Registration:
    with transaction.atomic():
        registration = appeal_services.register_appeal(
            actor=None,
            channel=Channel.MINISTER_VR,
            text=data["text"],
            kind=data["kind"],
            author_type=data["author_type"],
            author_name=data["author_name"],
            author_organisation=data["author_organisation"],
            author_address=data["author_address"],
            author_region_id=data["author_region"].pk if data["author_region"] else None,
            author_district_id=data["author_district"].pk if data["author_district"] else None,
            author_phone=data["author_phone"],
            author_email=data["author_email"],
            hide_personal_data=data["hide_personal_data"],
            topics=list(data.get("topics") or ()),
            with_tracking_code=True,
            external_id=f"web:{data['submission']}" if data.get("submission") else None,
        )
        if not registration.created:
            return registration
        for name, content in data["attachments"]:
            appeal_services.add_document(
                actor=None,
                appeal=registration.appeal,
                kind=DocumentKind.ATTACHMENT,
                name=name,
                content=content,
            )
    return registration


def public_done(request: HttpRequest) -> HttpResponse:
    """Shown once: the number and the secret code (only its hash is stored)."""
    done = request.session.pop(SESSION_DONE, None)
    return render(request, "citizens/done.html", {"done": done})


# --- public: follow -------------------------------------------------------------------------


def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm()
    if request.method == "POST":
        name = f"public-track-fail:{throttle.client_ip(request)}"
        limit = throttle.setting("MUROJAAT_PUBLIC_TRACK_FAILURES", TRACK_FAILURES_PER_15_MIN)
        # Counted before the lookup, in the same step as the check: parallel guesses cannot all
        # pass a check that only a later failure would have recorded.
        wait = throttle.hit(name, limit, 900)
        if wait:
            return throttle.too_many(request, wait)
        form = TrackForm(request.POST)
        if form.is_valid():
            appeal = appeal_for_author(form.cleaned_data["number"], form.cleaned_data["code"])
            if appeal is not None:
                throttle.forgive(name, 900)  # only failures count against the limit
                request.session.cycle_key()
                request.session[SESSION_TRACKED] = appeal.pk
                return redirect("citizens:public_status")
            # One message for a wrong number and a wrong code: no existence oracle.
            form.add_error(None, _("No appeal was found with this number and code."))
    return render(request, "citizens/track.html", {"form": form})


def _tracked(request: HttpRequest) -> Appeal | None:
    pk = request.session.get(SESSION_TRACKED)
    if not pk:
        return None
    appeal = appeal_tracked_by_author(pk)
    if appeal is None:
        # An appeal opened from the proven phone's list needs no tracking code of its own.
        key = _proven_phone(request)
        appeal = appeals_of_phone(key).filter(pk=pk).first() if key else None
    return appeal


def public_status(request: HttpRequest) -> HttpResponse:
    """What the author may see: state, dates, the answer once sent; nothing internal."""
    appeal = _tracked(request)
    if appeal is None:
        return redirect("citizens:public_track")
    forms: dict[str, Any] = {
        "rating_form": RatingForm(),
        "review_form": ReviewForm(),
        "withdraw_form": WithdrawForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        form_class = {"rate": RatingForm, "review": ReviewForm, "withdraw": WithdrawForm}.get(
            action or ""
        )
        if form_class is None:
            return redirect("citizens:public_status")
        form = form_class(request.POST)
        forms[f"{'rating' if action == 'rate' else action}_form"] = form
        if form.is_valid():
            try:
                _act(appeal, action or "", form.cleaned_data)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _DONE_MESSAGES[action or ""]())
            return redirect("citizens:public_status")
    sent = sent_answer(appeal)
    rating = current_rating(appeal, sent)
    context = {
        "appeal": appeal,
        "state_label": wording.state_label(appeal.state),
        "state_tone": wording.state_tone(appeal.state),
        "holder": current_holder(appeal) if appeal.is_open else None,
        "history": [(step, wording.step_text(step)) for step in author_history(appeal)],
        "due_reason": wording.due_reason(appeal_services.appeal_due(appeal))
        if appeal.is_open
        else "",
        "answer": sent.answer if sent else None,
        "answer_sent_at": sent.sent_at if sent else None,
        "has_letter": bool(sent and sent.answer.signed_at),
        "rating": rating,
        "rating_label": wording.RATING_LABELS.get(rating or 0, ""),
        "review": latest_review_of(appeal),
        "can_ask_review": appeal_services.can_request_review(appeal, sent),
        "attachments": author_attachments(appeal),
        "from_phone_list": _proven_phone(request) is not None,
        **forms,
    }
    return render(request, "citizens/status.html", context)


def public_letter(request: HttpRequest) -> HttpResponse:
    """The signed answer letter as sent to the author (PDF with its number, date and the QR
    code of the public confirmation); nothing before the answer was sent to them."""
    appeal = _tracked(request)
    sent = sent_answer(appeal) if appeal is not None else None
    if appeal is None or sent is None or sent.answer.signed_at is None:
        raise Http404("no letter")
    from murojaat.documents.views import signed_letter_pdf

    return signed_letter_pdf(request, sent.answer, f"{appeal.number}-javob-xati.pdf")


_DONE_MESSAGES = {
    "rate": lambda: _("Thank you: your rating was recorded."),
    "review": lambda: _("Your request for a review was sent to the working group."),
    "withdraw": lambda: _("Your appeal was withdrawn."),
}


def _act(appeal: Appeal, action: str, data: dict[str, Any]) -> None:
    if action == "rate":
        appeal_services.rate_appeal(appeal=appeal, rating=data["rating"], comment=data["comment"])
    elif action == "review":
        appeal_services.request_review(appeal=appeal, reason=data["reason"])
    elif action == "withdraw":
        appeal_services.withdraw_appeal(appeal=appeal, reason=data["reason"])


@require_POST
def public_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_TRACKED, None)
    request.session.pop(SESSION_PHONE, None)
    return redirect("citizens:public_track")


# --- public: every appeal of a proven phone (issue 13) -------------------------------------


def _proven_phone(request: HttpRequest) -> str | None:
    """The phone key proven in this session, while it lasts (PHONE_SESSION_SECONDS)."""
    proven = request.session.get(SESSION_PHONE)
    if not isinstance(proven, dict) or not proven.get("key"):
        return None
    if float(proven.get("until", 0)) < time.time():
        request.session.pop(SESSION_PHONE, None)
        return None
    return str(proven["key"])


def phone_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone; a one-time code goes to it by SMS if an appeal was written with it.
    The next page is the same either way: the form tells no one whose phone wrote to us."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = throttle.hit(
            f"citizens-phone:{throttle.client_ip(request)}", PHONE_REQUESTS_PER_HOUR, 3600
        )
        if wait:
            return throttle.too_many(request, wait)
        resend_id = one_time_codes.request_phone_code(form.cleaned_data["phone"])
        request.session[SESSION_PHONE_REQUEST] = resend_id or 0
        return redirect("citizens:phone_confirm")
    return render(request, "citizens/phone.html", {"form": form})


def phone_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the code proves the phone for PHONE_SESSION_SECONDS; five tries per code."""
    if SESSION_PHONE_REQUEST not in request.session:
        return redirect("citizens:phone_start")
    form = ResendConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = f"citizens-phone-code:{throttle.client_ip(request)}"
        wait = throttle.hit(name, TRACK_FAILURES_PER_15_MIN, 900)
        if wait:
            return throttle.too_many(request, wait)
        key = one_time_codes.confirm_phone(
            int(request.session[SESSION_PHONE_REQUEST] or 0), form.cleaned_data["code"]
        )
        if key:
            throttle.forgive(name, 900)
            request.session.cycle_key()
            del request.session[SESSION_PHONE_REQUEST]
            request.session[SESSION_PHONE] = {
                "key": key,
                "until": time.time() + PHONE_SESSION_SECONDS,
            }
            return redirect("citizens:my_appeals")
        form.add_error("code", _("The code is wrong or has expired. Ask for a new one."))
    return render(request, "citizens/phone_confirm.html", {"form": form})


def my_appeals(request: HttpRequest) -> HttpResponse:
    """Every appeal written with the proven phone, in the citizen's words."""
    key = _proven_phone(request)
    if key is None:
        return redirect("citizens:phone_start")
    rows = [
        {
            "appeal": a,
            "state_label": wording.state_label(a.state),
            "state_tone": wording.state_tone(a.state),
        }
        for a in appeals_of_phone(key)[:200]
    ]
    until = datetime.datetime.fromtimestamp(
        float(request.session[SESSION_PHONE]["until"]), tz=datetime.UTC
    )
    return render(request, "citizens/mine.html", {"rows": rows, "until": until})


def my_appeal(request: HttpRequest, number: str) -> HttpResponse:
    """Open one appeal of the list on the tracking page (rate, review, withdraw as there)."""
    key = _proven_phone(request)
    if key is None:
        return redirect("citizens:phone_start")
    appeal = appeal_of_phone(key, number)
    if appeal is None:
        raise Http404("not an appeal of this phone")
    request.session[SESSION_TRACKED] = appeal.pk
    return redirect("citizens:public_status")


# --- working group ------------------------------------------------------------------------


@staff_only
def reviews(request: HttpRequest) -> HttpResponse:
    """Poor ratings (<= 2) and requests for review: what the working group looks at again, with
    the two things it can do about each (L-8): reopen the answer for rework, or reply."""
    page = Paginator(review_items_for(staff_user(request)), 50).get_page(request.GET.get("page"))
    statuses = review_statuses(page)
    return render(
        request,
        "citizens/reviews.html",
        {
            "page": page,
            "rows": [(e, statuses[e.pk]) for e in page],
            "review_days": appeal_services.REVIEW_DAYS,
            "form": ReviewDecisionForm(),
        },
    )


@staff_only
@require_POST
def review_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    try:
        review = review_item_for(staff_user(request), pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("comment", [])))
        return redirect("citizens:reviews")
    comment = form.cleaned_data["comment"]
    version = form.cleaned_data["version"]
    try:
        if decision == "take":
            event = appeal_services.take_review_into_work(
                actor=staff_user(request),
                review=review,
                comment=comment,
                expected_version=version,
            )
            messages.success(
                request,
                _("The answer of %(number)s was reopened for rework, due by %(date)s.")
                % {
                    "number": review.appeal.number,
                    "date": date_format(
                        datetime.date.fromisoformat(event.data["due_date"]), "d.m.Y"
                    ),
                },
            )
        else:
            appeal_services.close_review(
                actor=staff_user(request), review=review, comment=comment, expected_version=version
            )
            messages.success(
                request,
                _("Your reply on %(number)s was recorded; the author sees it.")
                % {"number": review.appeal.number},
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("citizens:reviews")
