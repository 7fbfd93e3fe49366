"""Every error under /api/ speaks RFC 9457, including the few django-ninja answers itself."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .problems import PROBLEM_CONTENT_TYPE, problem


class ApiProblemMiddleware:
    """django-ninja answers an unsupported method with a bare 405: give it a problem body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and response.get("Content-Type", "") != PROBLEM_CONTENT_TYPE
        ):
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
        return response
