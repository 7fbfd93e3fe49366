"""Every error under /api/ speaks RFC 9457, including the few django-ninja answers itself.
(The size of every request body, the API's too, is judged by appeals.bodylimits.)"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .problems import PROBLEM_CONTENT_TYPE, problem


class ApiProblemMiddleware:
    """Answers under /api/ that django-ninja does not make itself get a problem body too: a bare
    405 for an unsupported method, and Django's HTML 404 for a path no route matches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.get("Content-Type", "").startswith(
            PROBLEM_CONTENT_TYPE
        ):
            return response
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            replaced = problem(
                status=405,
                code="method_not_allowed",
                detail=_("This address does not accept %(method)s; it accepts: %(allowed)s.")
                % {"method": request.method, "allowed": allowed or "—"},
            )
            if allowed:
                replaced["Allow"] = allowed
            return replaced
        if response.status_code == 404:
            return problem(
                status=404,
                code="not_found",
                detail=_("There is no such address in the API: see /api/docs."),
            )
        return response
