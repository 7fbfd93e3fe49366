"""Who may act on what: small predicates, one per question.

Reading is scoped in selectors.py; these answer "which side of this assignment is the user on",
which the transition table then matches against the sides allowed for an action.
"""

from __future__ import annotations

from django.db.models import Q

from murojaat.accounts.models import REGISTRAR_ROLES, WG_ROLES, Role, RoleGrant, User
from murojaat.orgs.models import OrgKind

from .models import OPEN_ASSIGNMENT_STATES, Assignment, AssignmentRole, Violation

ACTING_ROLES = (Role.EXECUTOR, Role.HEAD, Role.RESPONSIBLE)


def is_working_group(user: User) -> bool:
    return user.is_authenticated and user.has_role(*WG_ROLES)


def can_register_appeals(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*REGISTRAR_ROLES)


def deputy_signs_for(user: User, org_id: int) -> bool:
    """R-P2-9: a deputy minister signs for the main directorates they supervise, or for one no
    deputy supervises (so a directorate is never left without a signer)."""
    grant = (
        RoleGrant.objects.filter(
            user=user, role=Role.DEPUTY_MINISTER, organisation__kind=OrgKind.MINISTRY
        )
        .only("pk")
        .first()
    )
    if grant is None:
        return False
    if grant.supervises.filter(pk=org_id).exists():
        return True
    return not RoleGrant.objects.filter(
        role=Role.DEPUTY_MINISTER, supervises__pk=org_id, user__is_active=True
    ).exists()


def can_sign(user: User, assignment: Assignment) -> bool:
    """R-P2-9: a deputy minister signs a main directorate's answer; a first head signs the rest."""
    if not user.is_authenticated or user.organisation_id is None:
        return False
    if assignment.org.kind == OrgKind.MAIN_DIRECTORATE:
        return user.has_role(Role.DEPUTY_MINISTER) and deputy_signs_for(user, assignment.org_id)
    return user.has_role(Role.HEAD) and user.organisation_id == assignment.org_id


def consolidating_lead(assignment: Assignment) -> Assignment | None:
    """The open lead a co-executor named by the working group reports to (R-P2-5, R-P3-4).

    Co-executors study the appeal jointly with the lead and the lead prepares one consolidated
    answer, so their parts go to the lead, not to the working group as a final answer.
    """
    if assignment.parent_id is not None or assignment.role != AssignmentRole.CO_EXECUTOR:
        return None
    if hasattr(assignment, "known_lead"):
        return assignment.known_lead  # set by a page that loaded the whole tree (no N+1)
    return (
        Assignment.objects.filter(
            appeal_id=assignment.appeal_id,
            parent__isnull=True,
            role=AssignmentRole.EXECUTOR,
            state__in=OPEN_ASSIGNMENT_STATES,
        )
        .order_by("-pk")
        .first()
    )


def remember_leads(assignments: list[Assignment]) -> None:
    """Give each top-level co-executor of one appeal's tree its lead, from memory."""
    leads = [
        a
        for a in assignments
        if a.parent_id is None and a.role == AssignmentRole.EXECUTOR and a.is_open
    ]
    lead = max(leads, key=lambda a: a.pk) if leads else None
    for a in assignments:
        if a.parent_id is None and a.role == AssignmentRole.CO_EXECUTOR:
            a.known_lead = lead  # type: ignore[attr-defined]


def signable_q(user: User) -> Q:
    """`can_sign` as a filter on assignments, for lists of answers awaiting a signature."""
    nothing = Q(pk__in=[])
    if not user.is_authenticated or user.organisation_id is None:
        return nothing
    q = nothing
    if user.has_role(Role.HEAD):
        q |= Q(org_id=user.organisation_id) & ~Q(org__kind=OrgKind.MAIN_DIRECTORATE)
    if user.has_role(Role.DEPUTY_MINISTER):
        grants = RoleGrant.objects.filter(
            user=user, role=Role.DEPUTY_MINISTER, organisation__kind=OrgKind.MINISTRY
        )
        if grants.exists():
            supervised = grants.filter(supervises__isnull=False).values("supervises")
            taken = RoleGrant.objects.filter(
                role=Role.DEPUTY_MINISTER, user__is_active=True, supervises__isnull=False
            ).values("supervises")
            q |= Q(org__kind=OrgKind.MAIN_DIRECTORATE) & (
                Q(org_id__in=supervised) | ~Q(org_id__in=taken)
            )
    return q


def sides_of(user: User, assignment: Assignment) -> set[str]:
    """The sides of `assignment` that `user` acts for: receiver, sender, lead, signer, wg."""
    sides: set[str] = set()
    if not user.is_authenticated:
        return sides
    if user.organisation_id == assignment.org_id and user.has_role(*ACTING_ROLES):
        sides.add("receiver")
    if assignment.parent_id is None:
        # The working group sent every top-level assignment (R-P2-2).
        if is_working_group(user):
            sides.add("sender")
        lead = consolidating_lead(assignment)
        if (
            lead is not None
            and user.organisation_id == lead.org_id
            and user.has_role(*ACTING_ROLES)
        ):
            sides.add("lead")
    elif user.organisation_id == assignment.sender_org_id and user.has_role(*ACTING_ROLES):
        sides.add("sender")
    if can_sign(user, assignment):
        sides.add("signer")
    if is_working_group(user):
        sides.add("wg")
    return sides


def may_explain(user: User, violation: Violation) -> bool:
    """R-P2-11: the organisation a missed deadline is recorded against explains it: the
    receiver for its own deadlines, the working group for its late routing."""
    if not user.is_authenticated or user.organisation_id != violation.org_id:
        return False
    if is_working_group(user):
        return True
    return user.has_role(*ACTING_ROLES)


def appeal_sides(user: User) -> set[str]:
    return {"wg"} if is_working_group(user) else set()
