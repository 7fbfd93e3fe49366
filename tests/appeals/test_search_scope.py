"""Issue 9: a subtree's search is one text-and-scope predicate on PostgreSQL. `held_by` (the
organisations that hold or held the appeal, migration 0020) is kept by a trigger from the
assignments, so it is the same set the scoping subquery reads (R-P3-5, L-10), whatever
happened to the appeal: routed, forwarded, returned, recalled, deleted."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Assignment
from murojaat.appeals.selectors import appeals_visible_to
from murojaat.appeals.selectors.search import narrowed_search, search_appeals, searchable_by
from tests.factories import Ministry
from tests.reports.bulk import make_appeals
from tests.reports.scenario import at, build

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps the assignments' subquery")


def _held_by(appeal: Appeal) -> set[int]:
    with connection.cursor() as cur:
        cur.execute("SELECT held_by FROM appeals_appeal WHERE id = %s", [appeal.pk])
        return set(cur.fetchone()[0])


def _assigned(appeal: Appeal) -> set[int]:
    return set(Assignment.objects.filter(appeal=appeal).values_list("org_id", flat=True))


def test_held_by_follows_every_assignment_of_the_appeal(ministry: Ministry) -> None:
    scenario = build(ministry)
    for appeal in (scenario.at_association, scenario.returned, scenario.new_today):
        assert _held_by(appeal) == _assigned(appeal)
    # Forwarded from the region to the association: both hold it.
    assert {ministry.regional_a.pk, ministry.association_a.pk} <= _held_by(scenario.at_association)
    # Returned by the centre: the centre held it and still sees it (R-P2-3).
    assert ministry.centre.pk in _held_by(scenario.returned)
    assert _held_by(scenario.new_today) == set()
    with at(date(2026, 11, 18)):
        services.recall_assignment(
            actor=ministry.regional_executor, assignment=scenario.child, reason="Boshqa joyga."
        )
    assert _held_by(scenario.at_association) == _assigned(scenario.at_association)
    # An assignment with events cannot be deleted (append-only history, issue 10 #10); one
    # without history can, and the array follows both the insert and the delete.
    extra = Assignment.objects.get(pk=scenario.child.pk)
    extra.pk = None
    extra.org = ministry.centre
    extra.save()
    assert ministry.centre.pk in _held_by(scenario.at_association)
    Assignment.objects.filter(pk=extra.pk).delete()
    assert ministry.centre.pk not in _held_by(scenario.at_association)
    Assignment.objects.filter(pk=scenario.top.pk).update(org=ministry.regional_b)
    # The recalled child stays (its history is kept): the association still held it.
    assert _held_by(scenario.at_association) == {ministry.regional_b.pk, ministry.association_a.pk}


def test_a_scoped_search_returns_what_the_scoping_subquery_allows(ministry: Ministry) -> None:
    """R-P3-5: the indexed scope is the same set as `appeals_visible_to`, for every role."""
    build(ministry)
    make_appeals(ministry, 12)
    users = (
        ministry.regional_executor,
        ministry.regional_head,
        ministry.association_head,
        ministry.centre_executor,
        ministry.outsider,
        ministry.wg_member,
    )
    for user in users:
        assert set(searchable_by(user)) == set(appeals_visible_to(user)), user
        for query in ("navbat", "shifokor", "Muallif 4", "PV", "+998"):
            found = set(search_appeals(user, query).values_list("pk", flat=True))
            allowed = set(appeals_visible_to(user).values_list("pk", flat=True))
            assert found <= allowed, (user, query)
            assert set(narrowed_search(user, query).values_list("pk", flat=True)) == found


def test_the_scope_and_the_text_are_answered_by_two_indexes_together(
    ministry: Ministry,
) -> None:
    """Issue 9: no semi-join over the subtree's assignments: `held_by`'s GIN index answers the
    scope (the planner is told not to scan, the data being tiny)."""
    build(ministry)
    qs = search_appeals(ministry.regional_executor, "navbat").order_by().values("pk")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "appeal_held_by_gin" in plan, plan
    # At most one bitmap of the word's matches: the trigram index, not also the full-text one
    # (its prefix match is a subset of the LIKE, issue 9, docs/performance.md "Sixth pass").
    assert "_fts" not in plan and "to_tsvector" not in sql, plan
    # The subtree's assignments are never read (L-10's check of the user's own organisation,
    # one `org_id = ...` probe, is all that touches them).
    assert "org_id = ANY" not in plan, plan


def test_no_unread_full_text_index_is_kept_on_appeals() -> None:
    """Issue 9 §4: every index on appeals costs each registration; the full-text one of 0006
    is read by nothing since the search is one trigram LIKE per word, so 0026 drops it."""
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'appeals_appeal'")
        definitions = [row[0] for row in cur.fetchall()]
    assert definitions and not [d for d in definitions if "to_tsvector" in d], definitions


def test_a_rare_word_in_a_subtree_is_checked_row_by_row_not_by_the_subtree_s_bitmap(
    ministry: Ministry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9: a region's rare word must not pay for the ids of everything the region ever
    held. The trigram index alone gives the word's few appeals, and the scope is tested on
    those rows (no `appeal_held_by_gin`); a commoner word keeps the indexed scope. Both give
    the appeals `search_appeals` gives."""
    from murojaat.appeals.selectors import search

    build(ministry)
    make_appeals(ministry, 12)
    user = ministry.regional_executor

    def plan(query: str) -> str:
        sql, params = narrowed_search(user, query).order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, params)
            return "\n".join(r[0] for r in cur.fetchall())

    found = set(search_appeals(user, "navbat").values_list("pk", flat=True))
    assert found, "the scenario has matches in the region"
    assert set(narrowed_search(user, "navbat").values_list("pk", flat=True)) == found
    assert "appeal_held_by_gin" not in plan("navbat")
    monkeypatch.setattr(search, "RARE_CANDIDATES", 1)  # now "navbat" counts as common
    assert set(narrowed_search(user, "navbat").values_list("pk", flat=True)) == found
    assert "appeal_held_by_gin" in plan("navbat")
