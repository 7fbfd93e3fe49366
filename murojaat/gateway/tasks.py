"""Celery tasks of the gateway (beat runs deliver_pending every 30 seconds)."""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task(name="murojaat.gateway.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> dict[str, int]:
    return outbox.deliver_pending()


@shared_task(name="murojaat.gateway.tasks.deliver_message", ignore_result=True)
def deliver_message(message_id: int) -> bool:
    return outbox.deliver_message(message_id)
