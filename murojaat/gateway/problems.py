"""RFC 9457 problem details for every error the API returns, each with a stable `code`.

    {"type": "urn:murojaat:problem:<code>", "title": "Not Found", "status": 404,
     "detail": "No appeal with this id.", "code": "not_found", "errors": [...]}

The domain's own errors (murojaat.core.errors.DomainError) carry their code and status, so a
rule broken in a service reads the same through the API as on the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from murojaat.core.errors import DomainError

log = logging.getLogger("murojaat.gateway")

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


def is_json_media_type(content_type: str) -> bool:
    """application/json, or a structured type ending in +json (RFC 6839)."""
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (
        main.startswith("application/") and main.endswith("+json")
    )


class JsonBodyParser(Parser):
    """A JSON body must say it is JSON. A body sent as text/plain is a "simple" request that a
    browser on any site may send without a CORS preflight, and a client that mislabels its body
    would be answered on a guess; so anything but application/json is refused with 415."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        if not is_json_media_type(request.content_type or ""):
            raise UnsupportedMediaType(
                _(
                    "Send the body as JSON with the header Content-Type: application/json "
                    "(it was sent as “%(type)s”)."
                )
                % {"type": request.content_type or "—"}
            )
        return super().parse_body(request)


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))


def problem(
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:murojaat:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc[1:]]
    # ninja prefixes body fields with the parameter name ("payload"); the client never sees it.
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or str(loc[0] if loc else "")


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "field": _field_path(list(e.get("loc", []))),
            "in": str(e["loc"][0]) if e.get("loc") else "body",
            "code": str(e.get("type", "invalid")),
            "detail": str(e.get("msg", "Invalid value.")),
        }
        for e in errors
    ]


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = None
    if exc.field:
        errors = [{"field": exc.field, "in": "body", "code": exc.code, "detail": str(exc.message)}]
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        # Only the gateway's signed requests; session-based routers (parties) are not HMAC.
        headers["WWW-Authenticate"] = (
            'HMAC-SHA256 realm="murojaat", headers="X-Client-Key X-Timestamp X-Signature"'
        )
    return problem(
        status=exc.status, code=exc.code, detail=str(exc.message), errors=errors, headers=headers
    )


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = validation_errors(list(exc.errors))
    return problem(
        status=422,
        code="validation_error",
        detail=_("The request is not valid: see `errors` for each field."),
        errors=errors,
    )


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _domain_error(
        request,
        Unauthorized(
            _("Sign the request: X-Client-Key, X-Timestamp and X-Signature headers are required."),
            code="signature_missing",
        ),
    )


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
    429: "rate_limited",
}


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):
        # django-ninja wraps whatever the body parser raises in a 400; the parser's own
        # refusal (415 for a body not declared JSON) keeps its status and code.
        return _domain_error(request, exc.__cause__)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    detail = str(exc)
    if exc.status_code == 400 and "parse" in detail.lower():
        code = "malformed_body"
        detail = _("The request body is not valid JSON.")
    return problem(status=exc.status_code, code=code, detail=detail)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(status=404, code="not_found", detail=_("Not found."))


def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(
        status=413,
        code="request_too_large",
        detail=_("The request is larger than the server accepts."),
    )


def _malformed_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Django refuses a multipart body without a boundary (or with a broken one) while parsing.
    return problem(
        status=400,
        code="malformed_body",
        detail=_(
            "The multipart body could not be read: send multipart/form-data with a boundary "
            "and one `file` part."
        ),
    )


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error", extra={"path": request.path})
    return problem(
        status=500,
        code="server_error",
        detail=_("The server could not handle the request; it has been logged."),
    )


# Each handler takes the instance of its class (django-ninja's signature also admits the class).
HANDLERS: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
    (Exception, _server_error),
    (Http404, _not_found),
    (HttpError, _http_error),
    (AuthenticationError, _authentication_error),
    (ValidationError, _validation_error),
    (DomainError, _domain_error),
    (RequestDataTooBig, _too_big),
    (TooManyFieldsSent, _too_big),
    (MultiPartParserError, _malformed_multipart),
]


def install(api: NinjaAPI) -> None:
    """Make every error of `api` a problem+json response."""
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)
