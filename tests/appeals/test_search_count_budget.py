"""The search's count runs within a time budget (issue 9): over it, the page says there are more
matches than shown, without a number, and still pages by "next"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import override_settings
from django.urls import reverse

from murojaat.appeals import views_workspace
from murojaat.appeals.models import Appeal
from murojaat.appeals.selectors import search
from murojaat.appeals.selectors.search import (
    OverBudget,
    capped_count,
    narrowed_search,
    open_page,
    search_order,
    within_budget,
)
from tests.appeals.helpers import register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


def over_budget(qs: QuerySet[Appeal]) -> tuple[int | None, bool]:
    """What capped_count answers when the count ran out of its budget."""
    return None, True


@pytest.fixture
def navbat(ministry: Ministry) -> list[Appeal]:
    """27 matches of "navbat", more than a page."""
    return [register(text=f"Navbat muammosi {i}") for i in range(27)]


def test_a_count_over_budget_says_more_than_shown_and_pages_by_next(
    client, ministry: Ministry, navbat: list[Appeal], monkeypatch
) -> None:
    monkeypatch.setattr(views_workspace, "capped_count", over_budget)
    client.force_login(ministry.wg_member)
    first = client.get(reverse("appeals:search"), {"q": "navbat"})
    html = first.content.decode()
    assert len(first.context["rows"]) == 25
    assert "More than 25 appeals found" in html
    assert "27 appeals found" not in html and "of 2" not in html  # no total, no page count
    assert 'q=navbat&amp;page=2" rel="next"' in html
    assert 'rel="prev"' not in html
    # The last page knows how many there were: the 2 rows left, after 25.
    second = client.get(reverse("appeals:search"), {"q": "navbat", "page": "2"})
    html = second.content.decode()
    assert len(second.context["rows"]) == 2
    assert "27 appeals found" in html and "More than" not in html
    assert 'q=navbat&amp;page=1" rel="prev"' in html and 'rel="next"' not in html
    # Newest first, the same rows as the counted pages, none twice.
    numbers = [r.number for r in first.context["page"].object_list] + [
        r.number for r in second.context["page"].object_list
    ]
    expected = list(
        narrowed_search(ministry.wg_member, "navbat")
        .order_by(*search_order(True))
        .values_list("number", flat=True)
    )
    assert numbers == expected


def test_an_open_page_past_the_matches_or_not_a_number_shows_the_first(
    client, ministry: Ministry, navbat: list[Appeal], monkeypatch
) -> None:
    monkeypatch.setattr(views_workspace, "capped_count", over_budget)
    client.force_login(ministry.wg_member)
    for page in ("9", "x", "-3"):
        response = client.get(reverse("appeals:search"), {"q": "navbat", "page": page})
        assert response.context["page"].number == 1
        assert len(response.context["rows"]) == 25


def test_open_pages_stop_at_the_cap_like_counted_ones(
    ministry: Ministry, navbat: list[Appeal], monkeypatch
) -> None:
    """SEARCH_COUNT_CAP 26 = 2 pages of 13: the second offers no third though a 27th follows."""
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 26)
    matches = narrowed_search(ministry.wg_member, "navbat")
    page = open_page(matches, "2", 13)
    assert page.number == 2 and page.more and not page.has_next()
    assert open_page(matches, "1", 13).has_next()
    assert open_page(matches, "5", 13).number == 2  # past the cap: the last page offered


def test_a_count_over_budget_keeps_the_scope_r_p3_5(
    client, ministry: Ministry, monkeypatch
) -> None:
    """R-P3-5: region A's executor finds only what region A holds, with or without a count."""
    from murojaat.appeals import services

    others = [register(text=f"Navbat {i}") for i in range(3)]
    held = [register(text=f"Navbat boshqa {i}") for i in range(3)]
    for appeal in held:
        services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a)
    services.route_appeal(actor=ministry.wg_member, appeal=others[0], to_org=ministry.regional_b)
    monkeypatch.setattr(views_workspace, "capped_count", over_budget)
    client.force_login(ministry.regional_executor)
    response = client.get(reverse("appeals:search"), {"q": "navbat"})
    found = {row.number for row in response.context["page"].object_list}
    assert found == {a.number for a in held}
    assert not found & {a.number for a in others}
    assert "3 appeals found" in response.content.decode()


def test_a_count_within_budget_is_exact(client, ministry: Ministry, navbat: list[Appeal]) -> None:
    client.force_login(ministry.wg_member)
    with override_settings(MUROJAAT_SEARCH_COUNT_BUDGET_MS=60_000):
        response = client.get(reverse("appeals:search"), {"q": "navbat"})
    assert response.context["counted"] and "27 appeals found" in response.content.decode()
    assert "Page 1 of 2" in response.content.decode()
    assert capped_count(narrowed_search(ministry.wg_member, "navbat")) == (27, False)


