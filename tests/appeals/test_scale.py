"""Issue 9: scoping resolves to organisation ids cached per tree version, and the search's count
stops at a cap instead of counting every match (R-P3-5 / L-10 confidentiality unchanged)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from murojaat.appeals import selectors, views_workspace
from murojaat.appeals.selectors import search
from murojaat.orgs import tree
from murojaat.orgs.models import Organisation, OrgKind
from tests.factories import Ministry, make_org
from tests.reports.bulk import make_appeals
from tests.reports.scenario import TODAY, Scenario, at, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def test_scoping_is_by_organisation_ids_not_a_path_prefix(ministry: Ministry) -> None:
    """R-P3-5: a regional head reads the subtree's appeals through `org_id IN (...)`."""
    sql = str(selectors.appeals_visible_to(ministry.regional_head).query)
    assert "LIKE" not in sql.upper()
    ids = set(selectors.subtree_ids_of(ministry.regional_head))
    assert {ministry.regional_a.pk, ministry.association_a.pk} <= ids
    assert ministry.association_b.pk not in ids and ministry.regional_b.pk not in ids


def test_the_subtree_is_read_once_per_tree_version(ministry: Ministry) -> None:
    ministry.regional_a.subtree_ids()
    with CaptureQueriesContext(connection) as queries:
        ministry.regional_a.subtree_ids()
    assert len(queries) == 0


def test_a_new_organisation_below_is_in_the_subtree_at_once(ministry: Ministry) -> None:
    """R-P3-5: supervisors see what a newly created organisation below them handles."""
    before = ministry.regional_a.subtree_ids()
    clinic = make_org("clinic-1727", OrgKind.INSTITUTION, ministry.association_a)
    assert clinic.pk not in before
    assert clinic.pk in ministry.regional_a.subtree_ids()


def test_moving_an_organisation_moves_its_appeals_out_of_the_old_scope(
    ministry: Ministry, scenario: Scenario
) -> None:
    """R-P3-5: after the association moves to region B, region A's head no longer sees its
    appeals, and region B's does; no stale cached subtree on either side."""
    head_a, region_b = ministry.regional_head, ministry.regional_b
    sees = selectors.appeals_visible_to(head_a).filter(pk=scenario.at_association.pk)
    assert sees.exists()
    org = Organisation.objects.get(pk=ministry.association_a.pk)
    org.parent = region_b
    org.save()
    # The appeal stays visible to A through A's own assignment (it forwarded it); the
    # association's ids leave A's subtree and join B's.
    assert ministry.association_a.pk not in ministry.regional_a.subtree_ids()
    assert ministry.association_a.pk in Organisation.objects.get(pk=region_b.pk).subtree_ids()


def test_another_workers_change_is_seen_through_the_shared_version(ministry: Ministry) -> None:
    """A worker keeps its copy until the shared version moves; then it reads the tree again."""
    ids = ministry.regional_a.subtree_ids()
    # Another worker's save: a row appears and the shared version moves, this process's copy
    # stays as it was.
    Organisation.objects.filter(pk=ministry.association_b.pk).update(
        path=ministry.regional_a.path + f"{ministry.association_b.pk:07d}/"
    )
    assert ministry.regional_a.subtree_ids() == ids
    tree.bump_tree_version()
    assert ministry.association_b.pk in ministry.regional_a.subtree_ids()


def test_an_inbox_request_reads_the_tree_version_from_the_shared_cache_once(
    client, ministry: Ministry, monkeypatch
) -> None:
    """Each read of the version is a round trip to Redis in production: one per request, not
    one per cached list (about ten on an inbox page), for every role's inbox."""
    reads: list[str] = []
    real_get = tree.cache.get

    def counting_get(key, *args, **kwargs):
        if key == tree.VERSION_KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(tree.cache, "get", counting_get)
    for user in (ministry.wg_member, ministry.regional_head, ministry.association_executor):
        _inbox(client, user)
        reads.clear()
        _inbox(client, user, org=ministry.association_a.code, region=ministry.region_a.pk)
        assert len(reads) == 1, user


def test_another_workers_change_is_seen_from_the_next_request_on(
    client, ministry: Ministry
) -> None:
    """The per-request memo never outlives the request: a change another worker saved (the
    shared version moved, this process's copy did not) is on the next page; a change the
    request makes itself is seen by the rest of that request."""
    assert "Clinic Elsewhere" not in _inbox(client, ministry.wg_member)
    # Another worker: a row appears and the shared version moves.
    Organisation.objects.filter(pk=ministry.association_b.pk).update(name_en="Clinic Elsewhere")
    tree.cache.set(tree.VERSION_KEY, "another-worker", timeout=None)
    assert "Clinic Elsewhere" in _inbox(client, ministry.wg_member)
    # Within one request (the memo is open), its own change is read back at once.
    tree.request_started()
    try:
        before = ministry.regional_a.subtree_ids()
        clinic = make_org("clinic-own", OrgKind.INSTITUTION, ministry.association_a)
        assert clinic.pk in ministry.regional_a.subtree_ids()
        assert clinic.pk not in before
    finally:
        tree.request_finished()


def test_a_common_word_is_counted_up_to_the_cap_only(
    client, ministry: Ministry, monkeypatch
) -> None:
    """A search matching more than the cap says "more than" and never counts every match."""
    appeals = make_appeals(ministry, 7)
    monkeypatch.setattr(views_workspace, "SEARCH_COUNT_CAP", 5)  # the page's wording
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 5)  # the count (selectors.search)
    with at(TODAY), CaptureQueriesContext(connection) as queries:
        client.force_login(ministry.wg_member)
        response = client.get(reverse("appeals:search"), {"q": "navbat"})
    html = response.content.decode()
    assert "More than 5 appeals found" in html
    assert response.context["page"].paginator.count == 5
    # Every count of appeals stops at the cap (the header's unread-notification count is not
    # one of them).
    counts = [
        q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "appeals_appeal" in q["sql"]
    ]
    assert counts and all("LIMIT 6" in sql for sql in counts)
    # Below the cap the exact count is shown.
    with at(TODAY):
        response = client.get(reverse("appeals:search"), {"q": appeals[3].number})
    assert "1 appeal found" in response.content.decode()
    assert not response.context["capped"]


