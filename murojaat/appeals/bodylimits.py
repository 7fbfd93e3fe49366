"""How large a request body may be, decided per kind of page before anything reads it.

Every POST is judged by its declared Content-Length before CSRF, sessions or a view read the
body: CsrfViewMiddleware reads request.POST to find its token, which for a multipart body means
spooling every uploaded byte to disk, so an anonymous 300 MB post to the login page used to be
read whole before anything said no. A view's own check comes too late.

It lives with the appeals because its limits follow from what an appeal may carry (its files,
its text: appeals.limits); core stays free of the domain. The limits, one home each:
- the API: settings.DATA_UPLOAD_MAX_MEMORY_SIZE (one attachment and the multipart envelope; the
  signature covers the whole body, which is read into memory);
- pages that take files: their number of files (appeals.limits) times
  settings.MUROJAAT_MAX_ATTACHMENT_BYTES, plus room for the form's fields;
- every other page: settings.MUROJAAT_MAX_FORM_BYTES (text fields only).

Within those, each uploaded file is kept only up to one byte past the attachment limit
(`AttachmentCapUploadHandler`): the rest of an oversized file is not stored, and the form
refuses it as too large.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .limits import PUBLIC_FORM_MAX_FILES, REGISTER_FORM_MAX_FILES

# Room for a form's text fields (an appeal's 20,000 characters of up to 4 bytes each, percent-
# encoded or not) and the multipart envelope around the files.
FORM_FIELDS_BYTES = 256 * 1024

# Pages that take files, by URL name: how many files one request may carry.
UPLOAD_PAGES: dict[str, int] = {
    "citizens:public_new": PUBLIC_FORM_MAX_FILES,
    "appeals:register": REGISTER_FORM_MAX_FILES,
    "appeals:register_channel": REGISTER_FORM_MAX_FILES,
    "parties:election_import": 1,
}
# Case-page actions (appeals:act) that take one file.
UPLOAD_ACTIONS = frozenset({"add_document"})
PUBLIC_PAGES = frozenset({"citizens:public_new"})


def files_limit(files: int) -> int:
    return files * settings.MUROJAAT_MAX_ATTACHMENT_BYTES + FORM_FIELDS_BYTES


def public_form_limit() -> int:
    return files_limit(PUBLIC_FORM_MAX_FILES)


def _view_name(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "", {}
    return match.view_name, match.kwargs


def body_limit(request: HttpRequest) -> int:
    """The most bytes this request's body may have, by the kind of page it goes to."""
    if request.path.startswith("/api/"):
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    name, kwargs = _view_name(request)
    if name in UPLOAD_PAGES:
        return files_limit(UPLOAD_PAGES[name])
    if name == "appeals:act" and kwargs.get("action") in UPLOAD_ACTIONS:
        return files_limit(1)
    return int(settings.MUROJAAT_MAX_FORM_BYTES)


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
    body of unknown length (411), on every page and the API.

    It sits before CSRF (after LocaleMiddleware, to answer in the user's language). A chunked
    body has no Content-Length to judge, so it cannot be measured before it is read; browsers
    and the API's clients always declare the length, so such a body is refused unread with 411
    rather than read up to a limit. (Under WSGI, Django would read such a body as empty and
    the sender would get a misleading CSRF or signature error.) Under WSGI nothing reads past
    the declared length, so a declared length within the limit bounds what is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        if _length_unknown(request):
            return self._length_required(api)
        length = _content_length(request)
        if length and length > body_limit(request):
            return self._too_large(request, api)
        return self.get_response(request)

    def _length_required(self, api: bool) -> HttpResponse:
        from murojaat.gateway.problems import problem

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

    def _too_large(self, request: HttpRequest, api: bool) -> HttpResponse:
        if api:
            from murojaat.gateway.problems import problem

            response = problem(
                status=413,
                code="request_too_large",
                detail=_("The request is larger than the server accepts."),
            )
        elif _view_name(request)[0] in PUBLIC_PAGES:
            error = _(
                "The files together are too large: at most %(n)s files of %(mb)s MB each."
            ) % {
                "n": PUBLIC_FORM_MAX_FILES,
                "mb": settings.MUROJAAT_MAX_ATTACHMENT_BYTES // 2**20,
            }
            response = render(
                request, "gateway/public/too_large.html", {"error": error}, status=413
            )
        else:
            error = _("The request is larger than the server accepts (at most %(kb)s KB).") % {
                "kb": body_limit(request) // 1024
            }
            response = render(request, "request_too_large.html", {"error": error}, status=413)
        # The body was not read: the connection cannot be reused for another request.
        response["Connection"] = "close"
        return response


class AttachmentCapUploadHandler(FileUploadHandler):
    """Keeps each uploaded file only up to one byte past settings.MUROJAAT_MAX_ATTACHMENT_BYTES
    and drops the rest before the next handler stores it (memory or a temporary file).

    The request's size is bounded already; this bounds each file, so one oversized file among
    allowed ones never lands on disk whole. The byte past the limit lets the form's check
    (documents.validate_upload) see that the file is too large and say so, instead of a
    truncated file passing as a smaller one.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        room = settings.MUROJAAT_MAX_ATTACHMENT_BYTES + 1 - self.kept
        chunk = raw_data[: max(0, room)]
        self.kept += len(chunk)
        return chunk

    def file_complete(self, file_size: int) -> None:
        return None
