"""Every read of receptions goes through here, scoped like appeals.

The working group and auditors see everything; everyone else sees their organisation's subtree.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.appeals.selectors import sees_everything
from murojaat.core.errors import NotFound
from murojaat.orgs.models import Organisation

from .models import ReceptionSession


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if sees_everything(user):
        return Organisation.objects.all()
    if user.organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.subtree_of(user.organisation)


def scoped(qs: QuerySet, user: User, field: str = "organisation") -> QuerySet:
    if not user.is_authenticated:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.organisation_id is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith": user.organisation.path})


def sessions_visible_to(user: User) -> QuerySet[ReceptionSession]:
    return scoped(ReceptionSession.objects.all(), user)


def upcoming_sessions(user: User, *, today: date) -> QuerySet[ReceptionSession]:
    return (
        sessions_visible_to(user).filter(date__gte=today).select_related("organisation", "leader")
    )


def session_for(user: User, pk: int) -> ReceptionSession:
    """One session, or NotFound: "no access" and "does not exist" look the same."""
    session = (
        sessions_visible_to(user)
        .select_related("organisation", "leader")
        .prefetch_related("visits__appeal")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise NotFound(gettext("Not found."))
    return session


def leaders_directory(user: User, *, search: str = "") -> QuerySet[Organisation]:
    """R-ORG-1: each organisation in scope with its head, reception hours and phone.

    Searchable by the organisation's name in any language or by the head's name.

    The head's grant is prefetched as a list (`head_grants`) so the page makes a fixed number of
    queries whatever its length.
    """
    head_grants = RoleGrant.objects.filter(role=Role.HEAD).select_related("user")
    qs = organisations_visible_to(user).filter(is_active=True)
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(name_uz__icontains=search)
            | Q(name_uz_cyrl__icontains=search)
            | Q(name_ru__icontains=search)
            | Q(name_en__icontains=search)
            | Exists(
                head_grants.filter(organisation=OuterRef("pk")).filter(
                    Q(user__last_name__icontains=search) | Q(user__first_name__icontains=search)
                )
            )
        )
    return qs.order_by("path").prefetch_related(
        Prefetch("role_grants", queryset=head_grants, to_attr="head_grants")
    )
