"""The citizen's pages: the Minister's Virtual Reception form and tracking (no login), with the
author's rating, review request and withdrawal; and the working group's list of those reviews.

Reads go through the selectors (`appeals.selectors`: the author's own appeal, the answer they
hold, the reviews in the reader's scope); writes are the engine's services."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
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
from murojaat.appeals.selectors.reviews import (
    latest_review_of,
    review_item_for,
    review_items_for,
    review_statuses,
)
from murojaat.core.errors import DomainError, NotFound
from murojaat.gateway import throttle

from .forms import (
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
STAFF_ROLES = (Role.WG_MEMBER, Role.WG_HEAD, Role.ADMIN)
staff_only = role_required(*STAFF_ROLES)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(
        request, "citizens/too_many.html", {"minutes": max(1, retry_after // 60)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


# --- public: submit -------------------------------------------------------------------------


def public_new(request: HttpRequest) -> HttpResponse:
    """The Minister's Virtual Reception (R-P3-1): anyone may write, no account needed. An
    oversized body never gets here (BodySizeLimitMiddleware refuses it unread)."""
    form = PublicAppealForm(initial={"submission": uuid.uuid4()})
    if request.method == "POST":
        wait = throttle.hit(
            f"public-new:{throttle.client_ip(request)}",
            _limit("MUROJAAT_PUBLIC_SUBMISSIONS_PER_HOUR", SUBMISSIONS_PER_HOUR),
            3600,
        )
        if wait:
            return _too_many(request, wait)
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
        limit = _limit("MUROJAAT_PUBLIC_TRACK_FAILURES", TRACK_FAILURES_PER_15_MIN)
        # Counted before the lookup, in the same step as the check: parallel guesses cannot all
        # pass a check that only a later failure would have recorded.
        wait = throttle.hit(name, limit, 900)
        if wait:
            return _too_many(request, wait)
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
    return appeal_tracked_by_author(pk)


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
    context = {
        "appeal": appeal,
        "answer": sent.answer if sent else None,
        "answer_sent_at": sent.sent_at if sent else None,
        "rating": current_rating(appeal, sent),
        "review": latest_review_of(appeal),
        "can_ask_review": appeal_services.can_request_review(appeal, sent),
        "attachments": author_attachments(appeal),
        **forms,
    }
    return render(request, "citizens/status.html", context)


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
    return redirect("citizens:public_track")


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
