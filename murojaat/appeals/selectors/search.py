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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import phonenumbers
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import BooleanField, Expression, Q, QuerySet
from django.db.models.functions import Coalesce

from murojaat.accounts.models import User
from murojaat.core import identity
from murojaat.core.translit import normalize_for_search

from ..models import Appeal
from . import appeals_visible_to, sees_everything, subtree_ids_of, withheld_from


class HeldBy(Expression):
    """PostgreSQL: the appeal is or was held by one of `ids` (`held_by`, migration 0020, kept
    by a trigger from the assignments: the same set as `selectors._held_by_subtree`)."""

    output_field = BooleanField()

    def __init__(self, ids: Iterable[int], *, indexed: bool = True) -> None:
        super().__init__()
        self.ids = sorted(ids)
        self.indexed = indexed

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        if not self.indexed:
            # The same test, in a form the GIN index cannot serve: checked on each row the
            # other conditions found, never by building the subtree's bitmap (NULL: no holder,
            # false either way).
            return f"COALESCE({alias}.held_by, '{{}}'::bigint[]) && %s::bigint[]", [self.ids]
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


def search_appeals(
    user: User, query: str, visible: QuerySet[Appeal] | None = None
) -> QuerySet[Appeal]:
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
    visible = searchable_by(user) if visible is None else visible
    conditions = _text_conditions(query)
    if conditions is None:
        return visible.none()
    match, text_match, content_match = conditions
    withheld = withheld_from(user)
    if withheld is None:
        return visible.filter(match)
    return visible.filter((match & ~withheld) | (text_match & withheld & content_match))


# A whole appeal number ("PV-2026-000123", any case): CHANNEL_PREFIX-year-seq (L-2); the
# sequence has six digits or more (a national channel passes a million a year).
WHOLE_NUMBER = re.compile(r"^[A-Za-z]{1,6}-\d{4}-\d{6,}$")


def _whole_phone_key(query: str) -> str:
    """The E.164 key of a query that is a whole, valid phone number ("" otherwise): a partial
    one ("90000") keeps the text search."""
    text = query.strip()
    if not PHONE_LIKE.match(text):
        return ""
    key = identity.normalise_phone(text)
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(key, identity.DEFAULT_REGION))
    except phonenumbers.NumberParseException:
        return ""
    return key if valid else ""


def _text_conditions(query: str) -> tuple[Q, Q, Q] | None:
    """(match, text_match, content_match) of search_appeals; None for an empty query.

    A whole appeal number is the appeal with that number (the number's unique index), and a
    whole phone number is the appeals whose author has that phone (`author_phone_key`, the
    L-6 index): their trigrams ("pv-", "202", "998", "901") are in nearly every appeal, so the
    trigram index would read postings of the whole table to find one row (issue 9: 17 → 58 ms
    for the working group and 20 → 145 ms for a region from 100k to 1M). L-10 holds as for a
    word: an appeal whose author is withheld from the user is found by its number (part of
    its content), never by its author's phone alone."""
    text = query.strip()
    if WHOLE_NUMBER.match(text):
        exact = Q(number=text.upper())
        return exact, exact, Q()
    phone = _whole_phone_key(text)
    if phone:
        digits = re.sub(r"\D", "", phone)
        contains = "contains" if settings.IS_POSTGRES else "icontains"
        by_phone = Q(author_phone_key=phone)
        return by_phone, by_phone, Q(**{f"content_search_text__{contains}": digits})
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
# PostgreSQL: a word is rare for a subtree when the trigram index alone gives at most this many
# appeals within SCOPE_PROBE_MS (a rare word's probe takes a few ms even at 1M appeals).
RARE_CANDIDATES = 1000
SCOPE_PROBE_MS = 15


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
    if sees_everything(user):
        return matches
    if settings.IS_POSTGRES:
        return _narrowed_on_postgresql(user, query, matches)
    conditions = _text_conditions(query)
    if conditions is None:
        return matches
    ids = list(
        Appeal.objects.filter(conditions[0]).values_list("pk", flat=True)[: SCOPE_CANDIDATES + 1]
    )
    if len(ids) > SCOPE_CANDIDATES:
        return matches
    return matches.filter(pk__in=ids)


