"""Domain errors: typed, with a stable code and a message for the user in their language.

The UI shows the message next to the form; the API turns the same exception into RFC 9457
problem details, so a rule is explained once, wherever it is broken.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused an action."""

    code: str = "domain_error"
    status: int = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        field: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """Missing or not visible to this user: the two are deliberately indistinguishable."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """Someone else changed the record first (optimistic concurrency)."""

    code = "conflict"
    status = 409
