"""Pages of the heads' duties: who sees what, and bounded queries (R-ORG-1/2/3/5/6, R-P3-5)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from murojaat.appeals.models import Appeal
from murojaat.control.models import Training
from murojaat.receptions import services
from murojaat.receptions.models import ReceptionSession, ReceptionVisit

SECRET_VISITOR = "Toshmatov Secretbek"


@pytest.fixture
def regional_session(ministry) -> ReceptionSession:  # type: ignore[no-untyped-def]
    """A session in region A, with a visit whose name must never reach another region."""
    session = services.session_plan(
        actor=ministry.regional_head,
        organisation=ministry.regional_a,
        leader=ministry.regional_head,
        kind="personal",
        day=timezone.localdate() + timedelta(days=1),
        notes="Region A only",
    )
    services.visit_record(
        actor=ministry.regional_head,
        session=session,
        visitor_name=SECRET_VISITOR,
        question="About my mother's treatment.",
    )
    return session


PAGES = ["receptions:index", "receptions:leaders", "control:trainings"]


@pytest.mark.parametrize("name", [*PAGES, "control:discipline"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, ministry, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_anonymous_visitor_is_sent_to_login_from_a_session(client, regional_session) -> None:
    response = client.get(reverse("receptions:session", args=[regional_session.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_for_the_regional_head_in_bounded_queries(
    client, ministry, regional_session, name, django_assert_max_num_queries
) -> None:
    client.force_login(ministry.regional_head)
    with django_assert_max_num_queries(15):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_the_regional_head_sees_their_session_and_its_visits(
    client, ministry, regional_session, django_assert_max_num_queries
) -> None:
    client.force_login(ministry.regional_head)
    assert "Region A only" not in client.get(reverse("receptions:index")).content.decode()
    with django_assert_max_num_queries(15):
        response = client.get(reverse("receptions:session", args=[regional_session.pk]))
    assert response.status_code == 200
    assert SECRET_VISITOR in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_the_outsider_sees_nothing_of_another_region(
    client, ministry, regional_session, name
) -> None:
    Training.objects.create(
        organisation=ministry.regional_a, date=date.today(), topic="Region A seminar"
    )
    client.force_login(ministry.outsider)
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_VISITOR not in body
    assert "Region A seminar" not in body
    assert ministry.regional_head.full_name not in body
    assert reverse("receptions:session", args=[regional_session.pk]) not in body


def test_the_outsider_gets_404_for_another_regions_session(
    client, ministry, regional_session
) -> None:
    client.force_login(ministry.outsider)
    url = reverse("receptions:session", args=[regional_session.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"action": "visit", "visitor_name": "x", "question": "y"}).status_code
        == 404
    )


def test_the_leaders_page_lists_heads_hours_and_phones_r_org_1(
    client, ministry, django_assert_max_num_queries
) -> None:
    ministry.association_head.position = "Chief physician"
    ministry.association_head.phone = "+998 71 200 00 00"
    ministry.association_head.save()
    client.force_login(ministry.wg_member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("receptions:leaders"))
    body = response.content.decode()
    assert ministry.association_head.full_name in body
    assert "Chief physician" in body
    assert "+998 71 200 00 00" in body


def test_the_leaders_page_searches_by_name(client, ministry) -> None:
    client.force_login(ministry.wg_member)
    response = client.get(reverse("receptions:leaders"), {"q": ministry.association_b.name_uz})
    orgs = list(response.context["page"].object_list)
    assert orgs == [ministry.association_b]


def test_the_leaders_page_finds_an_organisation_by_its_heads_name_r_org_1(client, ministry) -> None:
    ministry.association_head.last_name = "Rahimova"
    ministry.association_head.save()
    client.force_login(ministry.wg_member)
    response = client.get(reverse("receptions:leaders"), {"q": "rahim"})
    assert list(response.context["page"].object_list) == [ministry.association_a]


def test_the_head_plans_a_session_from_the_index_page(client, ministry) -> None:
    client.force_login(ministry.regional_head)
    day = timezone.localdate() + timedelta(days=2)
    response = client.post(
        reverse("receptions:index"),
        {
            "organisation": ministry.regional_a.pk,
            "leader": ministry.regional_head.pk,
            "kind": "personal",
            "day": day.isoformat(),
            "starts_at": "08:00",
            "ends_at": "11:00",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    session = ReceptionSession.objects.get()
    assert response["Location"] == reverse("receptions:session", args=[session.pk])
    assert (session.starts_at, session.ends_at) == (time(8), time(11))


def test_the_index_form_shows_the_hours_rule_next_to_the_field_r_org_2(client, ministry) -> None:
    client.force_login(ministry.regional_head)
    response = client.post(
        reverse("receptions:index"),
        {
            "organisation": ministry.regional_a.pk,
            "leader": ministry.regional_head.pk,
            "kind": "personal",
            "day": "2026-12-01",
            "starts_at": "15:00",
            "ends_at": "17:00",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "08:00 to 11:00" in body
    # The message is tied to its field for screen readers.
    assert 'aria-describedby="id_starts_at_error"' in body
    assert 'id="id_starts_at_error"' in body
    assert not ReceptionSession.objects.exists()


def test_an_executor_gets_no_planning_form_and_cannot_post(client, ministry) -> None:
    client.force_login(ministry.regional_executor)
    assert client.get(reverse("receptions:index")).context["form"] is None
    assert client.post(reverse("receptions:index"), {}).status_code == 404


def test_registering_an_appeal_from_the_session_page_links_to_the_appeal(
    client, ministry, regional_session
) -> None:
    client.force_login(ministry.regional_head)
    visit = ReceptionVisit.objects.get()
    url = reverse("receptions:session", args=[regional_session.pk])
    client.post(url, {"action": "register", "visit": visit.pk})
    client.post(url, {"action": "register", "visit": visit.pk})
    appeal = Appeal.objects.get(reception_visit=visit)
    assert appeal.channel == "personal_reception"
    body = client.get(url).content.decode()
    assert f"/appeals/{appeal.number}/" in body


def test_adding_a_visit_from_the_session_page(client, ministry, regional_session) -> None:
    client.force_login(ministry.regional_head)
    url = reverse("receptions:session", args=[regional_session.pk])
    response = client.post(
        url, {"action": "visit", "visitor_name": "Aliyeva Dilnoza", "question": "A referral"}
    )
    assert response.status_code == 302
    assert regional_session.visits.filter(visitor_name="Aliyeva Dilnoza").exists()
