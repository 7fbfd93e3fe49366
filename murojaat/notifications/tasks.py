"""Celery tasks of the notifications (beat schedules them; `run_jobs` drives them in the demo)."""

from __future__ import annotations

from celery import shared_task

from . import delivery, sweeps


@shared_task(name="murojaat.notifications.tasks.deliver_notification", ignore_result=True)
def deliver_notification(pk: int) -> bool:
    return delivery.deliver(pk)


@shared_task(name="murojaat.notifications.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> dict[str, int]:
    return delivery.deliver_pending()


@shared_task(name="murojaat.notifications.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return sweeps.send_reminders()


@shared_task(name="murojaat.notifications.tasks.escalate", ignore_result=True)
def escalate() -> int:
    return sweeps.escalate()


@shared_task(name="murojaat.notifications.tasks.poll_telegram", ignore_result=True)
def poll_telegram() -> int:
    from .telegram_link import poll_updates

    return poll_updates()
