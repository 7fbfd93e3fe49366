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


def keeps_receptions(user: User, organisation: Organisation) -> bool:
    """The leader's reception office keeps the day: the bookings (who came, who did not), the
    visits and their registration as appeals, the leaders' hours and absences. Besides whoever
    may manage the organisation, that is its responsible officer for appeals (R-ORG-4), who
    in a ministry's regional directorate is the one at the reception desk, not the head.
    Planning sessions, trainings and measures stays the head's or the working group's."""
    return can_manage(user, organisation) or (
        user.is_authenticated
        and user.organisation_id == organisation.pk
        and user.has_role(Role.RESPONSIBLE)
    )
