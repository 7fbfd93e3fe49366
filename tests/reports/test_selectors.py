"""The dashboard and monthly-report aggregations, read straight from the selectors."""

from __future__ import annotations

from datetime import date

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import FeedbackForm, Outcome, Topic
from murojaat.reports import facts, selectors
from murojaat.reports.selectors import Period
from tests.appeals.helpers import PDF, register
from tests.factories import Ministry
from tests.reports.scenario import TODAY, Scenario, at, build

pytestmark = pytest.mark.django_db

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def test_the_working_group_sees_the_whole_ministry(ministry: Ministry, scenario) -> None:
    scope = selectors.scope_for(ministry.wg_member)
    assert scope is not None and scope.whole_ministry
    assert selectors.scope_for(ministry.auditor).whole_ministry
    summary = selectors.intake_summary(scope, TODAY)
    assert summary == {"today": 1, "month": 6, "backlog": 3, "open": 6, "overdue": 0}


def test_a_head_sees_only_the_own_subtree(ministry: Ministry, scenario: Scenario) -> None:
    scope = selectors.scope_for(ministry.regional_head)
    assert scope.org == ministry.regional_a
    assert selectors.intake_summary(scope, TODAY)["month"] == 1
    assert [b.key for b in selectors.by_region(scope, NOVEMBER)] == [ministry.region_a.soato]
    outsider = selectors.scope_for(ministry.outsider)
    assert selectors.intake_summary(outsider, TODAY) == {
        "today": 0,
        "month": 0,
        "backlog": 0,
        "open": 0,
        "overdue": 0,
    }
    assert selectors.by_region(outsider, NOVEMBER) == []
    assert selectors.by_channel(outsider, NOVEMBER) == []
    assert selectors.top_topics(outsider, NOVEMBER) == []


def test_anonymous_users_have_no_scope(ministry: Ministry) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert selectors.scope_for(AnonymousUser()) is None


def test_channels_regions_and_topics_over_the_period(ministry: Ministry, scenario) -> None:
    scope = selectors.scope_for(ministry.wg_member)
    channels = {b.key: b.count for b in selectors.by_channel(scope, NOVEMBER)}
    assert channels == {"president_vr": 4, "minister_vr": 2}
    regions = {b.key: b.count for b in selectors.by_region(scope, NOVEMBER)}
    assert regions == {ministry.region_a.soato: 4, ministry.region_b.soato: 2}
    (topic,) = selectors.top_topics(scope, NOVEMBER)
    assert topic.key == "quality-of-care" and topic.count == 6
    only_today = Period(TODAY, TODAY)
    assert {b.key: b.count for b in selectors.by_channel(scope, only_today)} == {"president_vr": 1}


def test_overdue_by_organisation(ministry: Ministry, scenario) -> None:
    scope = selectors.scope_for(ministry.wg_member)
    assert selectors.overdue_by_organisation(scope, TODAY) == []
    figures = selectors.overdue_by_organisation(scope, date(2026, 12, 1))
    # rd-1727 (top), tma-1727237 (child, not accepted), rd-1718.
    assert {f.org.code: f.n("overdue") for f in figures} == {
        "rd-1727": 1,
        "tma-1727237": 1,
        "rd-1718": 1,
    }
    head = selectors.scope_for(ministry.regional_head)
    assert {f.org.code for f in selectors.overdue_by_organisation(head, date(2026, 12, 1))} == {
        "rd-1727",
        "tma-1727237",
    }


def test_on_time_rate_compares_the_tashkent_date_of_the_answer_with_the_due_date(
    ministry: Ministry, scenario: Scenario
) -> None:
    m = ministry
    # The association answers on 2 Dec, after its due date (30 Nov): late.
    with at(date(2026, 12, 2)):
        services.accept_assignment(actor=m.association_executor, assignment=scenario.child)
        services.draft_answer(
            actor=m.association_executor,
            assignment=scenario.child,
            text="Javob.",
            feedback_form=FeedbackForm.THANKS,
            outcomes=[
                services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.PARTLY)
            ],
        )
        services.add_document(
            actor=m.association_executor,
            appeal=scenario.at_association,
            assignment=scenario.child,
            kind="feedback",
            name="t.pdf",
            content=PDF,
        )
        services.sign_answer(actor=m.association_head, assignment=scenario.child)
        services.submit_answer(actor=m.association_executor, assignment=scenario.child)
    scope = selectors.scope_for(m.wg_member)
    figures = {f.org.code: f for f in selectors.on_time_by_organisation(scope)}
    assert figures["md-treatment"].values == {"answered": 1, "on_time": 1}
    assert figures["md-treatment"].on_time_rate == 100.0
    assert figures["tma-1727237"].values == {"answered": 1, "on_time": 0}
    assert figures["tma-1727237"].on_time_rate == 0.0
    # Lowest rate first: the organisations that need attention lead the list.
    assert next(iter(figures)) == "tma-1727237"
    # Limited to answers given in November: only the main directorate's.
    assert [f.org.code for f in selectors.on_time_by_organisation(scope, NOVEMBER)] == [
        "md-treatment"
    ]


# The monthly report's figures: tests/reports/test_month_figures.py.


