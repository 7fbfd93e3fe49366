"""Who may record the heads' duties: small predicates, one per question."""

from __future__ import annotations

from murojaat.accounts.models import Role, User
from murojaat.appeals.permissions import is_working_group
from murojaat.orgs.models import Organisation


def is_head_of(user: User, organisation: Organisation) -> bool:
    """The org's head is the user holding the role "head" in that organisation."""
    return (
        user.is_authenticated
        and user.organisation_id == organisation.pk
        and user.has_role(Role.HEAD)
    )


def can_manage(user: User, organisation: Organisation) -> bool:
    """R-ORG: the head records their organisation's duties; the working group records any."""
    return is_working_group(user) or is_head_of(user, organisation)


def can_plan_anywhere(user: User) -> bool:
    """Whether to offer the forms at all: a head (of their own org) or the working group."""
    return is_working_group(user) or (
        user.is_authenticated and user.organisation_id is not None and user.has_role(Role.HEAD)
    )
