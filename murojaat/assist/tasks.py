"""Background jobs of the assistants (Celery; eager in the embedded demo)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger("murojaat.assist")


@shared_task(name="murojaat.assist.tasks.retrain_routing")
def retrain_routing() -> int | None:
    """Nightly: learn the group's latest routing decisions (the rules suggest until then)."""
    from .services import retrain_routing as run

    row = run()
    return row.version if row else None


@shared_task(name="murojaat.assist.tasks.detect_surges")
def detect_surges() -> int:
    """Hourly: this week's counts by topic and district against their own history."""
    from .services import detect_surges as run

    return len(run())


@shared_task(name="murojaat.assist.tasks.find_duplicates")
def find_duplicates(appeal_id: int) -> int:
    """After an appeal's registration: the open appeals it repeats (L-6), and campaigns.

    Never raises (in the eager demo it runs inside the registering request).
    """
    from murojaat.appeals.models import Appeal

    from .services import find_duplicates as run

    try:
        appeal = Appeal.objects.filter(pk=appeal_id).first()
        return len(run(appeal)) if appeal is not None else 0
    except Exception:
        log.exception("duplicate search failed", extra={"appeal": appeal_id})
        return 0