def _narrowed_on_postgresql(user: User, query: str, matches: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """PostgreSQL, someone who sees a subtree. `HeldBy`'s GIN index answers the scope with the
    text, but the subtree's bitmap is built whole: a region's rare word paid for reading the
    ids of every appeal the region ever held, which grows with its history (18-30 ms at 1M,
    docs/performance.md "Ninth pass"). So the trigram index is asked alone first, within
    SCOPE_PROBE_MS, for at most RARE_CANDIDATES ids; when the word is that rare, the search is
    the same conditions on those rows with the scope checked row by row (`HeldBy(indexed=
    False)`), which costs what the word's few matches cost. A commoner word, or a probe over
    its budget, keeps the indexed scope (its page is read off the received_at index and stops
    early; its count has its own budget). The same appeals either way: the candidates are a
    superset of the matches and the conditions are the same."""
    conditions = _text_conditions(query)
    if conditions is None or user.organisation_id is None:
        return matches
    probe = Appeal.objects.filter(conditions[0]).order_by().values_list("pk", flat=True)
    try:
        ids = within_budget(matches.db, SCOPE_PROBE_MS, lambda: list(probe[: RARE_CANDIDATES + 1]))
    except OverBudget:
        return matches
    if len(ids) > RARE_CANDIDATES:
        return matches
    rows = Appeal.objects.filter(pk__in=ids).filter(HeldBy(subtree_ids_of(user), indexed=False))
    return search_appeals(user, query, visible=rows)


# A common word matches a large share of a million appeals: counting every match would cost as
# much as reading them all. The count stops here and the page says "more than 1,000" instead.
SEARCH_COUNT_CAP = 1000

T = TypeVar("T")

# PostgreSQL's error code for a statement cancelled by statement_timeout (query_canceled).
QUERY_CANCELED = "57014"


class OverBudget(Exception):
    """A statement ran past its time budget and was cancelled (`within_budget`)."""


def within_budget(alias: str, budget_ms: int, run: Callable[[], T]) -> T:
    """`run()`, which only reads, with every statement limited to `budget_ms` on PostgreSQL:
    `SET LOCAL statement_timeout` in a savepoint (a transaction of its own outside one), which
    is rolled back afterwards whatever happens, so the setting never outlives it (a released
    savepoint would keep a SET LOCAL to the end of the request's transaction). A cancelled
    statement (SQLSTATE 57014) leaves the request's transaction usable and raises OverBudget;
    the caller answers without it. SQLite (the demo) has no statement timeout: `run()` runs
    plainly, as it does with a budget of 0."""
    connection = connections[alias]
    if budget_ms <= 0 or connection.vendor != "postgresql":
        return run()
    try:
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [f"{budget_ms}ms"]
                )
            result = run()
            transaction.set_rollback(True, using=alias)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        raise OverBudget from error
    return result


def count_budget_ms() -> int:
    """settings.MUROJAAT_SEARCH_COUNT_BUDGET_MS: 0 counts without a budget."""
    return int(getattr(settings, "MUROJAAT_SEARCH_COUNT_BUDGET_MS", 0) or 0)


def capped_count(qs: QuerySet[Any]) -> tuple[int | None, bool]:
    """The number of rows up to SEARCH_COUNT_CAP and whether there are more: one
    `SELECT COUNT(*) FROM (... LIMIT cap+1)`, which stops at the cap instead of counting every
    match. Pages past the cap are not offered; narrowing the search is.

    Even capped, a common word's count builds the bitmap of all its matches in the scope
    (issue 9, docs/performance.md "Ninth pass"), so on PostgreSQL it runs within
    `count_budget_ms()` (like GitLab's "1k+" and Elasticsearch's track_total_hits). Over
    budget the answer is (None, True): the number is unknown, there are very probably many
    matches, and the page is read without it (`open_page`)."""
    try:
        return within_budget(qs.db, count_budget_ms(), lambda: count_up_to(qs, SEARCH_COUNT_CAP))
    except OverBudget:
        return None, True


