"""Landing pages shared by every role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on their inbox: that is where the day's work is."""
    try:
        return redirect(reverse("appeals:inbox"))
    except NoReverseMatch:
        return redirect(reverse("accounts:profile"))


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the process answers and the database does too."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