def test_the_capped_search_keeps_the_scope(client, ministry: Ministry, monkeypatch) -> None:
    """R-P3-5: the cap changes the count, not who sees what: region B sees none of region A."""
    make_appeals(ministry, 7)
    monkeypatch.setattr(views_workspace, "SEARCH_COUNT_CAP", 5)  # the page's wording
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 5)  # the count (selectors.search)
    with at(TODAY):
        client.force_login(ministry.outsider)
        response = client.get(reverse("appeals:search"), {"q": "navbat"})
    assert "0 appeals found" in response.content.decode()


def _inbox(client, user, **params) -> str:  # type: ignore[no-untyped-def]
    with at(TODAY):
        client.force_login(user)
        response = client.get(reverse("appeals:inbox"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_filter_choices_are_read_once_per_process(client, ministry: Ministry) -> None:
    """The second inbox reads no topic, region, district or organisation rows."""
    _inbox(client, ministry.wg_member)
    with at(TODAY), CaptureQueriesContext(connection) as queries:
        client.get(reverse("appeals:inbox"))
    tables = " ".join(q["sql"] for q in queries)
    for table in ("orgs_region", "orgs_district", "appeals_topic"):
        assert f'FROM "{table}"' not in tables, table
    assert 'ORDER BY "orgs_organisation"."path"' not in tables


def test_filter_choices_follow_a_change_of_the_tree(client, ministry: Ministry) -> None:
    """A new organisation, a renamed region: the next inbox offers them (tree version)."""
    assert "clinic-new" not in _inbox(client, ministry.wg_member)
    make_org("clinic-new", OrgKind.INSTITUTION, ministry.association_a, name_en="Clinic New")
    ministry.region_a.name_en = "Tashkent Region Renamed"
    ministry.region_a.save()
    html = _inbox(client, ministry.wg_member)
    assert '<option value="clinic-new">Clinic New</option>' in html
    assert "Tashkent Region Renamed" in html


def test_a_scoped_user_is_offered_only_their_subtree(client, ministry: Ministry) -> None:
    """R-P3-5: the organisation filter lists the user's own subtree, and a code from outside
    it is refused rather than widening the scope."""
    html = _inbox(client, ministry.regional_executor)
    assert f'<option value="{ministry.association_a.code}">' in html
    assert f'<option value="{ministry.association_b.code}">' not in html
    html = _inbox(client, ministry.regional_executor, org=ministry.association_b.code)
    assert 'aria-invalid="true"' in html


def test_the_chosen_filters_stay_selected(client, ministry: Ministry) -> None:
    html = _inbox(
        client, ministry.wg_member, region=ministry.region_a.pk, org=ministry.association_a.code
    )
    assert f'<option value="{ministry.region_a.pk}" selected>' in html
    assert f'<option value="{ministry.association_a.code}" selected>' in html


def test_both_search_orders_list_the_same_appeals_newest_first(ministry: Ministry) -> None:
    """Few matches are sorted on an expression, many read off the index: same rows, same order."""
    make_appeals(ministry, 12)
    matches = views_workspace.search_appeals(ministry.wg_member, "navbat")
    few = list(matches.order_by(*views_workspace.search_order(False)).values_list("pk", flat=True))
    many = list(matches.order_by(*views_workspace.search_order(True)).values_list("pk", flat=True))
    newest_first = list(matches.order_by("-received_at", "pk").values_list("pk", flat=True))
    assert few == many == newest_first and len(few) == 12


def test_working_days_over_years_match_a_day_by_day_count() -> None:
    """The running counts give what walking the calendar gives, across years and holidays."""
    from datetime import date, timedelta

    from murojaat.appeals.deadlines import working_days_left
    from murojaat.core.calendar import WorkCalendar

    cal = WorkCalendar()

    def walked(after: date, until: date) -> int:
        days = (after + timedelta(days=n) for n in range(1, (until - after).days + 1))
        return sum(1 for d in days if not cal.is_day_off(d))

    today = date(2026, 12, 3)
    for due in (date(2023, 12, 31), date(2024, 2, 29), date(2026, 1, 1), date(2026, 12, 2),
                date(2026, 12, 4), date(2027, 3, 21), date(2028, 1, 1)):  # fmt: skip
        expected = walked(today, due) if due > today else -max(1, walked(due, today))
        assert working_days_left(today, due, cal) == expected, due


def test_a_scoped_search_finds_the_same_appeals_from_the_candidates_or_without(
    ministry: Ministry, scenario: Scenario, monkeypatch
) -> None:
    """R-P3-5: narrowing by text-only candidates never widens (or narrows) the scope."""
    make_appeals(ministry, 9)
    user = ministry.regional_executor
    for query in ("navbat", "murojaat", "Muallif 4", "PV"):
        plain = set(views_workspace.search_appeals(user, query).values_list("pk", flat=True))
        narrowed = set(views_workspace.narrowed_search(user, query).values_list("pk", flat=True))
        monkeypatch.setattr(search, "SCOPE_CANDIDATES", 1)
        fallback = set(views_workspace.narrowed_search(user, query).values_list("pk", flat=True))
        monkeypatch.undo()
        assert plain == narrowed == fallback, query
    outsider = set(views_workspace.narrowed_search(ministry.outsider, "navbat"))
    assert not outsider
