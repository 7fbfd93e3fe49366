"""The whole round trip with the Virtual Reception simulator (R-P2-10): push, answer, deliver,
acknowledge, closed."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from murojaat.appeals.models import Appeal, AppealState, Document
from murojaat.gateway import outbox, tasks
from murojaat.gateway.client import DjangoTransport, GatewayClient
from murojaat.gateway.models import ApiClient, OutboxMessage, OutboxState
from murojaat.gateway.simulator import VirtualReception
from tests.gateway.helpers import answer_and_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulator(vr) -> VirtualReception:
    return VirtualReception(GatewayClient(vr.key_id, vr.secret, DjangoTransport()))


def _direct(sim: VirtualReception):
    """Deliver straight into the simulator's handler (no socket)."""

    def send(url, body, headers, timeout):
        return sim.handle_callback("POST", urlsplit(url).path, headers, body)[0]

    return send


def _topic(appeal: Appeal) -> None:
    from murojaat.appeals.models import Topic

    appeal.topics.add(Topic.objects.get(code="quality-of-care"))


def test_round_trip_in_process_ends_with_the_appeal_closed(ministry, simulator):
    (response,) = simulator.push(1, seed=7)
    assert response.status == 201
    appeal = Appeal.objects.get(external_id=simulator.pushed[0])
    assert Document.objects.filter(appeal=appeal, kind="attachment").count() == 1
    _topic(appeal)

    appeal = answer_and_send(ministry, appeal)
    assert appeal.state == AppealState.SENT_TO_SOURCE  # not closed until the source confirms

    messages = OutboxMessage.objects.count()
    assert outbox.deliver_pending(sender=_direct(simulator))["delivered"] == messages
    kinds = [m["kind"] for m in simulator.received]
    assert kinds[-1] == "answer" and kinds.count("answer") == 1  # after any in_work steps
    assert simulator.received[-1]["payload"]["text"].startswith("Murojaat oʻrganildi")

    (ack,) = simulator.process_acks()
    assert ack.status == 200 and ack.json()["state"] == "closed"
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED and appeal.closed_at is not None
    status = simulator.api.status(appeal.external_id).json()
    assert status["answer"]["text"].startswith("Murojaat oʻrganildi")
    assert status["answer"]["documents"][0]["kind"] == "feedback"


def test_a_redelivered_callback_is_dropped_by_its_key_and_acked_once(ministry, simulator):
    simulator.push(1, seed=8, attach=False)
    appeal = Appeal.objects.get()
    _topic(appeal)
    answer_and_send(ministry, appeal)
    outbox.deliver_pending(sender=_direct(simulator))
    received = len(simulator.received)
    tasks.resend(OutboxMessage.objects.get(kind="answer"))  # at-least-once: the same again
    outbox.deliver_pending(sender=_direct(simulator))
    assert len(simulator.received) == received
    assert [m["kind"] for m in simulator.received].count("answer") == 1
    assert len(simulator.process_acks()) == 1
    # A repeated acknowledgement is harmless too.
    assert simulator.api.acknowledge(appeal.external_id).status == 200


def test_a_callback_with_a_wrong_signature_is_refused_by_the_simulator(simulator):
    status, reply = simulator.handle_callback(
        "POST",
        "/callback",
        {"X-Client-Key": simulator.api.key_id, "X-Timestamp": "1", "X-Signature": "00"},
        b"{}",
    )
    assert status == 401 and reply["error"] == "timestamp_out_of_window"


def test_round_trip_over_a_real_socket(ministry, simulator, vr):
    server = simulator.make_server(0)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        vr.callback_url = f"http://127.0.0.1:{port}/callback"
        vr.save()
        simulator.push(1, seed=9, attach=False)
        appeal = Appeal.objects.get()
        _topic(appeal)
        answer_and_send(ministry, appeal)
        messages = OutboxMessage.objects.count()
        assert outbox.deliver_pending()["delivered"] == messages  # the real urllib POSTs
    finally:
        server.shutdown()
        server.server_close()
    assert OutboxMessage.objects.get(kind="answer").state == OutboxState.DELIVERED
    simulator.process_acks()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED


def test_an_unreachable_receiver_leaves_the_message_pending(ministry, simulator, vr):
    server = simulator.make_server(0)
    port = server.server_address[1]
    server.server_close()  # nobody listens there any more
    vr.callback_url = f"http://127.0.0.1:{port}/callback"
    vr.save()
    simulator.push(1, seed=10, attach=False)
    appeal = Appeal.objects.get()
    _topic(appeal)
    answer_and_send(ministry, appeal)
    outbox.deliver_pending()
    message = OutboxMessage.objects.get(kind="answer")
    assert message.state == OutboxState.PENDING and message.attempts == 1
    assert "could not reach" in message.last_error


def test_the_source_rejects_the_answer_and_it_goes_back_for_rework(ministry, simulator):
    simulator.push(1, seed=11, attach=False)
    appeal = Appeal.objects.get()
    _topic(appeal)
    answer_and_send(ministry, appeal)
    got = simulator.api.reject(appeal.external_id, "Muallifning fikri ilova qilinmagan")
    assert got.status == 200 and got.json()["state"] == "in_work"
    got = simulator.api.reject(appeal.external_id, "Yana")
    assert got.status == 409 and got.json()["code"] == "transition_refused"
    assert simulator.api.reject(appeal.external_id, "").status == 422


def test_the_command_creates_a_client_and_pushes_in_process(db, capsys):
    call_command("vr_simulator", "--create-client", "--callback-url", "http://127.0.0.1:8765/cb")
    out = capsys.readouterr().out
    client = ApiClient.objects.get()
    assert client.key_id in out and client.secret in out
    assert client.channel == "president_vr"
    call_command("vr_simulator", "--push", "3", "--in-process", "--seed", "1")
    out = capsys.readouterr().out
    assert out.count("201 PV-") == 3
    assert Appeal.objects.filter(source_client=client).count() == 3


def test_the_simulator_follows_every_kind_of_message_the_ministry_sends(simulator):
    """The engine reports each step to the source (in work, extended, answer, closed, ...): the
    simulator accepts each, verifies it, records it once and keeps the appeal's state."""
    simulator.push(1, seed=12, attach=False)
    appeal = Appeal.objects.get()
    steps = [
        ("in_work", {"organisation": "rd-1727", "due_date": "2026-12-15"}),
        ("extended", {"due_date": "2027-01-14", "days": 30}),
        ("answer", {"text": "Javob."}),
        ("closed", {"closed_at": "2027-01-10T10:00:00+05:00"}),
        ("something_new", {"x": 1}),
    ]
    for n, (kind, payload) in enumerate(steps):
        tasks.on_source_notification(
            None, appeal=appeal, kind=kind, payload=payload, key=f"{kind}:{appeal.pk}:{n}"
        )
    assert outbox.deliver_pending(sender=_direct(simulator))["delivered"] == len(steps)
    view = simulator.appeals[appeal.external_id]
    assert view["history"] == [kind for kind, _payload in steps]
    assert view["organisation"] == "rd-1727"
    assert view["due_date"] == "2027-01-14" and view["extended_days"] == 30
    assert view["state"] == "closed" and view["closed_at"] == "2027-01-10T10:00:00+05:00"
    assert simulator.unknown_kinds == ["something_new"]
    assert OutboxMessage.objects.filter(state=OutboxState.DELIVERED).count() == len(steps)
