"""Reactions of the appeals engine to changes elsewhere."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def calendar_changed(**kwargs: Any) -> None:
    """A day off added (or a working day transferred) later moves the running deadlines.

    Runs after commit, so the recomputation reads the calendar as committed.
    """
    from .tasks import recompute_deadlines

    transaction.on_commit(recompute_deadlines.delay)
