"""Issue 9: a region filter on the working group's overdue tab reads two indexes and no table:
the region's appeal ids (`appeal_region_id`) and the first hops' open work by deadline, appeal
id included (`assignment_top_open_due`). Before them, the count visited every appeal the region
ever sent (70,000 rows at 1M: 368 ms at p50). PostgreSQL plans; marker `postgres`.

The data is tiny, so the planner is told not to scan tables (`enable_seqscan`,
`enable_bitmapscan` off) nor to loop over them: what is pinned is that the indexes answering
the query exist and match its predicates."""

from __future__ import annotations

import pytest
from django.db import connection

from murojaat.appeals import views_workspace as workspace
from tests.factories import Ministry
from tests.postgres import index_definitions
from tests.reports.scenario import TODAY, build

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _plan_of_the_count(user, key: str, filters: dict) -> str:  # type: ignore[no-untyped-def]
    tabs = workspace.workspace_tabs(user, TODAY)
    workspace.filter_tabs(tabs, filters)
    tab = next(t for t in tabs if t.key == key)
    sql, params = (
        tab.qs.order_by().values("pk")[: workspace.TAB_COUNT_CAP + 1].query.sql_with_params()
    )
    with connection.cursor() as cur:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_nestloop"):
            cur.execute(f"SET LOCAL {setting} = off")
        cur.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) counted", params)
        return "\n".join(row[0] for row in cur.fetchall())


def test_a_region_filter_on_the_working_groups_overdue_tab_reads_indexes_only(
    ministry: Ministry,
) -> None:
    build(ministry)
    plan = _plan_of_the_count(ministry.wg_member, "overdue", {"region": ministry.region_a.pk})
    assert "Index Only Scan using appeal_region_id on appeals_appeal" in plan, plan
    assert "Index Only Scan using assignment_top_open_due on appeals_assignment" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_indexes_hold_only_what_the_filters_read() -> None:
    found = index_definitions("appeal_region_id", "appeal_district_id", "assignment_top_open_due")
    assert "(author_region_id, id)" in found["appeal_region_id"]
    assert "(author_district_id, id)" in found["appeal_district_id"]
    top = found["assignment_top_open_due"]
    assert "(due_date, id, appeal_id)" in top, top
    assert "parent_id IS NULL" in top and "'sent'" in top and "'accepted'" in top, top
