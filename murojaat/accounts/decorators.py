"""View decorators by role, shared by the apps whose pages serve one group of staff."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import User

View = Callable[..., HttpResponse]


def staff_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind `role_required` (never anonymous there)."""
    user = request.user
    assert isinstance(user, User), "role_required lets only signed-in users through"
    return user


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed in and holding one of `roles` (403 otherwise; anonymous users go to sign in)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
