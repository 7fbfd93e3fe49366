"""`make run`'s scheduler runs every job of the beat schedule, through the Celery tasks."""

from __future__ import annotations

from datetime import datetime
from io import StringIO

import time_machine
from django.conf import settings
from django.core.management import call_command

from murojaat.appeals import services
from murojaat.appeals.models import EventKind, Violation
from murojaat.notifications.management.commands.run_jobs import load_task
from murojaat.notifications.models import Kind, Notification
from tests.appeals.helpers import TASHKENT
from tests.notifications.test_events import register_public


def test_the_beat_schedule_names_the_notification_jobs_and_the_overdue_sweep() -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "murojaat.appeals.tasks.record_overdue",
        "murojaat.gateway.tasks.deliver_pending",
        "murojaat.notifications.tasks.deliver_pending",
        "murojaat.notifications.tasks.send_reminders",
        "murojaat.notifications.tasks.escalate",
    } <= tasks
    for name in tasks:
        assert load_task(name).name == name  # each names a registered Celery task


def test_one_round_records_a_missed_deadline_nobody_recorded_and_tells_its_people(
    ministry,
) -> None:
    appeal, _code = register_public()
    (top,) = services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
    )
    out = StringIO()
    with time_machine.travel(datetime(2026, 11, 19, 10, 0, tzinfo=TASHKENT), tick=False):
        call_command("run_jobs", "--once", stdout=out)
    assert Violation.objects.filter(assignment=top).exists()  # acceptance due on the 17th
    assert appeal.events.filter(kind=EventKind.DEADLINE_MISSED).exists()
    assert Notification.objects.filter(kind=Kind.OVERDUE, user=ministry.regional_executor).exists()
    assert "record-overdue:" in out.getvalue() and "send-reminders:" in out.getvalue()
