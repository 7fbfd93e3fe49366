"""The outbox: written with the change, delivered at least once, never by two workers at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from murojaat.appeals import services
from murojaat.appeals.models import AppealState
from murojaat.gateway import outbox, signing, tasks
from murojaat.gateway.models import OutboxMessage, OutboxState
from tests.gateway.conftest import appeal_data
from tests.gateway.helpers import answer_and_send

pytestmark = pytest.mark.django_db


class Recorder:
    """A callback receiver that records what it got and answers `status`."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.calls: list[tuple[str, bytes, dict[str, str]]] = []

    def __call__(self, url, body, headers, timeout):
        self.calls.append((url, body, headers))
        return self.status


def _answered(ministry, api) -> OutboxMessage:
    """Answer a pushed appeal; only its `answer` message is left pending, so each test here
    follows that one message (the earlier steps, e.g. `in_work`, are delivered like it)."""
    answer_and_send(ministry, _pushed(api))
    OutboxMessage.objects.exclude(kind="answer").update(state=OutboxState.DELIVERED)
    return OutboxMessage.objects.get(kind="answer")


def _pushed(api, external_id="VR-1"):
    from murojaat.appeals.models import Appeal

    api.create_appeal(appeal_data(external_id))
    return Appeal.objects.get(external_id=external_id)


def test_the_answer_writes_one_outbox_message_in_the_same_transaction(ministry, api, vr):
    appeal = answer_and_send(ministry, _pushed(api))
    assert appeal.state == AppealState.SENT_TO_SOURCE
    message = OutboxMessage.objects.get(kind="answer")
    assert message.client == vr and message.kind == "answer"
    assert message.state == OutboxState.PENDING
    assert message.payload["external_id"] == "VR-1"
    assert message.payload["text"].startswith("Murojaat oʻrganildi")


def test_a_rolled_back_change_leaves_no_message(ministry, api):
    from django.db import transaction

    appeal = _pushed(api)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.return_to_source(actor=ministry.wg_member, appeal=appeal, reason="Tegishli emas")
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the request failed after the service")
    assert OutboxMessage.objects.count() == 0


def test_the_same_key_twice_never_duplicates(ministry, api):
    appeal = _pushed(api)
    for _ in range(2):
        tasks.on_source_notification(
            None, appeal=appeal, kind="answer", payload={"a": 1}, key="answer:1:1"
        )
    assert OutboxMessage.objects.count() == 1


def test_delivery_is_enqueued_after_commit(ministry, api, django_capture_on_commit_callbacks):
    appeal = _pushed(api)
    recorder = Recorder()
    original = outbox.http_post
    outbox.http_post = recorder
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.return_to_source(actor=ministry.wg_member, appeal=appeal, reason="Boshqa")
            assert recorder.calls == []  # nothing leaves before the commit
    finally:
        outbox.http_post = original
    assert len(callbacks) == 1
    assert len(recorder.calls) == 1
    assert OutboxMessage.objects.get().state == OutboxState.DELIVERED


def test_a_callback_is_signed_and_carries_the_idempotency_key(ministry, api, vr):
    message = _answered(ministry, api)
    recorder = Recorder()
    counts = outbox.deliver_pending(sender=recorder)
    assert counts["delivered"] == 1
    (url, body, headers) = recorder.calls[0]
    assert url == vr.callback_url
    message.refresh_from_db()
    assert headers["X-Idempotency-Key"] == message.key
    assert headers["X-Client-Key"] == vr.key_id
    signing.verify(
        secret=vr.secret,
        method="POST",
        path="/vr/callback",
        timestamp=headers["X-Timestamp"],
        signature=headers["X-Signature"],
        body=body,
    )
    sent = json.loads(body)
    assert sent["kind"] == "answer" and sent["external_id"] == "VR-1"
    assert message.state == OutboxState.DELIVERED and message.attempts == 1


