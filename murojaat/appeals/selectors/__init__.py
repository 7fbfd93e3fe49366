"""Every read of appeals goes through here: confidentiality by construction (R-P3-5, L-10).

A user sees an appeal only if their organisation holds or held an assignment on it, or
supervises (is an ancestor of) one that does; the working group and auditors see all.
Views and the API never query Appeal.objects directly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from murojaat.accounts.models import Role, User
from murojaat.core.codes import as_typed
from murojaat.core.errors import NotFound

from ..models import OPEN_ASSIGNMENT_STATES, Appeal, Assignment, AssignmentState

if TYPE_CHECKING:
    from murojaat.gateway.models import ApiClient


def sees_everything(user: User) -> bool:
    return user.is_authenticated and (
        user.has_role(Role.WG_MEMBER, Role.WG_HEAD, Role.AUDITOR) or user.is_superuser
    )


def appeals_visible_to(user: User) -> QuerySet[Appeal]:
    """The one gate for reading appeals."""
    if not user.is_authenticated:
        return Appeal.objects.none()
    if sees_everything(user):
        return Appeal.objects.all()
    org = user.organisation
    if org is None:
        return Appeal.objects.none()
    return Appeal.objects.filter(pk__in=_held_by_subtree(user))


def _held_by_subtree(user: User) -> QuerySet[Assignment, Any]:
    """The appeals (ids) the user's subtree holds or held an assignment on.

    `appeal_id IN (SELECT appeal_id ... WHERE org_id IN (ids))` lets PostgreSQL start from the
    subtree's assignments (the org index) and join to the appeals, or the other way round,
    whichever is cheaper; it never has to scan every appeal to test each one (issue 9)."""
    return Assignment.objects.filter(org_id__in=subtree_ids_of(user)).values("appeal_id")


def subtree_ids_of(user: User) -> tuple[int, ...]:
    """The user's organisation and everything under it, as ids (cached per tree version in
    murojaat.orgs.tree): scoping is `org_id IN (...)` on an index, never a path-prefix scan."""
    org = user.organisation
    if org is None:
        return ()
    return org.subtree_ids()


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    if not user.is_authenticated:
        return Assignment.objects.none()
    if sees_everything(user):
        return Assignment.objects.all()
    if user.organisation_id is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(appeal_id__in=_held_by_subtree(user))


def assignments_of_subtree(user: User, org: Any) -> QuerySet[Assignment]:
    """The assignments held by `org` and everything under it, as the user may read them.

    When `org` lies within the user's own subtree (a head's dashboard), every one of them is
    visible already, so the read is `org_id IN (ids)` alone, answered by the assignments'
    `(org, ...)` indexes within the figures' period: no semi-join over the subtree's whole
    history (issue 9)."""
    ids = org.subtree_ids()
    own = user.organisation
    if sees_everything(user) or (own is not None and org.is_within(own)):
        return Assignment.objects.filter(org_id__in=ids)
    return assignments_visible_to(user).filter(org_id__in=ids)


def appeals_of_source(client: ApiClient) -> QuerySet[Appeal]:
    """What an external system (API client) may read: only the appeals it sent."""
    return Appeal.objects.filter(source_client=client)


_DUMMY_HASH: list[str] = []


def appeal_for_author(number: str, code: str) -> Appeal | None:
    """The citizen's own appeal, by its number and the secret code shown once at submission.

    The hash is checked on both paths, so a wrong number costs as much time as a wrong code.
    """
    from django.contrib.auth.hashers import check_password, make_password

    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password("not-a-real-tracking-code"))
    appeal = (
        Appeal.objects.filter(number=number.strip().upper())
        .exclude(tracking_secret_hash="")
        .first()
    )
    stored = appeal.tracking_secret_hash if appeal else _DUMMY_HASH[0]
    typed, readable = code.strip(), as_typed(code)
    # Codes issued before the readable alphabet are mixed-case and match only as typed; a
    # readable code also matches typed in lower case or split by spaces and hyphens.
    ok = check_password(typed, stored) or (readable != typed and check_password(readable, stored))
    return appeal if appeal is not None and ok else None


def appeal_tracked_by_author(pk: int) -> Appeal | None:
    """The appeal an author proved to own earlier in this session (see appeal_for_author)."""
    return (
        Appeal.objects.select_related("procedure")
        .filter(pk=pk)
        .exclude(tracking_secret_hash="")
        .first()
    )


def get_appeal_for(user: User, number: str) -> Appeal:
    """404 alike for "does not exist" and "not yours" (no existence oracle)."""
    appeal = (
        appeals_visible_to(user)
        .select_related(
            "procedure",
            "author_region",
            "author_district",
            "registered_by",
            "duplicate_of",
            "repeat_of",
            "complaint_against",
        )
        .filter(number=number)
        .first()
    )
    if appeal is None:
        raise NotFound("not found")
    return appeal


def can_see_personal_data(user: User, appeal: Appeal) -> bool:
    """L-10: at the author's request their personal data is shown only to those who need it:
    the working group and the organisations that execute the appeal (not their supervisors)."""
    if not appeal.hide_personal_data or sees_every_author(user):
        return True
    return appeal.assignments.filter(
        org_id=user.organisation_id, state__in=EXECUTING_STATES
    ).exists()


def my_assignments(user: User) -> QuerySet[Assignment]:
    """Assignments of the user's own organisation (the inbox)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(org_id=user.organisation_id)


