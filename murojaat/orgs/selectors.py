"""Reads of the organisation tree and the staff directory, used by the views.

Names are searched in all four languages. A query typed in one script also finds names stored
in the other (it is transliterated both ways), and the apostrophes of Uzbek Latin (oʻ, gʻ, ʼ)
match whatever the user typed for them (' ‘ ’ `). SQLite compares only ASCII letters without
regard to case, so the common spellings of the query's case are tried too; PostgreSQL needs none
of that but is not hurt by it.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.db.models import Count, Prefetch, Q, QuerySet

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.core.translit import cyrillic_to_latin, latin_to_cyrillic

from .models import Organisation

ORG_NAME_FIELDS = ("name_uz", "name_uz_cyrl", "name_ru", "name_en")
STAFF_NAME_FIELDS = ("username", "last_name", "first_name", "middle_name")
_APOSTROPHES = "'‘’`ʻʼ"
_OKINA, _TUTUQ = "\u02bb", "\u02bc"
MAX_QUERY_LENGTH = 100


def _uzbek_apostrophes(text: str) -> str:
    """oʻ and gʻ take the turned comma, every other apostrophe is the tutuq belgisi (ʼ)."""
    text = re.sub(rf"([oOgG])[{_APOSTROPHES}]", lambda m: m.group(1) + _OKINA, text)
    return re.sub(rf"[{_APOSTROPHES.replace(_OKINA, '')}]", _TUTUQ, text)


def query_variants(query: str) -> set[str]:
    """Every spelling of the query worth matching with a case-insensitive `contains`."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return set()
    scripts = {query, cyrillic_to_latin(query), latin_to_cyrillic(query)}
    spellings = set(scripts)
    for text in scripts:
        spellings.add(_uzbek_apostrophes(text))
        spellings.add(re.sub(f"[{_APOSTROPHES}]", "'", text))
    variants = set()
    for text in spellings:
        variants.update({text, text.lower(), text.upper(), text.capitalize(), text.title()})
    return {v for v in variants if v}


def name_filter(query: str, fields: tuple[str, ...]) -> Q:
    """Q matching rows where any of `fields` contains any spelling of the query."""
    variants = query_variants(query)
    if not variants:
        return Q()
    return reduce(or_, (Q(**{f"{f}__icontains": v}) for f in fields for v in sorted(variants)))


def organisations_search(
    *,
    query: str = "",
    stage: int | None = None,
    kind: str = "",
    region_id: int | None = None,
) -> QuerySet[Organisation]:
    qs = Organisation.objects.active().select_related("parent", "region", "district")
    if query.strip():
        qs = qs.filter(name_filter(query, ORG_NAME_FIELDS))
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(kind=kind)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return qs.order_by("path")


def organisation_children(org: Organisation | None) -> QuerySet[Organisation]:
    """The organisation's direct subordinates (or the roots), with how many each has below it."""
    qs = Organisation.objects.active().filter(parent=org)
    return qs.annotate(n_children=Count("children", filter=Q(children__is_active=True))).order_by(
        "path"
    )


def organisation_leaders(org: Organisation) -> list[RoleGrant]:
    """The first head and the responsible officer, for the notice of R-ORG-1 / R-ORG-4."""
    grants = RoleGrant.objects.filter(
        organisation=org, role__in=[Role.HEAD, Role.RESPONSIBLE], user__is_active=True
    ).select_related("user")
    order = {Role.HEAD: 0, Role.RESPONSIBLE: 1}
    return sorted(grants, key=lambda g: order.get(g.role, 9))


def staff_search(
    *,
    query: str = "",
    organisation: Organisation | None = None,
    include_subordinates: bool = False,
    role: str = "",
) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True)
    for word in query.split()[:5]:
        qs = qs.filter(name_filter(word, STAFF_NAME_FIELDS))
    if organisation is not None:
        if include_subordinates:
            qs = qs.filter(organisation__path__startswith=organisation.path)
        else:
            qs = qs.filter(organisation=organisation)
    if role:
        qs = qs.filter(pk__in=RoleGrant.objects.filter(role=role).values("user_id"))
    return (
        qs.select_related("organisation")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("last_name", "first_name", "username")
    )
