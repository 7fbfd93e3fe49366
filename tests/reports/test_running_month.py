"""The running month's monthly report (issue 9 item 3, R-ORG-7): celery beat stores a
provisional snapshot of its figures every few minutes; the report reads it instead of deriving
the month from the events on every request, says how fresh it is, and closing the month
replaces it by the final figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from murojaat.appeals import services
from murojaat.orgs.models import Organisation
from murojaat.reports import facts, monthly, official, tasks
from murojaat.reports.models import MonthClose, MonthFact, MonthSnapshot
from murojaat.reports.monthly import Filter
from tests.factories import Ministry
from tests.reports.scenario import Scenario, at, build

pytestmark = pytest.mark.django_db

HISTORY_TABLES = ("appeals_appeal", "appeals_assignment", "appeals_event")


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def _report(flt: Filter) -> tuple[dict[str, int], dict[int, dict[str, int]], dict[str, object]]:
    figures = monthly.monthly_figures(2026, 11, flt)
    rows = {r.org.pk: {k: v for k, v in r.values.items() if v} for r in figures.rows}
    return figures.totals, rows, figures.breakdowns


def test_the_snapshot_equals_a_fresh_derivation_for_every_subtree(
    ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 11, 20)):
        filters = [Filter()] + [Filter(org_path=o.path) for o in Organisation.objects.all()]
        derived = {flt: _report(flt) for flt in filters}
        record = tasks.refresh_running_month()
        assert record == "2026-11 as of 2026-11-20 11:00"  # Tashkent time
        snap = MonthSnapshot.objects.get()
        assert snap.digest == facts.digest(facts.month_facts(2026, 11))
        for flt in filters:
            assert _report(flt) == derived[flt], flt
        # A region filter reads the snapshot's facts: the same figures as derived.
        region = Filter(region_id=ministry.regional_a.region_id)
        assert monthly.monthly_figures(2026, 11, region).totals == (
            monthly.aggregate(
                (f for f in facts.month_facts(2026, 11) if region.matches(f)), region
            ).totals
        )
    totals, rows, _parts = derived[Filter(org_path=ministry.regional_a.path)]
    assert totals["received"] >= 1 and rows  # not vacuous


def test_the_page_reads_no_events_when_a_snapshot_exists_and_says_how_fresh_it_is(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 11, 20)):
        monthly.refresh_running_month()
        client.force_login(ministry.wg_member)
        with translation.override("en"), CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reports:monthly"), {"month": "2026-11"})
        assert response.status_code == 200
        sql = " ".join(q["sql"] for q in captured.captured_queries)
        assert not any(f'"{t}"' in sql for t in HISTORY_TABLES), sql
        assert "Figures as of 11:00, refreshed every 10 minutes" in response.content.decode()


def test_without_a_snapshot_the_running_month_is_derived_live(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 11, 20)):
        client.force_login(ministry.wg_member)
        response = client.get(reverse("reports:monthly"), {"month": "2026-11"})
        assert "The figures are live until the month closes." in response.content.decode()
        assert response.context["figures"].snapshot is None


def test_a_head_sees_only_the_snapshot_of_their_subtree(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 11, 20)):
        monthly.refresh_running_month()
        client.force_login(ministry.association_head)
        figures = client.get(reverse("reports:monthly"), {"month": "2026-11"}).context["figures"]
        assert figures.snapshot is not None
        own = ministry.association_a.path
        assert figures.rows and all(r.org.path.startswith(own) for r in figures.rows)
        assert figures.totals == _report(Filter(org_path=own))[0]
        whole = _report(Filter())[0]
        assert figures.totals["received"] < whole["received"]  # the subtree, not the ministry


def _answered(totals: dict[str, int]) -> int:
    return totals["on_time"] + totals["late"]


def test_the_task_refreshes_a_stale_snapshot(ministry: Ministry, scenario: Scenario) -> None:
    with at(date(2026, 11, 20)):
        monthly.refresh_running_month()
        before = _answered(monthly.monthly_figures(2026, 11, Filter()).totals)
        services.accept_answer(actor=ministry.wg_member, assignment=scenario.answered_top)
        services.send_answer(actor=ministry.wg_member, appeal=scenario.answered)
        assert _answered(monthly.monthly_figures(2026, 11, Filter()).totals) == before
    with at(date(2026, 11, 20), hour=12):
        tasks.refresh_running_month()
        figures = monthly.monthly_figures(2026, 11, Filter())
        assert _answered(figures.totals) == before + 1
        assert figures.as_of is not None and figures.as_of.hour == 7  # 12:00 Tashkent


def test_closing_the_month_replaces_the_provisional_figures_by_the_final_ones(
    ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 11, 20)):
        monthly.refresh_running_month()
    with at(date(2026, 12, 1), hour=1):
        monthly.refresh_running_month()  # November ended: it closes, December is snapshotted
        record = MonthClose.objects.get(year=2026, month=11)
        assert not MonthSnapshot.objects.filter(year=2026, month=11).exists()
        assert MonthSnapshot.objects.filter(year=2026, month=12).exists()
        assert MonthFact.objects.filter(year=2026, month=11).count() == record.facts
        assert monthly.verify_month(2026, 11).ok
        assert monthly.monthly_figures(2026, 11, Filter()).is_closed


def test_the_exported_report_gives_the_snapshot_s_time(
    ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 11, 20)):
        monthly.refresh_running_month()
    with at(date(2026, 11, 20), hour=11 + 1), translation.override("en"):
        figures = monthly.monthly_figures(2026, 11, Filter())
        document = official.monthly_document(figures, "Ministry")
        assert "11:00" in document.generated and "12:00" not in document.generated


def test_beat_refreshes_the_running_month_every_ten_minutes() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-running-month"]
    assert entry["task"] == tasks.refresh_running_month.name
    assert entry["schedule"] == 600.0 == monthly.snapshot_minutes() * 60


def test_an_ended_month_is_never_snapshotted_and_a_bare_row_is_not_read(
    ministry: Ministry, scenario: Scenario
) -> None:
    with at(date(2026, 12, 1), hour=1):
        assert monthly.snapshot_month(2026, 11) is None
        assert not MonthSnapshot.objects.exists() and not MonthFact.objects.exists()
    with at(date(2026, 11, 20)):
        # The row a first refresh commits before counting: readers derive live meanwhile.
        MonthSnapshot.objects.create(year=2026, month=11, as_of=timezone.now())
        assert monthly.monthly_figures(2026, 11, Filter()).snapshot is None
        assert monthly.snapshot_month(2026, 11) is not None
        assert monthly.monthly_figures(2026, 11, Filter()).snapshot is not None
