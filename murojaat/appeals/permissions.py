"""Who may act on what: small predicates, one per question.

Reading is scoped in selectors.py; these answer "which side of this assignment is the user on",
which the transition table then matches against the sides allowed for an action.
"""

from __future__ import annotations

from murojaat.accounts.models import Role, User
from murojaat.orgs.models import OrgKind

from .models import Assignment

ACTING_ROLES = (Role.EXECUTOR, Role.HEAD, Role.RESPONSIBLE)
WG_ROLES = (Role.WG_MEMBER, Role.WG_HEAD)


def is_working_group(user: User) -> bool:
    return user.is_authenticated and user.has_role(*WG_ROLES)


def can_sign(user: User, assignment: Assignment) -> bool:
    """R-P2-9: a deputy minister signs a main directorate's answer; a first head signs the rest."""
    if not user.has_role(Role.HEAD) or user.organisation_id is None:
        return False
    if assignment.org.kind == OrgKind.MAIN_DIRECTORATE:
        return user.organisation.kind == OrgKind.MINISTRY
    return user.organisation_id == assignment.org_id


def sides_of(user: User, assignment: Assignment) -> set[str]:
    """The sides of `assignment` that `user` acts for: receiver, sender, signer, wg."""
    sides: set[str] = set()
    if not user.is_authenticated:
        return sides
    if user.organisation_id == assignment.org_id and user.has_role(*ACTING_ROLES):
        sides.add("receiver")
    if assignment.parent_id is None:
        # The working group sent every top-level assignment (R-P2-2).
        if is_working_group(user):
            sides.add("sender")
    elif user.organisation_id == assignment.sender_org_id and user.has_role(*ACTING_ROLES):
        sides.add("sender")
    if can_sign(user, assignment):
        sides.add("signer")
    if is_working_group(user):
        sides.add("wg")
    return sides


def appeal_sides(user: User) -> set[str]:
    return {"wg"} if is_working_group(user) else set()
