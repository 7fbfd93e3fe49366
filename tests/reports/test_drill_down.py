"""Dashboards you can follow (issue 12 item 4): every figure links to the scoped list behind it;
a regional head's link never lists another region's appeals; background exports; the
discipline ranking with measures linked to the violations they answer (R-ORG-6, R-P2-13)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Violation, ViolationKind
from murojaat.control import services as control
from murojaat.control.models import DisciplinaryMeasure
from murojaat.reports import monthly
from murojaat.reports.models import ExportJob
from tests.factories import Ministry, make_user
from tests.reports.scenario import TODAY, Scenario, at, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def _links(html: str, prefix: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if h.startswith(prefix)]


def _numbers(html: str) -> set[str]:
    return set(re.findall(r"\b[A-Z]{2,}-\d{4}-\d+\b", html))


def test_the_dashboard_s_figures_lead_to_the_inbox_with_their_filters(
    client, ministry, scenario
) -> None:
    client.force_login(ministry.wg_member)
    with at(TODAY):
        html = client.get(reverse("reports:dashboard"), {"date_from": "2026-11-01"}).content
        links = _links(html.decode(), "/appeals/inbox/")
        assert any("tab=all" in u and "channel=president_vr" in u for u in links)
        assert any("tab=overdue" in u for u in links)
        channel = next(u for u in links if "channel=minister_vr" in u)
        listed = client.get(channel).content.decode()
    assert scenario.answered.number in listed and scenario.returned.number in listed
    assert scenario.at_association.number not in listed  # President's channel


def test_a_regional_head_s_links_never_list_another_region_s_appeals(
    client, ministry, scenario
) -> None:
    region_b = set(
        Appeal.objects.filter(author_region=ministry.region_b).values_list("number", flat=True)
    )
    client.force_login(ministry.regional_head)
    with at(TODAY):
        dashboard = client.get(reverse("reports:dashboard"), {"date_from": "2026-11-01"})
        monthly_page = client.get(reverse("reports:monthly"), {"month": "2026-11"})
        links = _links(dashboard.content.decode(), "/appeals/inbox/") + _links(
            monthly_page.content.decode(), "/reports/monthly/appeals/"
        )
        assert links
        # Even a hand-made link asking for region B lists none of its appeals.
        links.append(
            reverse("appeals:inbox")
            + f"?tab=all&region={ministry.region_b.pk}&date_from=2026-11-01"
        )
        links.append(reverse("reports:monthly_appeals") + "?month=2026-11&column=received")
        for url in links:
            body = client.get(url).content.decode()
            assert not (_numbers(body) & region_b), url


def test_a_monthly_figure_lists_exactly_the_appeals_behind_it(client, ministry, scenario) -> None:
    client.force_login(ministry.wg_member)
    with at(date(2026, 12, 3)):
        returned = client.get(
            reverse("reports:monthly_appeals"), {"month": "2026-11", "column": "returned"}
        ).content.decode()
        row = client.get(
            reverse("reports:monthly_appeals"),
            {"month": "2026-11", "column": "in_work", "org": "tma-1727237"},
        ).content.decode()
        bad = client.get(reverse("reports:monthly_appeals"), {"column": "nope"})
    assert _numbers(returned) == {scenario.returned.number}
    assert _numbers(row) == {scenario.at_association.number}
    assert bad.status_code == 404


def test_a_background_export_reports_progress_and_only_its_owner_downloads_it(
    client, ministry, scenario, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ministry.regional_head)
    with at(date(2026, 12, 3)):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(
                reverse("reports:export_start"), {"fmt": "pdf", "month": "2026-11"}
            )
        job = ExportJob.objects.get()
        assert job.state == "pending"
        page = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
        assert 'hx-trigger="every 2s"' in page  # the page polls while the file is prepared
        for callback in queued:
            callback()  # the Celery task, eager in tests, as after the commit
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:export_job", args=[job.pk]
    )
    job.refresh_from_db()
    assert (job.state, job.progress) == ("done", 100), job.error
    page = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert "The file is ready." in page
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(ministry.wg_member)
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:export_start"), {"fmt": "exe"}).status_code == 404


def test_the_trend_lists_closed_months_from_the_stored_figures(ministry, scenario) -> None:
    with at(date(2026, 12, 2)):
        monthly.close_month(2026, 11)
        whole = monthly.trend(monthly.Filter())
        head = monthly.trend(monthly.Filter(org_path=ministry.regional_a.path))
        frozen = monthly.monthly_figures(2026, 11, monthly.Filter())
    assert whole == [(2026, 11, {k: frozen.totals[k] for k in monthly.TREND_COLUMNS})]
    assert head[0][2]["received"] == 1


def test_the_discipline_ranking_puts_confirmed_violations_first_r_org_6(
    client, ministry, scenario
) -> None:
    m = ministry
    with at(date(2026, 11, 20)):
        violation = Violation.objects.create(
            assignment=scenario.top,
            org=m.regional_a,
            kind=ViolationKind.LATE_ANSWER,
            due_date=date(2026, 11, 19),
            state="confirmed",
        )
        clerk = make_user("rdclerk", m.regional_a)
        control.measure_record(
            actor=m.regional_head,
            organisation=m.regional_a,
            employee=clerk,
            day=date(2026, 11, 20),
            kind="reprimand",
            basis="Late answer",
            violation=violation,
        )
    client.force_login(m.wg_member)
    with at(TODAY.replace(day=25)):
        response = client.get(reverse("reports:discipline"), {"date_from": "2026-11-01"})
    rows = response.context["rows"]
    assert rows[0].org == m.regional_a
    assert rows[0].n("confirmed") == 1 and rows[0].n("measures") == 1 and rows[0].n("linked") == 1
    client.force_login(m.outsider)
    with at(TODAY.replace(day=25)):
        other = client.get(reverse("reports:discipline"), {"date_from": "2026-11-01"})
    assert m.regional_a not in [f.org for f in other.context["rows"]]


def test_a_measure_recorded_on_the_page_names_the_violation_it_answers_r_p2_13(
    client, ministry, scenario
) -> None:
    m = ministry
    violation = Violation.objects.create(
        assignment=scenario.top,
        org=m.regional_a,
        kind=ViolationKind.LATE_ACCEPTANCE,
        due_date=date(2026, 11, 17),
    )
    foreign = Violation.objects.create(
        assignment=scenario.top_b,
        org=m.regional_b,
        kind=ViolationKind.LATE_ACCEPTANCE,
        due_date=date(2026, 11, 17),
    )
    clerk = make_user("rdclerk", m.regional_a)
    client.force_login(m.regional_head)
    page = client.get(reverse("control:discipline")).content.decode()
    assert scenario.at_association.number in page and scenario.in_work_b.number not in page
    data = {"employee": clerk.pk, "day": "2026-11-20", "kind": "remark", "basis": "Late"}
    refused = client.post(reverse("control:discipline"), data | {"violation": foreign.pk})
    assert refused.status_code == 200 and not DisciplinaryMeasure.objects.exists()
    response = client.post(reverse("control:discipline"), data | {"violation": violation.pk})
    assert response.status_code == 302
    assert DisciplinaryMeasure.objects.get().violation == violation
    listed = client.get(reverse("control:discipline")).content.decode()
    assert "Accepted late" in listed


def test_services_still_finish_answers_after_the_figures(ministry, scenario) -> None:
    """The events the figures read carry the due date and outcomes the answer had."""
    from murojaat.appeals.models import Event, EventKind

    with at(date(2026, 11, 20)):
        services.accept_answer(actor=ministry.wg_member, assignment=scenario.answered_top)
        services.send_answer(actor=ministry.wg_member, appeal=scenario.answered)
    sent = Event.objects.get(appeal=scenario.answered, kind=EventKind.ANSWER_SENT)
    assert sent.data["outcomes"] == [["quality-of-care", "satisfied"]]
    assert sent.data["due"] == scenario.answered.due_date.isoformat()


def test_the_ranking_shows_the_citizens_rating_of_the_answers_an_organisation_led(
    client, ministry, scenario
) -> None:
    Appeal.objects.filter(pk=scenario.answered.pk).update(rating=2)
    client.force_login(ministry.wg_member)
    with at(TODAY):
        rows = client.get(reverse("reports:discipline"), {"date_from": "2026-11-01"}).context[
            "rows"
        ]
    md = next(f for f in rows if f.org == ministry.main_directorate)
    assert md.rating == 2.0 and md.on_time_rate == 100.0
