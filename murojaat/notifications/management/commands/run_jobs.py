"""The periodic jobs in one process, on beat's own schedule, without a broker (`make run`).

Production runs `celery -A murojaat beat` and workers on Redis or RabbitMQ; the demo runs this
beside the web server. Both read the same CELERY_BEAT_SCHEDULE and run the same Celery tasks
(`task.apply()` runs a task's body in this process exactly as a worker would), so the overdue
sweep, the reminders, the escalation ladder and both outboxes work in the demo as in production.
Every job is idempotent, so a job that runs again after a restart changes nothing twice.
"""

from __future__ import annotations

import importlib
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

log = logging.getLogger("murojaat.jobs")


def interval_seconds(schedule: Any) -> float:
    if isinstance(schedule, int | float):
        return float(schedule)
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    if isinstance(run_every, timedelta):
        return run_every.total_seconds()
    raise CommandError(f"run_jobs runs interval schedules only, not {schedule!r}")


def load_task(name: str) -> Any:
    module, _dot, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def run(name: str, task_name: str) -> Any:
    try:
        result = load_task(task_name).apply(throw=True).result
    except Exception:
        log.exception("job %s failed", name)
        return None
    if result:
        log.info("job %s: %s", name, result)
    return result


class Command(BaseCommand):
    help = "Run the Celery beat schedule's jobs in this process (the demo's scheduler)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--only", action="append", default=[], help="Only these job names.")

    def handle(self, *args: Any, once: bool, only: list[str], **options: Any) -> None:
        jobs = {
            name: (entry["task"], interval_seconds(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
            if not only or name in only
        }
        if once:
            for name, (task_name, _every) in jobs.items():
                self.stdout.write(f"{name}: {run(name, task_name)}")
            return
        log.info(
            "scheduler started: %s", ", ".join(f"{n} every {s:g} s" for n, (_t, s) in jobs.items())
        )
        due = dict.fromkeys(jobs, 0.0)  # everything runs once at start: a fresh demo catches up
        try:
            while True:
                now = time.monotonic()
                for name, (task_name, every) in jobs.items():
                    if now >= due[name]:
                        run(name, task_name)
                        due[name] = time.monotonic() + every
                time.sleep(max(0.2, min(due.values()) - time.monotonic()))
        except KeyboardInterrupt:
            log.info("scheduler stopped")
