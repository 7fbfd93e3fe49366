"""Every error under /api/ speaks RFC 9457, including the few django-ninja answers itself; and
no oversized body is read at all."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
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


# Room for the public form's text fields (20 000 characters of up to 4 bytes) and the envelope.
PUBLIC_FORM_FIELDS_BYTES = 256 * 1024


def public_form_limit() -> int:
    from murojaat.citizens.forms import MAX_FILES

    return MAX_FILES * settings.MUROJAAT_MAX_ATTACHMENT_BYTES + PUBLIC_FORM_FIELDS_BYTES


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _length_unknown(request: HttpRequest) -> bool:
    """A body whose size is not declared up front: chunked (any Transfer-Encoding), or a
    Content-Length that is not a number. Without either header a request has no body."""
    if request.META.get("HTTP_TRANSFER_ENCODING"):
        return True
    declared = request.META.get("CONTENT_LENGTH")
    return bool(declared) and not str(declared).strip().isdigit()


class BodySizeLimitMiddleware:
    """Refuse an oversized body by its Content-Length before anything reads it (413), and a
    body of unknown length (411).

    CsrfViewMiddleware reads request.POST on every POST to find the token, and for a multipart
    body that means spooling every uploaded byte to disk first; a view's own check comes too
    late. So this sits before CSRF (after LocaleMiddleware, to answer in the user's language),
    for the public form (HTML) and the API (problem details).

    A chunked body has no Content-Length to judge, so it cannot be measured before it is read;
    browsers and the API's clients always declare the length, so such a body is refused unread
    with 411 Length Required rather than read up to a limit. (Under WSGI, Django would read
    such a body as empty and the sender would get a misleading CSRF or signature error.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _content_length(request)
        api = request.path.startswith("/api/")
        public = not api and request.path.startswith(reverse("citizens:public_new"))
        if (api or public) and _length_unknown(request):
            return self._length_required(api)
        if api and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return problem(
                status=413,
                code="request_too_large",
                detail=_("The request is larger than the server accepts."),
            )
        if public and length > public_form_limit():
            return self._public_too_large(request)
        return self.get_response(request)

    def _length_required(self, api: bool) -> HttpResponse:
        detail = _(
            "Send the request with a Content-Length header: a body of unknown length "
            "(chunked transfer) is not accepted."
        )
        if api:
            response = problem(status=411, code="length_required", detail=detail)
        else:
            response = HttpResponse(detail, status=411, content_type="text/plain; charset=utf-8")
        # The body was not read: the connection cannot be reused for another request.
        response["Connection"] = "close"
        return response

    def _public_too_large(self, request: HttpRequest) -> HttpResponse:
        from murojaat.citizens.forms import MAX_FILES

        error = _("The files together are too large: at most %(n)s files of %(mb)s MB each.") % {
            "n": MAX_FILES,
            "mb": settings.MUROJAAT_MAX_ATTACHMENT_BYTES // 2**20,
        }
        response = render(request, "gateway/public/too_large.html", {"error": error}, status=413)
        # The body was not read: the connection cannot be reused for another request.
        response["Connection"] = "close"
        return response