def open_assignments(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Assignments still running (sent, accepted, answered below): the heads' digest counts them."""
    return qs.filter(state__in=OPEN_ASSIGNMENT_STATES)


def overdue_q(today: date) -> Q:
    """Open and past its due date: the one rule for the overdue list and its count."""
    return Q(state__in=[AssignmentState.SENT, AssignmentState.ACCEPTED], due_date__lt=today)


def due_soon_q(today: date, threshold: date) -> Q:
    return Q(
        state__in=[AssignmentState.SENT, AssignmentState.ACCEPTED],
        due_date__gte=today,
        due_date__lte=threshold,
    )


def overdue(qs: QuerySet[Assignment], today: date) -> QuerySet[Assignment]:
    """Queryable, not a flag: open and past its due date."""
    return qs.filter(overdue_q(today))


def due_soon(qs: QuerySet[Assignment], today: date, threshold: date) -> QuerySet[Assignment]:
    return qs.filter(due_soon_q(today, threshold))


def published_register(received_from: datetime, received_until: datetime) -> QuerySet[Appeal]:
    """L-11: the register the public may read (open data), received in [from, until).

    Every registered appeal but merged duplicates (counted in the appeal they joined). The
    caller selects only columns that identify no one (number, channel, kind, topics, place,
    dates, outcome): never the author, contacts, address or text (L-10)."""
    return Appeal.objects.filter(
        received_at__gte=received_from, received_at__lt=received_until, duplicate_of__isnull=True
    )


# L-10: the states in which an organisation executes an appeal, and so sees its author.
EXECUTING_STATES = [AssignmentState.ACCEPTED, AssignmentState.ANSWERED, AssignmentState.DONE]


def sees_every_author(user: User) -> bool:
    """L-10: the working group sees a withheld author on every appeal; auditors do not."""
    return sees_everything(user) and not user.has_role(Role.AUDITOR)


def withheld_from(user: User) -> Q | None:
    """L-10 as a query, for lists and search: the appeals whose author `user` may not see
    (`can_see_personal_data` false); None when the user sees every author."""
    if sees_every_author(user):
        return None
    executing = Assignment.objects.filter(
        appeal=OuterRef("pk"), org_id=user.organisation_id, state__in=EXECUTING_STATES
    )
    return Q(hide_personal_data=True) & ~Q(Exists(executing))
