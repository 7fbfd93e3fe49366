"""L-4 (art. 25): a complaint is never forwarded to the body whose actions it complains about.

The working group names that body when it routes a complaint; no hop may then send the appeal
there: not the working group's routing, not a regional directorate forwarding it to a district
association, not a lead involving co-executors."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Assignment
from murojaat.core.errors import DomainError
from tests.appeals.helpers import register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


def _routed_complaint(m: Ministry, to_org, against):
    """A complaint the working group routes to `to_org`, naming `against` as the body it is
    about; returns the appeal and its lead assignment."""
    complaint = register(kind="complaint")
    (top,) = services.route_appeal(
        actor=m.wg_member, appeal=complaint, to_org=to_org, complaint_against=against
    )
    return complaint, top


def test_a_complaint_about_a_district_association_is_never_forwarded_to_it_l_4(
    ministry: Ministry,
) -> None:
    m = ministry
    complaint, top = _routed_complaint(m, m.regional_a, m.association_a)
    complaint.refresh_from_db()
    assert complaint.complaint_against == m.association_a
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    with pytest.raises(DomainError) as refused:
        services.forward_assignment(
            actor=m.regional_executor, assignment=top, to_org=m.association_a
        )
    assert refused.value.code == "complained_about"
    assert refused.value.field == "to_org"
    # Another association of the region may still study it.
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a2
    )
    assert child.org == m.association_a2


def test_the_working_group_cannot_route_a_complaint_to_the_body_it_is_about_l_4(
    ministry: Ministry,
) -> None:
    m = ministry
    complaint = register(kind="complaint")
    with pytest.raises(DomainError) as refused:
        services.route_appeal(
            actor=m.wg_member,
            appeal=complaint,
            to_org=m.regional_a,
            complaint_against=m.regional_a,
        )
    assert refused.value.code == "complained_about"
    complaint.refresh_from_db()
    assert complaint.complaint_against is None  # nothing of the refused routing stays
    assert not Assignment.objects.filter(appeal=complaint).exists()
    services.route_appeal(
        actor=m.wg_member,
        appeal=complaint,
        to_org=m.main_directorate,
        complaint_against=m.regional_a,
    )
    with pytest.raises(DomainError, match="complaint is about"):
        services.route_appeal(
            actor=m.wg_member,
            appeal=register(kind="complaint"),
            to_org=m.main_directorate,
            co_executors=[m.main_directorate_2],
            complaint_against=m.main_directorate_2,
        )


def test_a_lead_cannot_involve_the_body_complained_about_as_co_executor_l_4(
    ministry: Ministry,
) -> None:
    m = ministry
    complaint, lead = _routed_complaint(m, m.main_directorate, m.main_directorate_2)
    services.accept_assignment(actor=m.md_executor, assignment=lead)
    with pytest.raises(DomainError) as refused:
        services.involve_co_executors(
            actor=m.md_executor, assignment=lead, orgs=[m.main_directorate_2]
        )
    assert (refused.value.code, refused.value.field) == ("complained_about", "orgs")


def test_only_a_complaint_names_a_body_it_is_about(ministry: Ministry) -> None:
    m = ministry
    application = register(kind="application")
    with pytest.raises(DomainError) as refused:
        services.route_appeal(
            actor=m.wg_member,
            appeal=application,
            to_org=m.regional_a,
            complaint_against=m.association_a,
        )
    assert refused.value.code == "not_a_complaint"


def test_the_route_form_asks_for_the_body_only_for_a_complaint_and_the_page_shows_it(
    ministry: Ministry,
) -> None:
    m = ministry
    client = Client()
    client.force_login(m.wg_member)
    application = register(kind="application")
    page = client.get(reverse("appeals:detail", args=[application.number])).content.decode()
    assert 'name="complaint_against"' not in page
    complaint = register(kind="complaint")
    url = reverse("appeals:detail", args=[complaint.number])
    page = client.get(url).content.decode()
    assert 'name="complaint_against"' in page
    response = client.post(
        reverse("appeals:act", args=[complaint.number, "route"]),
        {
            "version": complaint.version,
            "to_org": m.regional_a.pk,
            "due_days": 13,
            "complaint_against": m.regional_a.pk,
            "topics": [t.pk for t in complaint.topics.all()],
        },
    )
    body = response.content.decode()
    assert response.status_code in (200, 400, 409)
    assert "it is never sent to the body it complains" in body
    assert Appeal.objects.get(pk=complaint.pk).complaint_against is None
    response = client.post(
        reverse("appeals:act", args=[complaint.number, "route"]),
        {
            "version": Appeal.objects.get(pk=complaint.pk).version,
            "to_org": m.main_directorate.pk,
            "due_days": 13,
            "complaint_against": m.regional_a.pk,
            "topics": [t.pk for t in complaint.topics.all()],
        },
    )
    assert response.status_code == 302
    assert Appeal.objects.get(pk=complaint.pk).complaint_against == m.regional_a
    page = client.get(url).content.decode()
    assert "Complaint about" in page and m.regional_a.name in page


def test_a_mistaken_body_can_be_cleared_when_the_complaint_is_routed_again(
    ministry: Ministry,
) -> None:
    m = ministry
    complaint, top = _routed_complaint(m, m.main_directorate, m.regional_a)
    services.return_assignment(actor=m.md_executor, assignment=top, reason="Hududga tegishli")
    complaint.refresh_from_db()
    # Routing without saying anything keeps the body; saying None clears it.
    services.route_appeal(
        actor=m.wg_member, appeal=complaint, to_org=m.regional_a, complaint_against=None
    )
    complaint.refresh_from_db()
    assert complaint.complaint_against is None
