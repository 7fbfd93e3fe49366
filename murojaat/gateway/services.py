"""What the gateway reads back for a citizen and a source system: a request's digest, the state
of the author's review. The author's writes (rate, ask for a review, withdraw) and the reads
their rules rest on (the answer they hold, their rating) are the engine's
(`appeals.services.citizen`); they are named here for the gateway's pages and API."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from murojaat.appeals.models import Appeal
from murojaat.appeals.services import (
    ReviewStatus,
    SentAnswer,
    can_request_review,
    current_rating,
    review_items_q,
    review_statuses,
    sent_answer,
)

__all__ = [
    "SentAnswer",
    "can_request_review",
    "current_rating",
    "latest_review_of",
    "request_digest",
    "sent_answer",
]


def request_digest(body: dict[str, Any]) -> str:
    """A stable hash of a parsed request: key order, spacing and defaults left out or spelt
    out do not change it, so only a different content makes a repeated create a clash."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest_review_of(appeal: Appeal) -> ReviewStatus | None:
    """What the author sees on the tracking page: their request for a review or poor rating the
    working group last acted on (or, if it has acted on none since, the newest one). A poor
    rating goes back to the working group like a request, so its state is shown the same way."""
    items = list(appeal.events.filter(review_items_q()))
    if not items:
        return None

    def last_moved(status: ReviewStatus) -> tuple[datetime, int]:
        event = status.decision or status.request
        return event.at, event.pk

    return max(review_statuses(items).values(), key=last_moved)
