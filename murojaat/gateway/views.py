"""The gateway's one page: the working group's outbox to the source systems.

The citizen's pages (public form, tracking, reviews) are `murojaat.citizens`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from murojaat.accounts.decorators import role_required, staff_user
from murojaat.accounts.models import Role
from murojaat.appeals.selectors.reviews import review_items_for

from . import tasks
from .forms import OutboxFilterForm
from .models import OutboxMessage, OutboxState
from .selectors import outbox_counts, outbox_messages

staff_only = role_required(Role.WG_MEMBER, Role.WG_HEAD, Role.ADMIN)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@staff_only
def outbox_list(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "state": data["state"] or "",
            "client_id": data["client"].pk if data["client"] else None,
            "kind": data["kind"] or "",
            "query": data["q"] or "",
        }
    page = Paginator(outbox_messages(**filters), 50).get_page(request.GET.get("page"))
    counts = outbox_counts()
    return render(
        request,
        "gateway/outbox.html",
        {
            "form": form,
            "page": page,
            "counts": [(s, label, counts.get(s, 0)) for s, label in OutboxState.choices],
            "poor_count": review_items_for(staff_user(request)).count(),
            "query_string": _query_without_page(request),
        },
    )


@staff_only
@require_POST
def outbox_resend(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    tasks.resend(message)
    messages.success(request, _("Message %(key)s will be sent again.") % {"key": message.key})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/gateway/outbox/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("gateway:outbox")
