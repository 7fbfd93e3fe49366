"""Delivering the notification outbox: the gateway outbox's discipline, shared.

A worker claims a row with the same conditional UPDATE lease (`gateway.outbox.claim_row`), so
two workers never send one row at once and a worker killed mid-delivery leaves the row pending
for the next sweep after its lease. A failure counts an attempt, keeps the reason and retries
after the same exponential backoff (`failure_fields`); after the last attempt the row is failed
and waits on the admin's list for a person to re-send it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from murojaat.gateway.outbox import claim_row, failure_fields

from .channels import ADAPTERS, Adapter, DeliveryError
from .models import Notification, State

log = logging.getLogger("murojaat.notifications")


def _pending() -> Any:
    return Notification.objects.filter(state=State.PENDING)


def claim(pk: int, now: Any = None) -> bool:
    return claim_row(_pending(), pk, now)


def _deliver_claimed(pk: int, adapters: dict[str, Adapter]) -> bool:
    row = Notification.objects.get(pk=pk)
    try:
        adapter = adapters.get(row.channel)
        if adapter is None:
            raise DeliveryError(f"no adapter for the channel {row.channel!r}")
        adapter(row)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        _pending().filter(pk=pk).update(**failure_fields(row.attempts + 1, error, State.FAILED))
        log.warning("notification failed", extra={"key": row.key, "error": error})
        return False
    fields: dict[str, Any] = {
        "state": State.SENT,
        "sent_at": timezone.now(),
        "attempts": F("attempts") + 1,
        "last_error": "",
    }
    if row.secret:  # the code was for the recipient only: it does not stay in the database
        fields.update(secret="", body=row.body.replace(row.secret, "•" * len(row.secret)))
    Notification.objects.filter(pk=pk).update(**fields)
    log.info("notification sent", extra={"key": row.key, "channel": row.channel})
    return True


def deliver(pk: int, *, adapters: dict[str, Adapter] | None = None) -> bool:
    """Deliver one row if it is due and this worker wins the claim."""
    if not claim(pk):
        return False
    return _deliver_claimed(pk, adapters or ADAPTERS)


def deliver_pending(
    *, limit: int = 200, adapters: dict[str, Adapter] | None = None
) -> dict[str, int]:
    """The sweep: every due row, oldest first."""
    due = list(
        _pending()
        .filter(next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"due": len(due), "sent": 0, "failed_attempts": 0, "skipped": 0}
    for pk in due:
        if not claim(pk):
            counts["skipped"] += 1
            continue
        if _deliver_claimed(pk, adapters or ADAPTERS):
            counts["sent"] += 1
        else:
            counts["failed_attempts"] += 1
    return counts


@transaction.atomic
def resend(pk: int) -> None:
    """A person asks to try a failed row again (after fixing an address or the gateway)."""
    _updated = Notification.objects.filter(pk=pk).exclude(state=State.SENT)
    if _updated.update(state=State.PENDING, next_attempt_at=timezone.now(), attempts=0):
        from .services import enqueue

        transaction.on_commit(lambda: enqueue(pk))
