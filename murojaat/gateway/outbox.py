"""The transactional outbox to the source systems: written with the change, delivered after.

1. The engine sends `source_notification` inside the transaction that changes an appeal; the
   receiver here writes an OutboxMessage in that same transaction (get_or_create on the key, so
   a retried service call never duplicates). If the change rolls back, so does the message.
2. After commit, delivery is enqueued (Celery; eager in the demo). Should the process die
   between commit and enqueue, the periodic sweep (`deliver_pending`, every 30 s in beat, or
   `manage.py deliver_outbox`) finds the message: nothing is lost.
3. A worker claims a message with a conditional UPDATE (pending and due -> due again only after
   a lease); exactly one worker wins the row, so two never send it at the same time. A worker
   that dies mid-delivery leaves the lease to expire, and the next sweep delivers it.
4. The POST is signed like the client's own requests and carries X-Idempotency-Key: delivery is
   at-least-once, the receiver dedupes on the key.
5. Failure: attempts + 1, last_error, retry after an exponential backoff; after MAX_ATTEMPTS the
   message is marked failed and waits on the outbox page for a person to re-send it.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from . import signing
from .models import OutboxMessage, OutboxState

log = logging.getLogger("murojaat.gateway.outbox")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("MUROJAAT_OUTBOX_MAX_ATTEMPTS", 10)


def lease() -> timedelta:
    return timedelta(seconds=_setting("MUROJAAT_OUTBOX_LEASE_SECONDS", 120))


def timeout() -> int:
    return _setting("MUROJAAT_OUTBOX_TIMEOUT_SECONDS", 10)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... capped at 6 hours."""
    base = _setting("MUROJAAT_OUTBOX_BACKOFF_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 6 * 3600))


# --- writing --------------------------------------------------------------------------------


def record(appeal: Any, kind: str, payload: dict[str, Any], key: str) -> OutboxMessage | None:
    """Write the message inside the caller's transaction; None when the key was written before
    (a retried service call) or the appeal has no source system to tell. Delivery is handed to a
    worker after commit by `tasks.on_source_notification`, which calls this."""
    if appeal.source_client_id is None:
        return None
    message, created = OutboxMessage.objects.get_or_create(
        key=key[:120],
        defaults={
            "client_id": appeal.source_client_id,
            "appeal": appeal,
            "kind": kind[:32],
            "payload": payload,
            "next_attempt_at": timezone.now(),
        },
    )
    return message if created else None


# --- delivering -----------------------------------------------------------------------------


class DeliveryError(Exception):
    pass


Sender = Callable[[str, bytes, dict[str, str], int], int]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirected callback is a failure, not a re-POST elsewhere


def http_post(url: str, body: bytes, headers: dict[str, str], timeout_s: int) -> int:
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError("the callback URL must be http or https")
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=timeout_s) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"could not reach the callback URL: {exc}") from exc


def callback_body(message: OutboxMessage) -> bytes:
    return json.dumps(
        {
            "key": message.key,
            "kind": message.kind,
            "number": message.appeal.number,
            "external_id": message.appeal.external_id,
            "occurred_at": message.created_at.isoformat(),
            "payload": message.payload,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    ).encode()


def callback_request(message: OutboxMessage) -> tuple[str, bytes, dict[str, str]]:
    client = message.client
    url = client.callback_url
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = callback_body(message)
    headers = signing.signed_headers(
        key_id=client.key_id, secret=client.secret, method="POST", path=path, body=body
    )
    headers.update(
        {
            "Content-Type": "application/json",
            signing.IDEMPOTENCY_HEADER: message.key,
            "X-Murojaat-Event": message.kind,
            "User-Agent": "Murojaat-Outbox/1.0",
        }
    )
    return url, body, headers


def claim_row(pending: QuerySet[Any], pk: int, now: Any = None) -> bool:
    """Take one pending, due row of any outbox for one lease; True only for the one worker whose
    UPDATE changed it (the notifications' outbox claims its rows the same way).

    `now` is read at the claim itself, never earlier: a lease counted from the start of a long
    sweep would already be running out (or over) when the delivery starts, and another worker
    could claim and send the same message meanwhile.
    """
    now = now or timezone.now()
    changed = pending.filter(pk=pk, next_attempt_at__lte=now).update(next_attempt_at=now + lease())
    return changed == 1


def claim(message_id: int, now: Any = None) -> bool:
    """Take the message for one lease (see claim_row)."""
    return claim_row(OutboxMessage.objects.filter(state=OutboxState.PENDING), message_id, now)


def failure_fields(attempts: int, error: str, failed_state: str) -> dict[str, Any]:
    """After a failed attempt: count it, keep why, and retry after the backoff or give up."""
    fields: dict[str, Any] = {"attempts": attempts, "last_error": error}
    if attempts >= max_attempts():
        fields["state"] = failed_state
    else:
        fields["next_attempt_at"] = timezone.now() + backoff(attempts)
    return fields


def _deliver_claimed(message_id: int, sender: Sender) -> bool:
    message = OutboxMessage.objects.select_related("client", "appeal").get(pk=message_id)
    try:
        if not message.client.callback_url:
            raise DeliveryError("the client has no callback URL")
        url, body, headers = callback_request(message)
        status = sender(url, body, headers, timeout())
        if not 200 <= status < 300:
            raise DeliveryError(f"the callback answered HTTP {status}")
    except Exception as exc:
        _record_failure(message, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.DELIVERED,
        delivered_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )
    log.info("outbox delivered", extra={"key": message.key, "kind": message.kind})
    return True


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    fields = failure_fields(attempts, error, OutboxState.FAILED)
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.PENDING).update(**fields)
    log.warning(
        "outbox delivery failed",
        extra={"key": message.key, "attempts": attempts, "error": error},
    )


def deliver_message(message_id: int, *, sender: Sender | None = None) -> bool:
    """Deliver one message if it is due and this worker wins the claim."""
    if not claim(message_id):
        return False
    return _deliver_claimed(message_id, sender or http_post)


def deliver_pending(*, limit: int = 200, sender: Sender | None = None) -> dict[str, int]:
    """The sweep: every due message, oldest first; returns counts for logs and the command."""
    now = timezone.now()
    due = list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"due": len(due), "delivered": 0, "failed_attempts": 0, "skipped": 0}
    for pk in due:
        if not claim(pk):  # the current time: earlier deliveries of this sweep took a while
            counts["skipped"] += 1  # another worker has it
            continue
        if _deliver_claimed(pk, sender or http_post):
            counts["delivered"] += 1
        else:
            counts["failed_attempts"] += 1
    return counts


def reset(message: OutboxMessage) -> OutboxMessage:
    """A person asks to try again (after fixing the callback URL, say): pending, due now. The
    hand-off to a worker is `tasks.resend`'s."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.PENDING, next_attempt_at=timezone.now(), attempts=0, delivered_at=None
    )
    message.refresh_from_db()
    return message
