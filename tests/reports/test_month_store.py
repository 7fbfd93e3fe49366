"""The figures counted when a month closes (issue 9 items 1 and 3, R-ORG-7): the monthly report
and the dashboards read a closed month from them, with the same numbers a fresh derivation
gives, and without reading the appeals, assignments, events or facts of that month."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import Assignment, AssignmentState
from murojaat.orgs.models import Organisation
from murojaat.reports import facts, monthly, selectors
from murojaat.reports.models import MonthClose, MonthFigure
from murojaat.reports.monthly import Filter
from murojaat.reports.selectors import Period
from tests.appeals.helpers import register
from tests.factories import Ministry
from tests.reports.scenario import Scenario, at, build, received

pytestmark = pytest.mark.django_db

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
HISTORY_TABLES = ("appeals_appeal", "appeals_assignment", "appeals_event", "reports_monthfact")


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    built = build(ministry)
    with at(date(2026, 11, 20)):
        services.accept_answer(actor=ministry.wg_member, assignment=built.answered_top)
        services.send_answer(actor=ministry.wg_member, appeal=built.answered)
    return built


def _charts(scope: selectors.Scope, period: Period) -> dict[str, Any]:
    return {
        "topics": [(b.key, b.count) for b in selectors.top_topics(scope, period)],
        "channels": [(b.key, b.count) for b in selectors.by_channel(scope, period)],
        "regions": [(b.key, b.count) for b in selectors.by_region(scope, period)],
        "on_time": [
            (f.org.code, f.n("answered"), f.n("on_time"))
            for f in selectors.on_time_by_organisation(scope, period)
        ],
    }


def _scopes(ministry: Ministry) -> list[selectors.Scope]:
    users = (ministry.wg_member, ministry.regional_head, ministry.association_head)
    return [s for s in (selectors.scope_for(u) for u in users) if s is not None]


def _report(flt: Filter) -> tuple[dict[str, int], dict[int, dict[str, int]], dict[str, Any]]:
    figures = monthly.monthly_figures(2026, 11, flt)
    rows = {r.org.pk: {k: v for k, v in r.values.items() if v} for r in figures.rows}
    return figures.totals, rows, figures.breakdowns


def test_a_closed_month_s_report_equals_its_derivation_for_every_subtree_r_org_7(
    ministry: Ministry, scenario: Scenario
) -> None:
    """The totals, rows and breakdowns counted at closing, for the whole ministry and each
    organisation's subtree, are what `aggregate` gives over the same month's facts."""
    with at(date(2026, 12, 2)):
        filters = [Filter()] + [Filter(org_path=o.path) for o in Organisation.objects.all()]
        derived = {flt: _report(flt) for flt in filters}
        record = monthly.close_month(2026, 11)
        assert record.figures and record.figures == MonthFigure.objects.count()
        for flt in filters:
            assert _report(flt) == derived[flt], flt
    # Not vacuous: the regional directorate's subtree counts the forwarded appeal once.
    totals, rows, _parts = derived[Filter(org_path=ministry.regional_a.path)]
    assert totals["received"] >= 1 and rows


def test_the_dashboard_s_closed_months_come_from_the_store_and_equal_the_live_figures(
    ministry: Ministry, scenario: Scenario, django_assert_max_num_queries
) -> None:
    """Issue 9 item 1: a period of closed months reads the store, not the history, for the
    working group, a regional head and a district association's head alike."""
    with at(date(2026, 12, 2)):
        live = {s.user.pk: _charts(s, NOVEMBER) for s in _scopes(ministry)}
        assert any(v["topics"] for v in live.values())
        assert any(v["on_time"] for v in live.values())
        monthly.close_month(2026, 11)
        for scope in _scopes(ministry):
            assert selectors.split(NOVEMBER).months == [(2026, 11)]
            with django_assert_max_num_queries(12) as captured:
                charts = _charts(scope, NOVEMBER)
            assert charts == live[scope.user.pk]
            sql = " ".join(q["sql"] for q in captured.captured_queries)
            assert not any(f'"{t}"' in sql for t in HISTORY_TABLES), sql


def test_a_period_across_a_closed_and_a_running_month_adds_the_days_left_live(
    ministry: Ministry, scenario: Scenario
) -> None:
    """From 10 November to 2 December: November's first nine days and December's two are
    read from the rows, so the figures are the live ones whatever is stored."""
    with at(date(2026, 12, 1)):
        register(received=received(date(2026, 12, 1)))
    period = Period(date(2026, 11, 10), date(2026, 12, 2))
    whole = Period(date(2026, 11, 1), date(2026, 12, 2))
    with at(date(2026, 12, 2)):
        before = {s.user.pk: (_charts(s, period), _charts(s, whole)) for s in _scopes(ministry)}
        monthly.close_month(2026, 11)
        parts = selectors.split(period)
        assert parts.months == [] and len(parts.live) == 1  # November is not whole here
        assert selectors.split(whole).months == [(2026, 11)]
        for scope in _scopes(ministry):
            assert (_charts(scope, period), _charts(scope, whole)) == before[scope.user.pk]
    december = dict(before[ministry.wg_member.pk][1]["channels"])
    november = dict(_charts(selectors.scope_for(ministry.wg_member), NOVEMBER)["channels"])
    assert sum(december.values()) == sum(november.values()) + 1


def test_a_closed_month_s_dashboard_ignores_a_later_return(
    ministry: Ministry, scenario: Scenario
) -> None:
    """R-ORG-7, issue 9 item 3: after November closed, the association's assignment being
    returned in December no longer moves November's charts of its head (live, it would)."""
    scope = selectors.scope_for(ministry.association_head)
    assert scope is not None
    with at(date(2026, 12, 1)):
        monthly.close_month(2026, 11)
        frozen = _charts(scope, NOVEMBER)
        assert frozen["channels"] == [("president_vr", 1)]
    with at(date(2026, 12, 2)):
        # The state a return leaves (the service itself refuses a return this late, R-P2-3).
        Assignment.objects.filter(pk=scenario.child.pk).update(state=AssignmentState.RETURNED)
        assert _charts(scope, NOVEMBER) == frozen
        MonthClose.objects.filter(year=2026, month=11).update(figures=None)  # store unread
        assert _charts(scope, NOVEMBER)["channels"] == []


def test_the_command_counts_the_figures_of_a_month_closed_before_they_existed(
    ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 12, 2)):
        derived = _report(Filter())
        monthly.close_month(2026, 11)
        MonthFigure.objects.all().delete()
        MonthClose.objects.update(figures=None)
        assert monthly.months_to_count() == [(2026, 11)]
        from django.core.management import call_command

        call_command("month_figures")
        assert monthly.months_to_count() == []
        assert _report(Filter()) == derived
        assert facts.digest(facts.month_facts(2026, 11)) == MonthClose.objects.get().digest
