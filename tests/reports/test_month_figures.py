"""Month-end figures (R-ORG-7, L-9, L-11; issue 9 item 3): hand-built months, frozen when they
close, derived again from the events with the same result, untouched by a later rework."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from murojaat.accounts.models import User
from murojaat.appeals import services
from murojaat.appeals.models import Topic
from murojaat.control import services as control
from murojaat.receptions import services as receptions
from murojaat.reports import facts, monthly
from murojaat.reports.models import MonthClose, MonthFact
from murojaat.reports.monthly import Filter
from tests.appeals.helpers import PDF
from tests.factories import Ministry, make_user
from tests.reports.scenario import Scenario, at, build

pytestmark = pytest.mark.django_db

WHOLE = Filter()


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    built = build(ministry)
    with at(date(2026, 11, 20)):
        # The working group accepts the main directorate's answer and sends it: the Minister's
        # procedure closes on the answer (R-P3-2).
        services.accept_answer(actor=ministry.wg_member, assignment=built.answered_top)
        services.send_answer(actor=ministry.wg_member, appeal=built.answered)
    return built


def _figures(flt: Filter = WHOLE, year: int = 2026, month: int = 11) -> monthly.MonthlyFigures:
    return monthly.monthly_figures(year, month, flt)


def test_the_ministry_s_november_counts_its_own_acts_r_org_7(ministry, scenario) -> None:
    with at(date(2026, 12, 3)):
        figures = _figures()
    t = figures.totals
    assert t["received"] == 6  # six registered, whatever happened to them afterwards
    assert t["routed"] == 4  # four routed by the working group; the forward is rd-1727's
    assert t["returned"] == 1  # the centre's
    assert (t["on_time"], t["late"]) == (1, 0)  # one answer sent, before its due date
    assert t["satisfied"] == 1 and t["refused"] == 0  # per issue (L-9)
    assert t["closed"] == 1
    assert t["in_work"] == 5  # still open at the end of November
    assert figures.breakdowns["channel"] == {"president_vr": 4, "minister_vr": 2}
    assert figures.breakdowns["topic"] == {"quality-of-care": 6}
    assert not figures.is_closed


def test_each_organisation_s_row_counts_its_own_work_r_org_7(ministry, scenario) -> None:
    with at(date(2026, 12, 3)):
        rows = {r.org.code: r for r in _figures().rows}
    md = rows["md-treatment"]
    assert (md.n("received"), md.n("on_time"), md.n("satisfied"), md.n("in_work")) == (1, 1, 1, 0)
    assert md.n("closed") == 1  # its answer accepted by the working group
    assert rows["centre-cardiology"].n("returned") == 1
    assert rows["centre-cardiology"].n("in_work") == 0
    assert rows["rd-1727"].n("routed") == 1  # forwarded down to the association
    assert rows["rd-1727"].n("in_work") == 1 and rows["tma-1727237"].n("in_work") == 1


def test_a_subtree_counts_a_forwarded_appeal_once_and_not_as_intake_again(
    ministry, scenario
) -> None:
    head = Filter(org_path=ministry.regional_a.path)
    with at(date(2026, 12, 3)):
        figures = _figures(head)
    assert figures.totals["received"] == 1  # rd-1727 received it; the forward is internal
    assert figures.totals["in_work"] == 1
    assert {r.org.code for r in figures.rows} == {"rd-1727", "tma-1727237"}


def test_region_and_district_filters_read_the_author_s_place(ministry, scenario) -> None:
    with at(date(2026, 12, 3)):
        region_b = _figures(Filter(region_id=ministry.region_b.pk))
        district_a = _figures(Filter(district_id=ministry.district_a.pk))
    assert region_b.totals["received"] == 2  # new_late and in_work_b
    assert district_a.totals["received"] == 4


def test_measures_receptions_visitors_and_violations_are_counted_r_org_2_r_org_6(
    ministry, scenario
) -> None:
    clerk = make_user("rdclerk", ministry.regional_a)
    with at(date(2026, 11, 24)):
        control.measure_record(
            actor=ministry.regional_head,
            organisation=ministry.regional_a,
            employee=clerk,
            day=date(2026, 11, 24),
            kind="reprimand",
            basis="Late answer",
        )
        session = receptions.session_plan(
            actor=ministry.regional_head,
            organisation=ministry.regional_a,
            leader=ministry.regional_head,
            kind="personal",
            day=date(2026, 11, 24),
        )
        for name in ("A", "B"):
            receptions.visit_record(
                actor=ministry.regional_head, session=session, visitor_name=name, question="Q"
            )
    with at(date(2026, 12, 3)):
        head = _figures(Filter(org_path=ministry.regional_a.path))
        other = _figures(Filter(org_path=ministry.regional_b.path))
    assert (head.totals["measures"], head.totals["receptions"], head.totals["visitors"]) == (
        1,
        1,
        2,
    )
    assert head.breakdowns["measure"] == {"reprimand": 1}
    assert (other.totals["measures"], other.totals["visitors"]) == (0, 0)


def test_a_closed_month_derived_again_from_the_events_equals_the_frozen_one(
    ministry, scenario
) -> None:
    with at(date(2026, 12, 1)):
        live = _figures()
        record = monthly.close_month(2026, 11)
    assert record.facts == MonthFact.objects.filter(year=2026, month=11).count() > 0
    with at(date(2026, 12, 5)):
        check = monthly.verify_month(2026, 11)
        frozen = _figures()
    assert check.ok, check
    assert frozen.is_closed
    assert frozen.totals == live.totals
    assert [(r.org.pk, r.values) for r in frozen.rows] == [(r.org.pk, r.values) for r in live.rows]
    assert frozen.breakdowns == live.breakdowns


def test_a_later_rejection_leaves_the_closed_month_unchanged(ministry, scenario) -> None:
    """Issue 9 item 3: a rework asked for on 2 Dec changed November's on-time and open counts."""
    with at(date(2026, 11, 17)):
        pending = services.route_appeal(
            actor=ministry.wg_member, appeal=scenario.new_late, to_org=ministry.main_directorate
        )[0]
        services.accept_assignment(actor=ministry.md_executor, assignment=pending)
        services.draft_answer(
            actor=ministry.md_executor,
            assignment=pending,
            text="Javob.",
            outcomes=[
                services.OutcomeInput(
                    Topic.objects.get(code="quality-of-care"), "refused", "ZRU-445, 20-modda"
                )
            ],
            feedback_form="refusal_act",
        )
        services.add_document(
            actor=ministry.md_executor,
            appeal=scenario.new_late,
            assignment=pending,
            kind="refusal_act",
            name="dalolatnoma.pdf",
            content=PDF,
        )
        services.sign_answer(actor=User.objects.get(username="deputy"), assignment=pending)
        services.submit_answer(actor=ministry.md_executor, assignment=pending)
    with at(date(2026, 12, 1)):
        monthly.close_month(2026, 11)
        before = _figures()
        md_before = {r.org.code: r.values for r in before.rows}["md-treatment"]
    assert md_before["on_time"] == 2 and md_before.get("in_work", 0) == 0
    assert md_before["refused"] == 1 and md_before["refusal_acts"] == 1  # L-9, R-P2-8
    with at(date(2026, 12, 2)):
        services.reject_answer(actor=ministry.wg_member, assignment=pending, reason="Qayta ishlang")
    with at(date(2026, 12, 3)):
        after = _figures()
        december = _figures(month=12)
        check = monthly.verify_month(2026, 11)
    assert after.totals == before.totals
    assert {r.org.code: r.values for r in after.rows}["md-treatment"] == md_before
    assert check.ok
    # The rework is December's: the assignment is in work again at the end of December.
    assert {r.org.code: r.values for r in december.rows}["md-treatment"]["in_work"] == 1


