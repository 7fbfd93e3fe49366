"""Every read of trainings and discipline goes through here, scoped like appeals.

The working group and auditors see everything; everyone else sees their organisation's subtree.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.appeals.models import Violation
from murojaat.orgs.models import Organisation, OrgKind
from murojaat.receptions.selectors import organisations_visible_to, scoped

from .models import DisciplinaryMeasure, Training
from .permissions import can_see_discipline

# R-ORG-5 applies to the organisations that handle appeals: these kinds, and any organisation
# with a designated responsible officer (R-ORG-4).
TRAINING_KINDS = (
    OrgKind.MAIN_DIRECTORATE,
    OrgKind.CENTRE,
    OrgKind.REGIONAL_DIRECTORATE,
    OrgKind.ASSOCIATION,
)


def trainings_visible_to(user: User) -> QuerySet[Training]:
    return scoped(Training.objects.all(), user).select_related("organisation")


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter (1-4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def training_compliance(user: User, *, year: int, quarter: int) -> QuerySet[Organisation]:
    """R-ORG-5: organisations in scope that must train their staff and held no training in the
    quarter. One query: the check is an EXISTS, never a loop over organisations.
    """
    first, last = quarter_bounds(year, quarter)
    trained = Training.objects.filter(organisation=OuterRef("pk"), date__gte=first, date__lte=last)
    responsible = RoleGrant.objects.filter(organisation=OuterRef("pk"), role=Role.RESPONSIBLE)
    return (
        organisations_visible_to(user)
        .filter(is_active=True)
        .filter(Q(kind__in=TRAINING_KINDS) | Exists(responsible))
        .filter(~Exists(trained))
        .order_by("path")
    )


def measures_visible_to(user: User) -> QuerySet[DisciplinaryMeasure]:
    if not can_see_discipline(user):
        return DisciplinaryMeasure.objects.none()
    return scoped(DisciplinaryMeasure.objects.all(), user).select_related(
        "organisation", "employee", "violation__assignment__appeal"
    )


def violations_to_answer(user: User) -> QuerySet[Violation]:
    """R-ORG-6, R-P2-13: the violations a measure may answer, those of the organisations the
    user records measures for (their own; any for the working group), newest first."""
    from murojaat.appeals.permissions import is_working_group

    qs = Violation.objects.select_related("assignment__appeal", "org").order_by("-detected_at")
    if is_working_group(user):
        return qs
    if user.organisation_id is None:
        return qs.none()
    return qs.filter(org_id=user.organisation_id)
