"""Keep every process's working calendar current when an override changes.

A save or delete bumps the shared cache's "calendar-version" twice: at once, so this process
(and its open transaction) sees the change, and again after the commit, so that a process that
reloaded between the two, and read the table before the commit, reloads once more. Bulk
`QuerySet.update()` sends no signal: call `bump_calendar_version()` after one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from murojaat.core.calendar import bump_calendar_version
from murojaat.core.models import CalendarOverride


@receiver(post_save, sender=CalendarOverride, dispatch_uid="calendar-override-saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="calendar-override-deleted")
def calendar_override_changed(sender: type[CalendarOverride], **kwargs: Any) -> None:
    bump_calendar_version()
    transaction.on_commit(bump_calendar_version, using=kwargs.get("using"))
