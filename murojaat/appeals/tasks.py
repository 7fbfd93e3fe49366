"""Background jobs of the appeals engine (Celery; eager in the embedded demo)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="murojaat.appeals.tasks.record_overdue")
def record_overdue() -> int:
    """Daily: open an explanation record for every deadline missed (R-P2-11, R-P2-13)."""
    from .services import record_overdue as run

    return run()


@shared_task(name="murojaat.appeals.tasks.recompute_deadlines")
def recompute_deadlines() -> int:
    """After a change of the working calendar: move the deadlines still running."""
    from .services import recompute_running_deadlines

    return recompute_running_deadlines()
