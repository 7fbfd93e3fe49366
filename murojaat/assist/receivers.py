"""The assistants learn what the group decided from the appeal's own events."""

from __future__ import annotations

import logging
from typing import Any

from murojaat.appeals.models import EventKind

log = logging.getLogger("murojaat.assist")


def event_recorded(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A first routing closes the open suggestion; a merge decides the open duplicate pairs.

    Runs inside the service's transaction; a failure here is logged, never raised, because the
    group's action must not fail for the assistant's bookkeeping.
    """
    if not created or kwargs.get("raw"):
        return
    try:
        if instance.kind == EventKind.ROUTED and not instance.data.get("co_executor"):
            from .services import record_routing_decision

            record_routing_decision(instance)
        elif instance.kind == EventKind.MERGED:
            from .services import record_merge

            record_merge(instance)
    except Exception:
        log.exception("assistant bookkeeping failed", extra={"event": instance.pk})