def test_closing_is_idempotent_and_refuses_a_month_still_running(ministry, scenario) -> None:
    with at(date(2026, 12, 1)):
        first = monthly.close_month(2026, 11)
        again = monthly.close_month(2026, 11)
        with pytest.raises(ValueError):
            monthly.close_month(2026, 12)
    assert first.pk == again.pk
    assert MonthClose.objects.count() == 1


def test_the_command_closes_ended_months_and_verifies_them(ministry, scenario, capsys) -> None:
    with at(date(2026, 12, 2)):
        call_command("month_figures")
        assert set(MonthClose.objects.values_list("year", "month")) == {(2026, 11)}
        call_command("month_figures", "--verify", "2026-11")
    assert "2026-11: same" in capsys.readouterr().out


def test_the_command_reports_a_tampered_month(ministry, scenario) -> None:
    from django.core.management.base import CommandError

    with at(date(2026, 12, 2)):
        monthly.close_month(2026, 11)
        MonthFact.objects.filter(metric=facts.RECEIVED).first().delete()
        with pytest.raises(CommandError, match="differ"):
            call_command("month_figures", "--verify", "2026-11")


def test_reading_a_closed_month_reads_only_its_stored_rows(
    ministry, scenario, django_assert_max_num_queries
) -> None:
    """Neither events nor facts are read for a closed month: the close record, the totals and
    breakdowns counted when it closed, the organisations' rows, the organisations (issue 9)."""
    with at(date(2026, 12, 1)):
        monthly.close_month(2026, 11)
        with django_assert_max_num_queries(4) as captured:
            _figures()
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "appeals_event" not in tables and "reports_monthfact" not in tables


def test_the_beat_task_closes_ended_months_and_the_page_says_the_month_is_closed(
    client, ministry, scenario
) -> None:
    from django.urls import reverse

    from murojaat.reports.tasks import close_months

    with at(date(2026, 12, 2)):
        assert close_months.delay().get() == 1
        assert close_months.delay().get() == 0  # idempotent
        client.force_login(ministry.wg_member)
        html = client.get(reverse("reports:monthly"), {"month": "2026-11"}).content.decode()
        current = client.get(reverse("reports:monthly"), {"month": "2026-12"}).content.decode()
    assert "Closed month" in html and "do not change" in html
    assert "Current month" in current


def test_events_from_before_answers_carried_their_record_read_the_answer_in_bulk(
    ministry, scenario, django_assert_max_num_queries
) -> None:
    """Events written before this release have no outcomes on them: the derivation reads the
    answers as they are, two queries for the whole month, not one per event."""
    legacy = [
        {
            "pk": 1,
            "kind": "answer_submitted",
            "appeal_id": scenario.answered.pk,
            "assignment_id": scenario.answered_top.pk,
            "data": {},
        },
        {
            "pk": 2,
            "kind": "answer_sent",
            "appeal_id": scenario.answered.pk,
            "assignment_id": None,
            "data": {},
        },
    ]
    with django_assert_max_num_queries(2):
        records = facts._legacy_records(legacy)
    assert records[1]["outcomes"] == [["quality-of-care", "satisfied"]]
    assert records[2] == records[1]