def test_month_bounds_cross_the_year() -> None:
    assert facts.month_bounds(2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))
    assert facts.month_bounds(2026, 2) == (date(2026, 2, 1), date(2026, 3, 1))


def test_a_head_s_cards_follow_the_subtree_s_assignments_not_the_appeal_state(
    ministry: Ministry, scenario: Scenario
) -> None:
    """R-P2-3: once rd-1727 returned an appeal and the working group sent it elsewhere, the
    appeal is neither waiting, open nor overdue for rd-1727, though its own state is."""
    head = selectors.scope_for(ministry.regional_head)
    # at_association: routed to rd-1727, accepted, forwarded to tma-1727237 (still to accept).
    before = {"today": 0, "month": 1, "backlog": 1, "open": 1, "overdue": 0}
    assert selectors.intake_summary(head, TODAY) == before
    with at(TODAY):
        appeal = register(text="Boshqa viloyat.", author_region_id=ministry.region_a.pk)
        (top,) = services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=head.org)
        assert selectors.intake_summary(head, TODAY) == {
            "today": 1,
            "month": 2,
            "backlog": 2,
            "open": 2,
            "overdue": 0,
        }
        services.return_assignment(actor=ministry.regional_executor, assignment=top, reason="Yoʻq")
        appeal.refresh_from_db()
        assert appeal.state == "new"  # the working group's backlog, not rd-1727's
        # Received today it was, and stays so; nothing of it waits in rd-1727 any more.
        assert selectors.intake_summary(head, TODAY) == {**before, "today": 1, "month": 2}
        services.route_appeal(actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_b)
    late = date(2027, 3, 1)  # past every deadline
    # Only the forwarded appeal is overdue for rd-1727 (at the association, never accepted).
    assert selectors.intake_summary(head, late) == {
        "today": 0,
        "month": 0,
        "backlog": 1,
        "open": 1,
        "overdue": 1,
    }
    # The ministry still counts the re-routed appeal by its own state and deadline.
    whole = selectors.intake_summary(selectors.scope_for(ministry.wg_member), late)
    assert whole["overdue"] >= 2


def test_forwarding_inside_the_subtree_is_not_counted_as_intake(
    ministry: Ministry, scenario: Scenario
) -> None:
    """The association's head receives what rd-1727 forwarded; rd-1727's head counts it once."""
    association = selectors.scope_for(ministry.association_head)
    assert selectors.intake_summary(association, TODAY) == {
        "today": 0,
        "month": 1,
        "backlog": 1,
        "open": 1,
        "overdue": 0,
    }
    region = selectors.scope_for(ministry.regional_head)
    assert selectors.intake_summary(region, TODAY)["month"] == 1


def _charts(scope: selectors.Scope) -> dict[str, dict[str, int]]:
    return {
        "channels": {b.key: b.count for b in selectors.by_channel(scope, NOVEMBER)},
        "regions": {b.key: b.count for b in selectors.by_region(scope, NOVEMBER)},
        "topics": {b.key: b.count for b in selectors.top_topics(scope, NOVEMBER)},
    }


def test_a_head_s_charts_leave_out_what_the_subtree_returned_as_the_cards_do_r_p2_3(
    ministry: Ministry, scenario: Scenario
) -> None:
    """rd-1727 returned an appeal and the working group sent it to another region: its head can
    still open it, but the topics, channels and regions count it for the region that holds it.
    Sent back to rd-1727 after a return, an appeal counts again (it holds an assignment)."""
    from murojaat.appeals.selectors import appeals_visible_to
    from tests.factories import make_user

    head = selectors.scope_for(ministry.regional_head)
    other = selectors.scope_for(make_user("rdbhead", ministry.regional_b, "head"))
    before, other_before = _charts(head), _charts(other)
    away = register(topics=("medicines",), author_region_id=ministry.region_b.pk)
    (top,) = services.route_appeal(actor=ministry.wg_member, appeal=away, to_org=head.org)
    assert _charts(head)["topics"].get("medicines") == 1
    services.return_assignment(
        actor=ministry.regional_executor, assignment=top, reason="Bizniki emas"
    )
    services.route_appeal(actor=ministry.wg_member, appeal=away, to_org=ministry.regional_b)
    assert appeals_visible_to(ministry.regional_head).filter(pk=away.pk).exists()
    assert _charts(head) == before
    after = _charts(other)
    assert after["topics"]["medicines"] == other_before["topics"].get("medicines", 0) + 1
    assert after["regions"][ministry.region_b.soato] == (
        other_before["regions"].get(ministry.region_b.soato, 0) + 1
    )
    back = register(topics=("medicines",), author_region_id=ministry.region_b.pk)
    (first,) = services.route_appeal(actor=ministry.wg_member, appeal=back, to_org=head.org)
    services.return_assignment(actor=ministry.regional_executor, assignment=first, reason="Aniqlik")
    services.route_appeal(actor=ministry.wg_member, appeal=back, to_org=head.org)
    now = _charts(head)
    assert now["topics"]["medicines"] == 1
    assert now["regions"][ministry.region_b.soato] == 1
    assert sum(now["channels"].values()) == sum(before["channels"].values()) + 1
    # The whole ministry counts both, by the appeals themselves.
    whole = _charts(selectors.scope_for(ministry.wg_member))
    assert whole["topics"]["medicines"] == 2