def count_up_to(qs: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """(rows up to `cap`, whether there are more): `SELECT COUNT(*) FROM (... LIMIT cap+1)`,
    which an index answers by reading at most cap+1 entries, so a count never reads every
    match (the search's count, the inbox's tab badges: issue 9)."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


@dataclass
class OpenPage:
    """A page of a search whose count ran out of budget: PER_PAGE rows read with one more, so
    "next" is offered exactly when a row follows, and no total (issue 9). Pages stop at
    SEARCH_COUNT_CAP, as the counted ones do."""

    object_list: list[Any]
    number: int
    per_page: int
    more: bool  # a match follows this page
    last: int  # the last page offered

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.more and self.number < self.last

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def shown(self) -> int:
        """The matches up to the end of this page."""
        return (self.number - 1) * self.per_page + len(self.object_list)


def newest_first_is_dense(user: User) -> bool:
    """Whether a common word's matches lie close together along the (received_at DESC, id)
    index for this user, so that walking it finds a page within the budget.

    The whole ministry's do: a word in a fifth of the appeals has its 25 newest matches among
    the newest ~125 rows. A subtree's are the word's share times the subtree's (an association
    holds about 0.5% of the appeals): its 25th match lies some 25,000 rows down the index, so
    the walk would only spend its budget before the sorted read (issue 9)."""
    return sees_everything(user)


def open_page(qs: QuerySet[Any], number: Any, per_page: int, walk: bool = True) -> OpenPage:
    """Page `number` of the matches `qs`, newest first, when their count is unknown (over
    budget: `capped_count` answered None). Page 1 when `number` is not a positive number, the
    last page offered when past the cap, page 1 again when past the last match.

    The count ran out of time, so the word is very probably common: the page walks the
    (received_at DESC, id) index and stops at the page (`search_order(True)`), within the same
    budget. A rare word whose count was only slowed down (a loaded server) would make that walk
    read the whole index, and sorting a common word's matches would read them all: past the
    budget, the capped count runs without one (it stops at the cap, so its cost is bounded
    either way) and chooses the order it would have chosen (`search_order`). Same rows, same
    order; a loaded server degrades to the counted page's cost, never to a sort of every
    match (issue 9: 7 s under the mixed load at 1M before). `walk=False`
    (`newest_first_is_dense`) goes straight to that read: the walk would not find the page."""
    last = max(1, SEARCH_COUNT_CAP // per_page)
    try:
        page = min(max(1, int(number)), last)
    except (TypeError, ValueError):
        page = 1

    def rows_of(page: int, order: tuple[Any, ...]) -> list[Any]:
        start = (page - 1) * per_page
        return list(qs.order_by(*order)[start : start + per_page + 1])

    def read(page: int) -> list[Any]:
        if walk:
            try:
                return within_budget(
                    qs.db, count_budget_ms(), lambda: rows_of(page, search_order(True))
                )
            except OverBudget:
                pass
        return rows_of(page, search_order(count_up_to(qs, SEARCH_COUNT_CAP)[1]))

    rows = read(page)
    if not rows and page > 1:
        page = 1
        rows = read(page)
    return OpenPage(rows[:per_page], page, per_page, len(rows) > per_page, last)


def search_order(capped: bool) -> tuple[Any, ...]:
    """Newest first, read the cheap way for the number of matches (issue 9).

    Many matches (the count reached the cap): walk the (received_at DESC, id) index and stop
    at the page, testing each row. Few matches: the same order on an expression the index does
    not cover, so PostgreSQL takes the matches from the text indexes and sorts those few;
    walking the whole index for a rare word would read every appeal. Same rows, same order."""
    if capped:
        return ("-received_at", "pk")
    return (Coalesce("received_at", "received_at").desc(), "pk")
