"""Pages of trainings (R-ORG-5) and discipline (R-ORG-6): who sees what, bounded queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from murojaat.control import services
from murojaat.control.models import Training
from tests.factories import make_user


def test_the_trainings_page_records_a_seminar_and_clears_the_org_from_the_list_r_org_5(
    client, ministry
) -> None:
    client.force_login(ministry.association_head)
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    page = client.get(reverse("control:trainings"))
    assert ministry.association_a in list(page.context["page"].object_list)
    response = client.post(
        reverse("control:trainings"),
        {
            "organisation": ministry.association_a.pk,
            "day": today.isoformat(),
            "topic": "The law on appeals",
            "participants_count": 7,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(reverse("control:trainings"), {"year": today.year, "quarter": quarter})
    assert ministry.association_a not in list(page.context["page"].object_list)
    assert "The law on appeals" in page.content.decode()


def test_the_head_ticks_their_staff_as_seminar_participants_r_org_5(client, ministry) -> None:
    client.force_login(ministry.association_head)
    response = client.post(
        reverse("control:trainings"),
        {
            "organisation": ministry.association_a.pk,
            "day": timezone.localdate().isoformat(),
            "topic": "Deadlines",
            "participants": [ministry.association_executor.pk],
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert training.participants_count == 1
    assert list(training.participants.all()) == [ministry.association_executor]


def test_a_foreign_participant_is_refused_by_the_seminar_form_r_org_5(client, ministry) -> None:
    client.force_login(ministry.association_head)
    response = client.post(
        reverse("control:trainings"),
        {
            "organisation": ministry.association_a.pk,
            "day": timezone.localdate().isoformat(),
            "topic": "Deadlines",
            "participants": [ministry.outsider.pk],
        },
    )
    assert response.status_code == 200
    assert not Training.objects.exists()


@pytest.mark.parametrize("persona", ["wg_member", "auditor", "regional_head"])
def test_the_discipline_page_opens_for_heads_the_working_group_and_auditors_r_org_6(
    client, ministry, persona, django_assert_max_num_queries
) -> None:
    client.force_login(getattr(ministry, persona))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("control:discipline")).status_code == 200


def test_the_discipline_page_is_hidden_from_an_executor(client, ministry) -> None:
    client.force_login(ministry.regional_executor)
    assert client.get(reverse("control:discipline")).status_code == 404


def test_the_outsider_sees_no_measure_of_another_region_r_org_6(client, ministry) -> None:
    clerk = make_user("rdclerk", ministry.regional_a)
    services.measure_record(
        actor=ministry.regional_head,
        organisation=ministry.regional_a,
        employee=clerk,
        day=date(2026, 11, 2),
        kind="reprimand",
        basis="Late answer in region A",
    )
    client.force_login(ministry.outsider)
    body = client.get(reverse("control:discipline")).content.decode()
    assert "Late answer in region A" not in body
    client.force_login(ministry.regional_head)
    assert "Late answer in region A" in client.get(reverse("control:discipline")).content.decode()


def test_the_old_receptions_addresses_redirect_to_control(client, ministry) -> None:
    """Issue 10, item 4: bookmarks of the pages' old home keep working, query included."""
    client.force_login(ministry.regional_head)
    response = client.get("/receptions/trainings/?year=2026&quarter=4")
    assert response.status_code == 301
    assert response["Location"] == "/control/trainings/?year=2026&quarter=4"
    assert client.get("/receptions/discipline/")["Location"] == "/control/discipline/"
