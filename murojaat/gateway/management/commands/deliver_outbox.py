"""Deliver due outbox messages once (cron, or when no Celery beat runs)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from murojaat.gateway import outbox


class Command(BaseCommand):
    help = "Deliver the due outbox messages to the source systems' callback URLs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200)
        parser.add_argument(
            "--loop", type=float, default=0, help="Repeat every N seconds until interrupted."
        )

    def handle(self, *args: Any, limit: int, loop: float, **options: Any) -> None:
        while True:
            counts = outbox.deliver_pending(limit=limit)
            self.stdout.write(
                "due {due}, delivered {delivered}, failed attempts {failed_attempts}, "
                "taken by another worker {skipped}".format(**counts)
            )
            if not loop:
                return
            time.sleep(loop)
