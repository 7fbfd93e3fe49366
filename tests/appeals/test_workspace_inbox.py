"""The inboxes by role (issue 4): which tab holds what, counts, filters, order, pagination."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from murojaat.appeals import permissions, services
from murojaat.appeals.models import Assignment, FeedbackForm, Outcome
from murojaat.appeals.views_workspace import signable_assignments
from tests.appeals.helpers import register
from tests.factories import Ministry, make_user
from tests.reports.scenario import TODAY, Scenario, at, build, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def inbox(client, user, **params):
    with at(TODAY):
        client.force_login(user)
        response = client.get(reverse("appeals:inbox"), params)
    assert response.status_code == 200
    return response


def counts(response) -> dict[str, int]:
    return {tab.key: tab.count for tab in response.context["tabs"]}


def numbers(response) -> list[str]:
    return [row.appeal.number for row in response.context["rows"]]


def test_the_inbox_is_the_landing_page_after_sign_in(client, ministry: Ministry) -> None:
    client.force_login(ministry.md_executor)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:inbox")


def test_the_working_group_sees_its_queues_with_counts(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = inbox(client, ministry.wg_member)
    assert counts(response) == {
        "routing": 2,
        "returned": 1,
        "extensions": 0,
        "answers": 1,
        "ready": 0,
        "source": 0,
        "due_soon": 0,
        "overdue": 0,
    }
    # The first non-empty tab opens by default: the same-day routing queue (R-P2-2).
    assert response.context["current"].key == "routing"
    assert set(numbers(response)) == {scenario.new_today.number, scenario.new_late.number}


def test_the_routing_queue_flags_appeals_not_routed_the_same_day_r_p2_2(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = inbox(client, ministry.wg_member, tab="routing")
    late = {row.appeal.number: row.late_routing for row in response.context["rows"]}
    assert late == {scenario.new_today.number: False, scenario.new_late.number: True}
    assert "late" in response.content.decode()


def test_a_returned_appeal_waits_for_the_working_group_r_p2_3(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = inbox(client, ministry.wg_member, tab="returned")
    assert numbers(response) == [scenario.returned.number]
    # Routed again: it leaves the queue.
    with at(TODAY):
        services.route_appeal(
            actor=ministry.wg_member, appeal=scenario.returned, to_org=ministry.main_directorate
        )
    assert counts(inbox(client, ministry.wg_member))["returned"] == 0


def test_answers_to_accept_for_the_working_group_are_top_level_ones(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = inbox(client, ministry.wg_member, tab="answers")
    assert numbers(response) == [scenario.answered.number]
    with at(TODAY):
        services.accept_answer(actor=ministry.wg_member, assignment=scenario.answered_top)
    response = inbox(client, ministry.wg_member, tab="ready")
    assert counts(response)["answers"] == 0
    assert numbers(response) == [scenario.answered.number]
    with at(TODAY):
        services.send_answer(actor=ministry.wg_member, appeal=scenario.answered)
    # The Minister's procedure closes on sending (R-P3-2): nothing awaits the source.
    assert counts(inbox(client, ministry.wg_member))["source"] == 0


def test_a_receiver_sees_what_to_accept_and_what_is_in_work(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = inbox(client, ministry.association_executor)
    assert counts(response)["to_accept"] == 1
    assert numbers(response) == [scenario.at_association.number]
    response = inbox(client, ministry.regional_executor, tab="in_work")
    assert numbers(response) == [scenario.at_association.number]
    assert counts(response)["to_accept"] == 0


def test_due_soon_and_overdue_follow_the_working_calendar(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    # Due Mon 30 Nov (13 days from 16 Nov, rolled past Sunday). Two working days before: Thu 26.
    with at(date(2026, 11, 25)):
        client.force_login(ministry.regional_executor)
        assert counts(client.get(reverse("appeals:inbox")))["due_soon"] == 0
    with at(date(2026, 11, 26)):
        client.force_login(ministry.regional_executor)
        response = client.get(reverse("appeals:inbox"), {"tab": "due_soon"})
        assert counts(response)["due_soon"] == 1
        (row,) = response.context["rows"]
        assert row.days_left == 2
    with at(date(2026, 12, 1)):
        client.force_login(ministry.regional_executor)
        response = client.get(reverse("appeals:inbox"), {"tab": "overdue"})
        assert counts(response)["overdue"] == 1
        (row,) = response.context["rows"]
        assert row.days_left < 0 and row.overdue_by == 1
        assert "overdue by 1 working day" in response.content.decode()
    with at(date(2026, 12, 1)):
        client.force_login(ministry.wg_member)
        # The working group watches every top-level assignment: rd-1727, rd-1718.
        assert counts(client.get(reverse("appeals:inbox")))["overdue"] == 2


def test_returned_to_the_sender_below_the_working_group(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(TODAY):
        services.return_assignment(
            actor=ministry.association_executor, assignment=scenario.child, reason="Bizga emas"
        )
    response = inbox(client, ministry.regional_executor, tab="returned")
    assert numbers(response) == [scenario.at_association.number]
    with at(TODAY):
        services.forward_assignment(
            actor=ministry.regional_executor,
            assignment=scenario.top,
            to_org=ministry.association_a2,
        )
    assert counts(inbox(client, ministry.regional_executor))["returned"] == 0


def test_answers_from_below_wait_for_the_sender(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    m = ministry
    with at(TODAY):
        services.accept_assignment(actor=m.association_executor, assignment=scenario.child)
        services.draft_answer(
            actor=m.association_executor,
            assignment=scenario.child,
            text="Oʻrganildi.",
            feedback_form=FeedbackForm.THANKS,
            outcomes=[  # L-9: one per issue of the appeal
                services.OutcomeInput(topic, Outcome.SATISFIED)
                for topic in scenario.at_association.topics.all()
            ],
        )
        services.add_document(
            actor=m.association_executor,
            appeal=scenario.at_association,
            assignment=scenario.child,
            kind="feedback",
            name="tashakkurnoma.pdf",
            content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        )
    # The association's head is asked to sign.
    response = inbox(client, m.association_head, tab="to_sign")
    assert numbers(response) == [scenario.at_association.number]
    with at(TODAY):
        services.sign_answer(actor=m.association_head, assignment=scenario.child)
        services.submit_answer(actor=m.association_executor, assignment=scenario.child)
    response = inbox(client, m.regional_executor, tab="answers")
    assert numbers(response) == [scenario.at_association.number]
    assert counts(inbox(client, m.association_head))["to_sign"] == 0


def test_a_deputy_minister_signs_main_directorates_answers_r_p2_9(ministry: Ministry) -> None:
    m = ministry
    deputy = make_user("deputy2", m.ministry, "deputy_minister")
    with at(TODAY):
        appeal = register("minister_vr", received=received(TODAY))
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
        services.accept_assignment(actor=m.md_executor, assignment=top)
        services.draft_answer(actor=m.md_executor, assignment=top, text="Javob.")
    assert list(signable_assignments(deputy)) == [top]
    assert list(signable_assignments(m.md_head)) == []
    # The query agrees with the predicate the services use.
    for user in (deputy, m.md_head, m.regional_head, m.md_executor):
        for a in Assignment.objects.all():
            if a.state == "accepted" and hasattr(a, "answer") and a.answer.state == "draft":
                assert (a in signable_assignments(user)) == permissions.can_sign(user, a)


def test_answers_without_the_author_s_feedback_are_listed_r_p2_8(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    m = ministry
    with at(TODAY):
        services.draft_answer(actor=m.regional_executor, assignment=scenario.top, text="Javob.")
    response = inbox(client, m.regional_executor, tab="feedback")
    assert numbers(response) == [scenario.at_association.number]


def test_pending_extension_requests_reach_the_working_group(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with at(TODAY):
        services.request_extension(
            actor=ministry.regional_executor,
            assignment=scenario.top,
            days=5,
            reason="Ekspertiza kerak",
        )
    response = inbox(client, ministry.wg_member, tab="extensions")
    assert counts(response)["extensions"] == 1
    assert numbers(response) == [scenario.at_association.number]
    assert "+5 days asked" in response.content.decode()


def test_filters_narrow_the_list_and_the_counts_and_stay_in_the_url(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    m = ministry
    response = inbox(client, m.wg_member, tab="routing", region=m.region_b.pk)
    assert numbers(response) == [scenario.new_late.number]
    assert counts(response)["routing"] == 1
    html = response.content.decode()
    # The tab links keep the filters.
    assert f"?tab=returned&amp;region={m.region_b.pk}" in html
    assert numbers(inbox(client, m.wg_member, tab="routing", channel="minister_vr")) == []
    response = inbox(client, m.wg_member, tab="routing", date_from="2026-11-17")
    assert numbers(response) == [scenario.new_today.number]
    response = inbox(client, m.wg_member, tab="routing", date_to="2026-11-17")
    assert numbers(response) == [scenario.new_late.number]
    response = inbox(client, m.wg_member, tab="routing", district=m.district_a.pk)
    assert numbers(response) == [scenario.new_today.number]
    response = inbox(client, m.wg_member, tab="answers", org=m.main_directorate.code)
    assert numbers(response) == [scenario.answered.number]
    assert numbers(inbox(client, m.wg_member, tab="answers", org=m.centre.code)) == []
    response = inbox(client, m.wg_member, tab="routing", topic="quality-of-care", state="new")
    assert len(numbers(response)) == 2
    # A value that does not parse drops only itself.
    response = inbox(client, m.wg_member, tab="routing", region="nonsense", channel="post")
    assert numbers(response) == []


def test_lists_are_sorted_by_deadline_by_default_and_paginated(client, ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 2)):
        for day in range(2, 30):
            register(received=received(date(2026, 11, day)), text=f"Murojaat {day}")
    with at(date(2026, 11, 30)):
        client.force_login(m.wg_member)
        response = client.get(reverse("appeals:inbox"), {"tab": "routing"})
        rows = response.context["rows"]
        assert len(rows) == 25
        dues = [row.due for row in rows]
        assert dues == sorted(dues)
        assert response.context["page"].paginator.num_pages == 2
        assert "page=2" in response.content.decode()
        second = client.get(reverse("appeals:inbox"), {"tab": "routing", "page": 2})
        assert len(second.context["rows"]) == 3
        newest = client.get(reverse("appeals:inbox"), {"tab": "routing", "sort": "-received"})
        received_at = [row.appeal.received_at for row in newest.context["rows"]]
        assert received_at == sorted(received_at, reverse=True)


def test_rows_link_to_the_appeal_page(client, ministry: Ministry, scenario: Scenario) -> None:
    html = inbox(client, ministry.wg_member, tab="routing").content.decode()
    assert f'href="/appeals/{scenario.new_today.number}/"' in html


def test_a_withheld_author_is_not_listed_to_executors_l_10(client, ministry: Ministry) -> None:
    m = ministry
    with at(TODAY):
        appeal = register(
            received=received(TODAY), author_name="Maxfiy Muallif", hide_personal_data=True
        )
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    html = inbox(client, m.regional_executor, tab="to_accept").content.decode()
    assert appeal.number in html and "Maxfiy Muallif" not in html
    assert "withheld at the author" in html
    client.force_login(m.wg_member)
    html = client.get(reverse("appeals:search"), {"q": appeal.number}).content.decode()
    assert "Maxfiy Muallif" in html


def test_auditors_watch_the_working_group_s_queues(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    response = inbox(client, ministry.auditor)
    assert counts(response)["routing"] == 2
    # L-10 also holds for auditors: a withheld author stays withheld in their lists.
    assert all(row.show_author for row in response.context["rows"])


def test_a_filter_that_does_not_parse_is_marked_and_described_for_screen_readers(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    """Issue 4 §6: the error sits next to its field, tied to it by aria-describedby and
    aria-invalid; the other filters still apply."""
    response = inbox(
        client, ministry.wg_member, tab="routing", date_from="garbage", channel="president_vr"
    )
    html = response.content.decode()
    widget = re.search(r"<input[^>]*\bid=\"id_date_from\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in widget
    assert 'aria-describedby="id_date_from-error"' in widget
    assert '<div id="id_date_from-error" class="invalid-feedback d-block">' in html
    assert "Enter a valid date." in html
    # Fields that parsed are neither marked nor dropped.
    channel = re.search(r"<select[^>]*\bid=\"id_channel\"[^>]*>", html).group(0)
    assert "aria-invalid" not in channel
    assert set(numbers(response)) == {scenario.new_today.number, scenario.new_late.number}


def test_a_regional_head_filtering_by_a_district_sees_that_district_s_work(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    """Issue 4 §1 (filter by organisation): rd-1727 forwarded an appeal to tma-1727237, which
    has not accepted it. Picking the association shows what waits there, not rd-1727's own
    assignments narrowed to the association (always nothing)."""
    for user in (ministry.regional_head, ministry.regional_executor):
        own = inbox(client, user)
        assert counts(own)["to_accept"] == 0 and counts(own)["in_work"] == 1
        assert own.context["watching"] is None
        district = inbox(client, user, tab="to_accept", org=ministry.association_a.code)
        assert counts(district)["to_accept"] == 1 and counts(district)["in_work"] == 0
        assert numbers(district) == [scenario.at_association.number]
        assert [row.org for row in district.context["rows"]] == [ministry.association_a]
        assert district.context["watching"] == ministry.association_a
        assert "The tabs show the work of" in district.content.decode()
        # Another district of the region holds nothing.
        other = inbox(client, user, tab="to_accept", org=ministry.association_a2.code)
        assert sum(counts(other).values()) == 0
        # The own organisation as a filter is the same as no filter.
        assert counts(inbox(client, user, org=ministry.regional_a.code)) == counts(own)
    # Outside one's subtree the filter is refused and ignored, not widened.
    outside = inbox(client, ministry.regional_head, org=ministry.regional_b.code)
    assert "org" in outside.context["form"].errors
    assert counts(outside) == counts(inbox(client, ministry.regional_head))
