"""Every read of receptions goes through here, scoped like appeals.

The working group and auditors see everything; everyone else sees their organisation's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.appeals.selectors import sees_everything
from murojaat.core.errors import NotFound
from murojaat.orgs.models import Organisation

from .models import Booking, BookingStatus, ReceptionSession, SessionKind
from .slots import TASHKENT


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


# --- bookings and field receptions (issue 13) ---------------------------------------------


def bookings_for_day(user: User, day: date) -> QuerySet[Booking]:
    """The day's list for the leader's office: confirmed bookings and what became of them.

    Holds awaiting a code and lapsed ones are not bookings yet; cancelled ones stay listed so
    the office knows why a time is empty."""
    start = datetime.combine(day, time.min, tzinfo=TASHKENT)
    return (
        scoped(Booking.objects.all(), user)
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .exclude(status__in=[BookingStatus.PENDING, BookingStatus.EXPIRED])
        .select_related("organisation", "leader", "session", "visit__appeal")
        .order_by("leader__last_name", "leader_id", "starts_at", "pk")
    )


def booking_for(user: User, pk: int) -> Booking:
    found = (
        scoped(Booking.objects.all(), user)
        .select_related("organisation", "leader")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(gettext("Not found."))
    return found


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = (
        date(first.year + 1, 1, 1) if first.month == 10 else date(first.year, first.month + 3, 1)
    ) - timedelta(days=1)
    return first, last


@dataclass(frozen=True)
class FieldGap:
    leader: User
    organisation: Organisation
    planned: int


def leaders_without_field_reception(user: User, *, today: date) -> list[FieldGap]:
    """R-ORG-3: heads in scope who held no field reception this quarter (up to today), with
    the number they have planned for the rest of it."""
    first, last = quarter_of(today)
    field = ReceptionSession.objects.filter(kind=SessionKind.FIELD, date__gte=first, date__lte=last)
    held = set(field.filter(date__lte=today).values_list("leader_id", flat=True))
    planned: dict[int, int] = {}
    for leader_id in field.filter(date__gt=today).values_list("leader_id", flat=True):
        planned[leader_id] = planned.get(leader_id, 0) + 1
    grants = (
        RoleGrant.objects.filter(
            role=Role.HEAD,
            organisation__in=organisations_visible_to(user).filter(is_active=True),
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("organisation__path", "user__last_name")
    )
    return [
        FieldGap(g.user, g.organisation, planned.get(g.user_id, 0))
        for g in grants
        if g.user_id not in held
    ]