def test_a_failing_delivery_stays_pending_with_backoff_then_fails_for_good(ministry, api, settings):
    settings.MUROJAAT_OUTBOX_MAX_ATTEMPTS = 3

    def boom(url, body, headers, timeout):
        raise ConnectionResetError("connection reset mid-way")

    message = _answered(ministry, api)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        outbox.deliver_pending(sender=boom)
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING
    assert message.attempts == 1
    assert "connection reset mid-way" in message.last_error
    assert message.next_attempt_at == start + timedelta(seconds=30)
    # Not due yet: the sweep leaves it alone.
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert outbox.deliver_pending(sender=boom)["due"] == 0
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        outbox.deliver_pending(sender=Recorder(status=503))
    message.refresh_from_db()
    assert message.attempts == 2 and "HTTP 503" in message.last_error
    assert message.next_attempt_at == start + timedelta(seconds=31 + 60)
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        outbox.deliver_pending(sender=boom)
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED and message.attempts == 3


def test_a_message_claimed_by_a_worker_that_died_is_delivered_once_by_the_next_sweep(ministry, api):
    message = _answered(ministry, api)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.claim(message.pk)  # worker A claims ... and is killed
        assert not outbox.claim(message.pk)  # worker B cannot take it meanwhile
        recorder = Recorder()
        assert outbox.deliver_pending(sender=recorder)["due"] == 0
        assert recorder.calls == []
    with time_machine.travel(start + outbox.lease() + timedelta(seconds=1), tick=False):
        recorder = Recorder()
        outbox.deliver_pending(sender=recorder)
        outbox.deliver_pending(sender=recorder)
    assert len(recorder.calls) == 1
    message.refresh_from_db()
    assert message.state == OutboxState.DELIVERED


def test_two_sweeps_racing_deliver_a_message_once(ministry, api):
    message = _answered(ministry, api)
    now = timezone.now()
    # Both workers read the message as due; only the first conditional UPDATE wins.
    assert [outbox.claim(message.pk, now), outbox.claim(message.pk, now)] == [True, False]


def test_a_client_without_a_callback_url_is_recorded_as_an_error(ministry, api, vr):
    vr.callback_url = ""
    vr.save()
    message = _answered(ministry, api)
    outbox.deliver_pending(sender=Recorder())
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and "no callback URL" in message.last_error


def test_resend_makes_a_failed_message_pending_again(ministry, api):
    message = _answered(ministry, api)
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.FAILED, attempts=10)
    message = tasks.resend(message)
    assert message.state == OutboxState.PENDING and message.attempts == 0
    assert outbox.deliver_pending(sender=Recorder())["delivered"] == 1


def test_the_command_and_the_task_sweep(ministry, api, capsys):
    from murojaat.gateway import tasks

    _answered(ministry, api)
    original = outbox.http_post
    outbox.http_post = Recorder()
    try:
        call_command("deliver_outbox")
        assert "delivered 1" in capsys.readouterr().out
        assert tasks.deliver_pending.name == "murojaat.gateway.tasks.deliver_pending"
        assert tasks.deliver_pending.apply().get()["due"] == 0
    finally:
        outbox.http_post = original


def test_a_slow_sweep_claims_each_message_with_the_current_time_so_no_other_worker_can_take_it(
    ministry, api
):
    """The sweep's second message is claimed after the first took longer than a lease: its
    lease must start then, or a second worker claims it too and the source gets it twice."""
    from murojaat.appeals.models import Appeal

    for external_id in ("SLOW-1", "SLOW-2"):
        api.create_appeal(appeal_data(external_id))
        services.return_to_source(
            actor=ministry.wg_member,
            appeal=Appeal.objects.get(external_id=external_id),
            reason="Tegishli emas",
        )
    first, second = OutboxMessage.objects.order_by("pk")
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    start = timezone.now()
    other_worker_claims = []
    with time_machine.travel(start, tick=False) as clock:

        def slow_receiver(url, body, headers, timeout):
            if json.loads(body)["key"] == first.key:
                clock.move_to(start + outbox.lease() + timedelta(seconds=30))  # a slow callback
            else:  # while the sweep delivers the second message, another worker tries it
                other_worker_claims.append(outbox.claim(second.pk))
            return 200

        counts = outbox.deliver_pending(sender=slow_receiver)
    assert counts["delivered"] == 2
    assert other_worker_claims == [False]


def test_a_claim_is_one_conditional_update_that_changed_exactly_one_row(ministry, api):
    message = _answered(ministry, api)
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.DELIVERED)
    assert outbox.claim(message.pk) is False  # not pending: the UPDATE matched no row
    assert outbox.claim(10**9) is False  # no such row
