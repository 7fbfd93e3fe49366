"""Issue 9: the dashboards' live part (the running month) reads the period's rows on an index,
never every assignment nor a subtree's whole history (PostgreSQL plans; marker `postgres`).

The data is tiny, so the planner is told not to scan (`enable_seqscan = off`): what is pinned
is that an index answering the query exists and matches its predicate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from murojaat.reports.selectors import Period, Scope, on_time_by_organisation, scope_for
from tests.factories import Ministry
from tests.postgres import index_definitions
from tests.reports.scenario import TODAY, at, build

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _plans_of_on_time(scope: Scope) -> list[str]:
    """The plan of each query on_time_by_organisation sends to the assignments."""
    period = Period(TODAY.replace(day=1), TODAY)
    with at(TODAY), CaptureQueriesContext(connection) as captured:
        on_time_by_organisation(scope, period)
    plans = []
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            if "appeals_assignment" in query["sql"] and "answered_at" in query["sql"]:
                cur.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cur.fetchall()))
    assert plans
    return plans


def test_the_working_groups_live_on_time_reads_the_months_answers_on_their_index(
    ministry: Ministry,
) -> None:
    build(ministry)
    for plan in _plans_of_on_time(Scope(user=ministry.wg_member, org=None)):
        assert "assignment_answered" in plan, plan
        assert "Seq Scan on appeals_assignment" not in plan, plan


def test_a_heads_live_on_time_reads_the_subtrees_answers_of_the_month(
    ministry: Ministry,
) -> None:
    """Not `org_id IN (subtree)` alone on the organisation index: that is the subtree's whole
    history, which grows with the years. Either answered-at index bounds it by the month
    (the planner picks by the subtree's share of the month's answers)."""
    build(ministry)
    scope = scope_for(ministry.regional_head)
    assert scope is not None and scope.org is not None
    for plan in _plans_of_on_time(scope):
        assert "assignment_org_answered" in plan or "assignment_answered" in plan, plan
        assert "appeals_assignment_org_id_" not in plan, plan
        assert "Seq Scan on appeals_assignment" not in plan, plan


def test_the_indexes_cover_only_answered_assignments() -> None:
    """Partial indexes: an open assignment (most of what intake writes) costs them nothing."""
    found = index_definitions("assignment_answered", "assignment_org_answered")
    assert set(found) == {"assignment_answered", "assignment_org_answered"}
    assert all("WHERE (answered_at IS NOT NULL)" in d for d in found.values()), found
    assert "(org_id, answered_at)" in found["assignment_org_answered"]


def _add_closed_history(cur, n: int) -> None:  # type: ignore[no-untyped-def]
    """`n` appeals closed a year ago, each with its finished assignment (copies of the first
    ones, in SQL), then ANALYZE: what the month's read must not walk through. On the
    scenario's five appeals alone every index costs the same few pages, and which one the
    planner takes changed with the day the tests ran."""
    cur.execute(
        """
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = 'appeals_appeal'::regclass AND attnum > 0 AND NOT attisdropped
          AND attname NOT IN ('id', 'number', 'seq', 'external_id', 'state', 'received_at',
                              'closed_at')
        """
    )
    (columns,) = cur.fetchone()
    cur.execute(
        f"""
        INSERT INTO appeals_appeal
            ({columns}, number, seq, external_id, state, received_at, closed_at)
        SELECT {columns}, number || '-' || g, seq + 100000 + g, NULL, 'closed',
               received_at - interval '400 days', received_at - interval '380 days'
        FROM appeals_appeal, generate_series(1, %s) g
        WHERE id = (SELECT min(id) FROM appeals_appeal)
        """,
        [n],
    )
    cur.execute(
        """
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = 'appeals_assignment'::regclass AND attnum > 0 AND NOT attisdropped
          AND attname NOT IN ('id', 'appeal_id', 'parent_id', 'state', 'finished_at')
        """
    )
    (columns,) = cur.fetchone()
    cur.execute(
        f"""
        INSERT INTO appeals_assignment ({columns}, appeal_id, parent_id, state, finished_at)
        SELECT {columns}, copies.id, NULL, 'done', copies.closed_at
        FROM appeals_assignment,
             (SELECT id, closed_at FROM appeals_appeal WHERE number LIKE '%%-%%-%%-%%') copies
        WHERE appeals_assignment.id = (SELECT min(id) FROM appeals_assignment)
        """
    )
    cur.execute("ANALYZE appeals_appeal, appeals_assignment")


def test_the_running_months_report_starts_from_what_was_open_in_the_month(
    ministry: Ministry,
) -> None:
    """`facts._end_of_month_facts` reads the appeals and assignments open at some moment of the
    month (`closed_at` / `finished_at` NULL or in the month): one btree each answers both arms,
    so the read follows the open backlog and the month's closures, never the whole history."""
    from murojaat.reports.facts import month_facts

    build(ministry)
    with at(TODAY), CaptureQueriesContext(connection) as captured:
        month_facts(TODAY.year, TODAY.month)
    wanted = {"closed_at": "appeal_closed", "finished_at": "assignment_finished"}
    seen = set()
    with connection.cursor() as cur:
        _add_closed_history(cur, 400)
        cur.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            for column, index in wanted.items():
                if f'"{column}" IS NULL OR' in query["sql"]:
                    cur.execute("EXPLAIN " + query["sql"])
                    plan = "\n".join(row[0] for row in cur.fetchall())
                    assert index in plan, plan
                    assert "Seq Scan on appeals_a" not in plan, plan
                    seen.add(column)
    assert seen == set(wanted)
