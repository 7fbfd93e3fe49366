"""Topics from the citizen's form to the statistics (issue 13): the author picks them in plain
words, the working group keeps or corrects them when routing (R-P2-2, R-P2-5), recorded as an
event, and a routing that would leave the appeal without topics is refused (L-9, L-11)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Event, EventKind, Topic
from murojaat.core.errors import DomainError
from tests.appeals.helpers import register
from tests.appeals.test_case_views import client_for
from tests.citizens.test_public import NEW, form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "plain", "office"),
    [
        ("en", "Rude or improper behaviour of doctors or nurses", "Conduct of medical staff"),
        ("ru", "Грубое или неподобающее поведение врачей или медсестёр", "Поведение персонала"),
        ("uz", "Shifokor yoki hamshiralarning qoʻpol", "Xodimlarning xulq-atvori"),
        ("uz-cyrl", "Шифокор ёки ҳамшираларнинг қўпол", "Ходимларнинг хулқ-атвори"),
    ],
)
def test_the_public_form_names_topics_in_the_citizen_s_words(ministry, language, plain, office):
    client = Client()
    client.cookies["django_language"] = language
    html = client.get(NEW).content.decode()
    assert plain in html and office not in html


def test_topics_picked_on_the_public_form_reach_the_appeal(client, ministry):
    picked = Topic.objects.filter(code__in=["staff-conduct", "paid-services"])
    response = client.post(NEW, form(topics=[t.pk for t in picked]))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert set(appeal.topics.values_list("code", flat=True)) == {"staff-conduct", "paid-services"}


def test_the_public_form_may_leave_topics_to_the_working_group(client, ministry):
    assert client.post(NEW, form()).status_code == 302
    assert not Appeal.objects.get().topics.exists()


def test_routing_corrects_the_topics_and_records_the_change_r_p2_2(ministry):
    m = ministry
    appeal = register("minister_vr", topics=("other",))
    medicines, paid = Topic.objects.filter(code__in=["medicines", "paid-services"]).order_by("code")
    services.route_appeal(
        actor=m.wg_member, appeal=appeal, to_org=m.main_directorate, topics=[medicines, paid]
    )
    assert set(appeal.topics.values_list("code", flat=True)) == {"medicines", "paid-services"}
    event = Event.objects.get(appeal=appeal, kind=EventKind.TOPICS_SET)
    assert event.data == {"before": ["other"], "after": ["medicines", "paid-services"]}
    assert event.actor == m.wg_member


def test_routing_with_the_same_topics_records_no_change(ministry):
    m = ministry
    appeal = register("minister_vr", topics=("medicines",))
    services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        topics=list(Topic.objects.filter(code="medicines")),
    )
    assert not Event.objects.filter(appeal=appeal, kind=EventKind.TOPICS_SET).exists()


def test_a_routing_that_leaves_no_topic_is_refused_l_11(ministry):
    m = ministry
    appeal = register("minister_vr", topics=())
    with pytest.raises(DomainError) as refused:
        services.route_appeal(
            actor=m.wg_member, appeal=appeal, to_org=m.main_directorate, topics=[]
        )
    assert refused.value.code == "no_topics" and refused.value.field == "topics"
    assert not appeal.assignments.exists()


def test_a_retired_topic_cannot_be_set(ministry):
    m = ministry
    appeal = register("minister_vr", topics=())
    old = Topic.objects.get(code="education")
    Topic.objects.filter(pk=old.pk).update(is_active=False)
    old.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.route_appeal(
            actor=m.wg_member, appeal=appeal, to_org=m.main_directorate, topics=[old]
        )
    assert refused.value.code == "inactive_topic"


def test_the_routing_form_ticks_the_author_s_topics_and_refuses_none(client, ministry):
    m = ministry
    client.post(NEW, form(topics=[Topic.objects.get(code="medicines").pk]))
    appeal = Appeal.objects.get()
    wg = client_for(m.wg_member)
    page = wg.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    medicines = Topic.objects.get(code="medicines")
    route_form = page.split('name="topics"')
    assert any(
        f'value="{medicines.pk}"' in chunk.split(">")[0] and "checked" in chunk.split(">")[0]
        for chunk in route_form[1:]
    )
    url = reverse("appeals:act", args=[appeal.number, "route"])
    data = {"version": appeal.version, "to_org": m.main_directorate.pk, "due_days": 13}
    refused = wg.post(url, data)
    assert refused.status_code == 400
    assert "Choose at least one topic" in refused.content.decode()
    sent = wg.post(url, {**data, "topics": [medicines.pk]})
    assert sent.status_code == 302
    assert appeal.assignments.count() == 1
