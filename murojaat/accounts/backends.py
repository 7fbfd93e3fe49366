"""Permissions of the administrator role in the Django admin.

An administrator (Role.ADMIN) may do everything in the admin, as a superuser may, without being
made a superuser account by hand: the role, granted and revoked in one place, decides.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from .models import Role


class AdministratorRoleBackend(BaseBackend):
    """Grants every permission to active holders of the administrator role; never authenticates."""

    def _is_administrator(self, user_obj: Any) -> bool:
        return bool(
            user_obj.is_active
            and getattr(user_obj, "is_authenticated", False)
            and hasattr(user_obj, "has_role")
            and user_obj.has_role(Role.ADMIN)
        )

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return self._is_administrator(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return self._is_administrator(user_obj)
