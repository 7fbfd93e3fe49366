"""Who may read the personnel records of discipline (R-ORG-6)."""

from __future__ import annotations

from murojaat.accounts.models import Role, User


def can_see_discipline(user: User) -> bool:
    """R-ORG-6 records are personnel data: heads, the working group and auditors only."""
    return user.is_authenticated and (
        user.has_role(Role.HEAD, Role.WG_MEMBER, Role.WG_HEAD, Role.AUDITOR) or user.is_superuser
    )
