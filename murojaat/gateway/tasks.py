"""Celery tasks of the gateway (beat runs deliver_pending every 30 seconds), and the hand-off of
a written outbox message to them after commit.

The dependency runs one way: this module uses `outbox` (writing, claiming, delivering), and
`outbox` knows nothing of Celery."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import transaction

from . import outbox
from .models import OutboxMessage

log = logging.getLogger("murojaat.gateway")


@shared_task(name="murojaat.gateway.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> dict[str, int]:
    return outbox.deliver_pending()


@shared_task(name="murojaat.gateway.tasks.deliver_message", ignore_result=True)
def deliver_message(message_id: int) -> bool:
    return outbox.deliver_message(message_id)


def enqueue(message_id: int) -> None:
    """Ask a worker to deliver now; if that fails, the periodic sweep still will."""
    try:
        deliver_message.delay(message_id)
    except Exception:  # a broker outage must not fail the request that committed the change
        log.warning("could not enqueue outbox delivery", extra={"message": message_id})


def on_source_notification(
    sender: Any, *, appeal: Any, kind: str, payload: dict[str, Any], key: str, **kwargs: Any
) -> None:
    """Receiver of appeals.signals.source_notification: runs inside the engine's transaction,
    so the message commits or rolls back with the change; delivery starts after commit."""
    message = outbox.record(appeal, kind, payload, key)
    if message is not None:
        pk = message.pk
        transaction.on_commit(lambda: enqueue(pk))


@transaction.atomic
def resend(message: OutboxMessage) -> OutboxMessage:
    """A person asks to try again: pending and due now, and handed to a worker after commit."""
    message = outbox.reset(message)
    pk = message.pk
    transaction.on_commit(lambda: enqueue(pk))
    return message
