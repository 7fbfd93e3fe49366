"""What the public may read about organisations (R-ORG-1, R-ORG-4): names, addresses, leaders
with positions, reception hours and work phones, the responsible officer for appeals.

Nothing about citizens is ever read here: the bookings table is touched only to count free
slots, never to show who booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from murojaat.accounts.models import User
from murojaat.core.errors import NotFound
from murojaat.core.translit import cyrillic_to_latin, latin_to_cyrillic
from murojaat.orgs.models import Organisation

from .booking import hours_of, is_bookable_leader, leaders_of
from .models import ResponsibleOfficer
from .slots import Hours


def organisations(*, search: str = "", region_id: int | None = None) -> QuerySet[Organisation]:
    """Every active organisation, searchable by its name in any language and by region."""
    qs = Organisation.objects.filter(is_active=True).select_related("region", "district")
    search = search.strip()
    if search:
        # Typed in either Uzbek script, the name is found in both.
        condition = Q()
        for term in {search, latin_to_cyrillic(search), cyrillic_to_latin(search)}:
            condition |= (
                Q(name_uz__icontains=term)
                | Q(name_uz_cyrl__icontains=term)
                | Q(name_ru__icontains=term)
                | Q(name_en__icontains=term)
                | Q(address__icontains=term)
            )
        qs = qs.filter(condition)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return qs.order_by("path")


def organisation(code: str) -> Organisation:
    org = (
        Organisation.objects.filter(code=code, is_active=True)
        .select_related("region", "district", "parent")
        .first()
    )
    if org is None:
        raise NotFound("organisation")
    return org


@dataclass(frozen=True)
class Leader:
    user: User
    hours: Hours
    bookable: bool

    @property
    def full_name(self) -> str:
        return self.user.full_name


def leaders(org: Organisation) -> list[Leader]:
    return [Leader(u, hours_of(u), is_bookable_leader(u)) for u in leaders_of(org.pk)]


def officers(
    org: Organisation, *, today: date
) -> tuple[ResponsibleOfficer | None, list[ResponsibleOfficer]]:
    """The responsible officer now (R-ORG-4) and those who held the post before."""
    rows = list(ResponsibleOfficer.objects.filter(organisation=org))
    current = next(
        (o for o in rows if o.starts_on <= today and (o.ends_on is None or o.ends_on >= today)),
        None,
    )
    return current, [o for o in rows if o is not current and o.starts_on <= today]
