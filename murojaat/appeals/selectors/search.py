"""The staff search (issue 4 §3, issue 9): every read of it goes through here (issue 10).

Matching is on `Appeal.search_text` (case-folded, transliterated to Latin by
`normalize_for_search`) through the trigram GIN index of migration 0004; the scope of a user who
sees a subtree is, on PostgreSQL, `held_by && ARRAY[subtree ids]` on the GIN index of migration
0020, so PostgreSQL ANDs the two bitmaps instead of reading the region's history of
assignments. SQLite keeps the assignments' subquery
(`selectors.appeals_visible_to`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Expression, Q, QuerySet
from django.db.models.functions import Coalesce

from murojaat.accounts.models import User
from murojaat.core.translit import normalize_for_search

from ..models import Appeal
from . import appeals_visible_to, sees_everything, subtree_ids_of, withheld_from


class HeldBy(Expression):
    """PostgreSQL: the appeal is or was held by one of `ids` (`held_by`, migration 0020, kept
    by a trigger from the assignments: the same set as `selectors._held_by_subtree`)."""

    output_field = BooleanField()

    def __init__(self, ids: Iterable[int]) -> None:
        super().__init__()
        self.ids = sorted(ids)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.held_by && %s::bigint[]", [self.ids]


def searchable_by(user: User) -> QuerySet[Appeal]:
    """The appeals a search may return: `appeals_visible_to`, with the subtree's scope as one
    indexed predicate on PostgreSQL."""
    if (
        settings.IS_POSTGRES
        and user.is_authenticated
        and user.organisation_id is not None
        and not sees_everything(user)
    ):
        return Appeal.objects.filter(HeldBy(subtree_ids_of(user)))
    return appeals_visible_to(user)


PHONE_LIKE = re.compile(r"^[\d\s+\-().]+$")


def search_appeals(user: User, query: str) -> QuerySet[Appeal]:
    """Appeals visible to `user` matching every word of `query` in the number, author, phone,
    e-mail or text, whatever the script (Latin/Cyrillic) and case: both sides are reduced by
    normalize_for_search. A query that looks like a phone number also matches the author's
    phone with spaces, dashes, brackets and "+" ignored.

    L-10: an appeal whose author asked to be hidden is found by someone who may not see the
    author only through its number and text: otherwise a search for a name would reveal who
    wrote it. search_text mixes the author into the text, so for those appeals each word must
    also be in content_search_text (number and text, normalised the same way); search_text
    still narrows first, through its index.

    Each word is one `LIKE '%word%'` on PostgreSQL (the trigram index of migration 0004) and
    `icontains` on SQLite: the same test on both. It used to be ORed with a prefix match on the
    full-text index of migration 0006, which can only find what the LIKE finds (a prefix of a
    word is contained in the text) and made PostgreSQL build two bitmaps of every match in the
    ministry instead of one (issue 9, docs/performance.md "Sixth pass")."""
    visible = searchable_by(user)
    conditions = _text_conditions(query)
    if conditions is None:
        return visible.none()
    match, text_match, content_match = conditions
    withheld = withheld_from(user)
    if withheld is None:
        return visible.filter(match)
    return visible.filter((match & ~withheld) | (text_match & withheld & content_match))


def _text_conditions(query: str) -> tuple[Q, Q, Q] | None:
    """(match, text_match, content_match) of search_appeals; None for an empty query."""
    words = normalize_for_search(query).split()
    if not words:
        return None
    # search_text and the words are both case-folded by normalize_for_search, so on PostgreSQL a
    # plain LIKE '%word%' (`contains`) is exact and uses the pg_trgm GIN index of migration 0004
    # (icontains would wrap the column in UPPER() and miss that index). SQLite: icontains.
    contains = "contains" if settings.IS_POSTGRES else "icontains"
    text_match = content_match = Q()
    for word in words[:10]:
        text_match &= Q(**{f"search_text__{contains}": word})
        content_match &= Q(**{f"content_search_text__{contains}": word})
    match = text_match
    digits = re.sub(r"\D", "", query)
    if PHONE_LIKE.match(query.strip()) and len(digits) >= 5:
        # The digits of the phone are part of search_text (services), so this stays indexed.
        match = text_match | Q(**{f"search_text__{contains}": digits})
    return match, text_match, content_match


# A scoped search first asks the text indexes alone for at most this many candidates.
SCOPE_CANDIDATES = 5000


def narrowed_search(user: User, query: str) -> QuerySet[Appeal]:
    """search_appeals, cheap for a subtree whatever the word (issue 9).

    On PostgreSQL the scope is `HeldBy`, answered with the text by two indexes; what follows
    is SQLite's path, kept as it was.

    For someone who sees a subtree, PostgreSQL may start from the subtree's assignments, which
    grow with the years: a rare word then costs as much as reading the region's history. So the
    text indexes are asked first, alone, for the matching ids (one query, at most
    SCOPE_CANDIDATES); when the word is that rare, the scoped search runs on those ids only.
    A commoner word keeps the plain scoped search (its page is read off the received_at index
    and stops early). The result is the same set either way: the candidates are a superset."""
    matches = search_appeals(user, query)
    if sees_everything(user) or settings.IS_POSTGRES:
        return matches  # PostgreSQL: the scope is already an index (`HeldBy`)
    conditions = _text_conditions(query)
    if conditions is None:
        return matches
    ids = list(
        Appeal.objects.filter(conditions[0]).values_list("pk", flat=True)[: SCOPE_CANDIDATES + 1]
    )
    if len(ids) > SCOPE_CANDIDATES:
        return matches
    return matches.filter(pk__in=ids)


# A common word matches a large share of a million appeals: counting every match would cost as
# much as reading them all. The count stops here and the page says "more than 1,000" instead.
SEARCH_COUNT_CAP = 1000


def capped_count(qs: QuerySet[Any]) -> tuple[int, bool]:
    """The number of rows up to SEARCH_COUNT_CAP and whether there are more: one
    `SELECT COUNT(*) FROM (... LIMIT cap+1)`, which stops at the cap instead of counting every
    match. Pages past the cap are not offered; narrowing the search is."""
    n = qs.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()
    return min(n, SEARCH_COUNT_CAP), n > SEARCH_COUNT_CAP


def search_order(capped: bool) -> tuple[Any, ...]:
    """Newest first, read the cheap way for the number of matches (issue 9).

    Many matches (the count reached the cap): walk the (received_at DESC, id) index and stop
    at the page, testing each row. Few matches: the same order on an expression the index does
    not cover, so PostgreSQL takes the matches from the text indexes and sorts those few;
    walking the whole index for a rare word would read every appeal. Same rows, same order."""
    if capped:
        return ("-received_at", "pk")
    return (Coalesce("received_at", "received_at").desc(), "pk")