# --- PostgreSQL: a real statement_timeout ---------------------------------------------------


def sleeping(qs: QuerySet[Appeal], seconds: float = 0.2) -> QuerySet[Appeal]:
    """`qs` whose every statement first sleeps (an uncorrelated subquery: once per statement)."""
    return qs.extra(where=[f"(SELECT true FROM pg_sleep({seconds}))"])


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return str(cursor.fetchone()[0])


@pytest.mark.postgres
def test_postgresql_cancels_a_count_over_budget_and_the_transaction_goes_on(
    ministry: Ministry, navbat: list[Appeal], postgresql: None
) -> None:
    before = statement_timeout()
    slow = sleeping(narrowed_search(ministry.wg_member, "navbat"))
    with override_settings(MUROJAAT_SEARCH_COUNT_BUDGET_MS=20):
        assert capped_count(slow) == (None, True)
    # The savepoint was rolled back: the test's transaction answers, with its own timeout.
    assert Appeal.objects.filter(text__contains="Navbat").count() == 27
    assert statement_timeout() == before
    with pytest.raises(OverBudget):
        within_budget("default", 20, lambda: slow.count())
    assert Appeal.objects.count() == 27


@pytest.mark.postgres
def test_postgresql_gives_the_timeout_back_after_a_count_within_budget(
    ministry: Ministry, navbat: list[Appeal], postgresql: None
) -> None:
    """SET LOCAL would outlive the released savepoint: the budget must not stay on the rest of
    the request's transaction."""
    before = statement_timeout()
    assert within_budget("default", 5_000, lambda: statement_timeout()) == "5s"
    assert statement_timeout() == before
    with override_settings(MUROJAAT_SEARCH_COUNT_BUDGET_MS=5_000):
        assert capped_count(narrowed_search(ministry.wg_member, "navbat")) == (27, False)
    assert statement_timeout() == before


@pytest.mark.postgres
def test_postgresql_search_page_over_budget_lists_25_rows_with_next(
    client, ministry: Ministry, navbat: list[Appeal], monkeypatch, postgresql: None
) -> None:
    """A real cancellation in the request: the count and the index walk both run out of their
    1 ms budget; the page is read the sorted way in the same transaction."""
    monkeypatch.setattr(
        views_workspace, "narrowed_search", lambda user, q: sleeping(narrowed_search(user, q))
    )
    client.force_login(ministry.wg_member)
    with override_settings(MUROJAAT_SEARCH_COUNT_BUDGET_MS=1):
        response = client.get(reverse("appeals:search"), {"q": "navbat"})
    html = response.content.decode()
    assert response.status_code == 200 and not response.context["counted"]
    assert len(response.context["rows"]) == 25
    assert "More than 25 appeals found" in html and 'page=2" rel="next"' in html


def test_a_subtrees_open_page_skips_the_walk_along_the_newest_and_finds_the_same_rows(
    client, ministry: Ministry, monkeypatch
) -> None:
    """Issue 9: a subtree's matches are sparse along the received_at index, so once its count
    ran out of budget its page is read the sorted way at once; the working group's walk is
    tried first. The rows are the same either way (R-P3-5: only the subtree's)."""
    from murojaat.appeals import services

    held = [register(text=f"Navbat viloyat {i}") for i in range(4)]
    for appeal in held:
        services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a)
    register(text="Navbat boshqa joyda")
    walks: list[str] = []
    budgeted = search.within_budget

    def walk_over_budget(alias, budget_ms, run):  # type: ignore[no-untyped-def]
        if budget_ms == search.SCOPE_PROBE_MS:  # PostgreSQL's rare-word probe: not the walk
            return budgeted(alias, budget_ms, run)
        walks.append(alias)
        raise OverBudget

    monkeypatch.setattr(views_workspace, "capped_count", over_budget)
    monkeypatch.setattr(search, "within_budget", walk_over_budget)
    client.force_login(ministry.regional_executor)
    scoped = client.get(reverse("appeals:search"), {"q": "navbat"})
    assert walks == []
    assert [r.number for r in scoped.context["page"].object_list] == [
        a.number for a in sorted(held, key=lambda a: (-a.received_at.timestamp(), a.pk))
    ]
    client.force_login(ministry.wg_member)
    whole = client.get(reverse("appeals:search"), {"q": "navbat"})
    assert walks == ["default"]
    assert len(whole.context["page"].object_list) == 5
