"""Who is told: the people behind an organisation's roles, and the working group.

Every staff recipient is checked against the one scoped selector before a row is written
(`may_see`), so a notification never reaches someone the appeal is confidential from, even if a
rule here picked them by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable

from murojaat.accounts.models import Role, User
from murojaat.appeals.models import Appeal, Assignment
from murojaat.appeals.permissions import WG_ROLES, deputy_signs_for
from murojaat.appeals.selectors import appeals_visible_to
from murojaat.orgs.models import Organisation, OrgKind


def holders(org_id: int | None, *roles: str) -> list[User]:
    if org_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, role_grants__organisation_id=org_id, role_grants__role__in=roles
        ).distinct()
    )


def responsible(org_id: int | None) -> list[User]:
    """R-ORG-4: the officer responsible for appeals; the head where none is designated."""
    return holders(org_id, Role.RESPONSIBLE) or holders(org_id, Role.HEAD)


def head(org_id: int | None) -> list[User]:
    return holders(org_id, Role.HEAD)


def working_group() -> list[User]:
    return list(User.objects.filter(is_active=True, role_grants__role__in=WG_ROLES).distinct())


def executor_or_responsible(assignment: Assignment) -> list[User]:
    if assignment.executor_id is not None and assignment.executor.is_active:
        return [assignment.executor]
    return responsible(assignment.org_id)


def signers(assignment: Assignment) -> list[User]:
    """R-P2-9: the deputy ministers who sign for a main directorate, the first head otherwise."""
    org: Organisation = assignment.org
    if org.kind == OrgKind.MAIN_DIRECTORATE:
        deputies = User.objects.filter(
            is_active=True, role_grants__role=Role.DEPUTY_MINISTER
        ).distinct()
        return [u for u in deputies if deputy_signs_for(u, org.pk)]
    return head(org.pk)


def may_see(users: Iterable[User], appeal: Appeal) -> list[User]:
    """Only those the scoped selector lets read the appeal, each once."""
    seen: dict[int, User] = {}
    for user in users:
        if user.pk not in seen and appeals_visible_to(user).filter(pk=appeal.pk).exists():
            seen[user.pk] = user
    return list(seen.values())
