"""Closure and what the source system hears (R-P2-10, R-P3-2, issue 5): only the source closes
an appeal that came through its API; every status change goes to it once, keyed by its event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import AppealState, EventKind, Outcome, Topic
from murojaat.appeals.signals import source_notification
from murojaat.core.errors import DomainError
from tests.appeals.helpers import PDF, register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[dict[str, Any]]]:
    """What the gateway's outbox would receive, in order."""
    seen: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        seen.append({k: kwargs[k] for k in ("kind", "payload", "key")})

    source_notification.connect(receiver, weak=False, dispatch_uid="test-closure-source")
    yield seen
    source_notification.disconnect(dispatch_uid="test-closure-source")


def _api_client(channel: str = "president_vr"):
    from murojaat.gateway.models import ApiClient

    return ApiClient.objects.create(
        name="Virtual Reception", key_id=f"k-{channel}", channel=channel
    )


def _answered_and_sent(m: Ministry, appeal):
    """The gateway tests' story (route, answer with feedback, sign, send), and its assignment."""
    from tests.gateway.helpers import answer_and_send

    appeal = answer_and_send(m, appeal)
    return appeal, appeal.assignments.get(parent__isnull=True)


def test_the_working_group_cannot_close_an_appeal_that_came_through_the_api_r_p2_10(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register(source_client=_api_client(), external_id="PV-9")
    appeal, _top = _answered_and_sent(m, appeal)
    assert appeal.state == AppealState.SENT_TO_SOURCE
    with pytest.raises(DomainError) as err:
        services.acknowledge_closure(appeal=appeal, actor=m.wg_member, reference="Telefonda")
    assert err.value.code == "source_must_confirm"
    appeal.refresh_from_db()
    assert appeal.state == AppealState.SENT_TO_SOURCE
    services.acknowledge_closure(appeal=appeal, as_source=True)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED


def test_the_group_records_a_confirmation_outside_the_api_only_with_its_reference_r_p2_10(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal, _top = _answered_and_sent(m, register())
    with pytest.raises(DomainError) as err:
        services.acknowledge_closure(appeal=appeal, actor=m.wg_member, reference="  ")
    assert err.value.field == "reference"
    services.acknowledge_closure(
        appeal=appeal, actor=m.wg_member, reference="Virtual Reception letter 12-345, 1 Dec"
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    closed = appeal.events.get(kind=EventKind.CLOSED)
    assert closed.comment == "Virtual Reception letter 12-345, 1 Dec"
    assert closed.data["by_source"] is False


def test_the_case_page_offers_no_confirmation_form_for_an_api_appeal_r_p2_10(
    ministry: Ministry,
) -> None:
    from tests.appeals.test_case_views import _forms_on, client_for

    m = ministry
    by_api, _ = _answered_and_sent(m, register(source_client=_api_client(), external_id="PV-1"))
    by_post, _ = _answered_and_sent(m, register(author_name="Boshqa muallif"))
    forms_api = _forms_on(client_for(m.wg_member).get(reverse("appeals:detail", args=[by_api])))
    forms_post = _forms_on(client_for(m.wg_member).get(reverse("appeals:detail", args=[by_post])))
    assert not any(f.startswith("acknowledge") for f in forms_api)
    assert any(f.startswith("acknowledge") for f in forms_post)


def test_every_status_change_goes_to_the_source_once_keyed_by_its_event_issue_5(
    ministry: Ministry, heard: list[dict[str, Any]]
) -> None:
    import json

    m = ministry
    appeal = register(source_client=_api_client(), external_id="PV-77")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    request = services.request_extension(
        actor=m.regional_executor, assignment=top, days=5, reason="Ekspertiza"
    )
    services.decide_extension(actor=m.wg_member, request=request, approve=True)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    appeal.refresh_from_db()
    assert [h["kind"] for h in heard] == ["in_work", "extended"]
    in_work, extended = heard
    assert in_work["payload"] == {"organisation": m.regional_a.code, "due_date": "2026-12-01"}
    assert extended["payload"] == {"due_date": appeal.due_date.isoformat(), "days": 5}
    assert appeal.due_date.isoformat() == "2026-12-07"
    accepted = appeal.events.filter(kind=EventKind.ACCEPTED).first()
    approved = appeal.events.get(kind=EventKind.EXTENSION_APPROVED)
    assert in_work["key"] == f"in_work:{appeal.pk}:{accepted.pk}"
    assert extended["key"] == f"extended:{appeal.pk}:{approved.pk}"

    heard.clear()
    appeal, _ = _finish(m, appeal, top, child)
    services.acknowledge_closure(appeal=appeal, as_source=True)
    services.acknowledge_closure(appeal=appeal, as_source=True)  # a retry changes nothing
    appeal.refresh_from_db()
    assert [h["kind"] for h in heard] == ["answer", "closed"]
    closed_event = appeal.events.get(kind=EventKind.CLOSED)
    assert heard[-1]["payload"] == {"closed_at": appeal.closed_at.isoformat()}
    assert heard[-1]["key"] == f"closed:{appeal.pk}:{closed_event.pk}"
    assert len({h["key"] for h in heard}) == len(heard)
    json.dumps([h["payload"] for h in heard])  # small and JSON-serialisable


def _finish(m: Ministry, appeal, top, child):
    topic = Topic.objects.get(code="quality-of-care")
    for executor, head, a in (
        (m.association_executor, m.association_head, child),
        (m.regional_executor, m.regional_head, top),
    ):
        services.draft_answer(
            actor=executor,
            assignment=a,
            text="Javob",
            feedback_form="thanks",
            outcomes=[services.OutcomeInput(topic, Outcome.SATISFIED)],
        )
        services.add_document(
            actor=executor, appeal=appeal, assignment=a, kind="feedback", name="t.pdf", content=PDF
        )
        services.sign_answer(actor=head, assignment=a)
        services.submit_answer(actor=executor, assignment=a)
        sender = m.regional_executor if a == child else m.wg_member
        services.accept_answer(actor=sender, assignment=a)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)
    appeal.refresh_from_db()
    return appeal, top


def test_the_minister_s_procedure_closes_on_sending_and_tells_the_source_r_p3_2(
    ministry: Ministry, heard: list[dict[str, Any]]
) -> None:
    m = ministry
    appeal = register("minister_vr", source_client=_api_client("minister_vr"), external_id="V1")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    services.draft_answer(
        actor=m.centre_executor,
        assignment=top,
        text="Javob",
        outcomes=[
            services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.EXPLAINED)
        ],
    )
    services.sign_answer(actor=make_user("chead", m.centre, "head"), assignment=top)
    services.submit_answer(actor=m.centre_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    assert [h["kind"] for h in heard] == ["in_work", "answer", "closed"]
