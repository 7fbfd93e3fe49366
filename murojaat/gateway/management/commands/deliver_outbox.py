"""Deliver due outbox messages once (cron, or when no Celery beat runs), or in a loop beside the
web server (`make run`)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand

from murojaat.gateway import outbox

log = logging.getLogger("murojaat.gateway.outbox")

SUMMARY = (
    "due %(due)d, delivered %(delivered)d, failed attempts %(failed_attempts)d, "
    "taken by another worker %(skipped)d"
)


class Command(BaseCommand):
    help = "Deliver the due outbox messages to the source systems' callback URLs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200)
        parser.add_argument(
            "--loop", type=float, default=0, help="Repeat every N seconds until interrupted."
        )

    def handle(self, *args: Any, limit: int, loop: float, **options: Any) -> None:
        if not loop:
            # One run (cron, by hand): its caller asks for the result, even when nothing was due.
            self.stdout.write(SUMMARY % outbox.deliver_pending(limit=limit))
            return
        # The loop runs beside the web server and shares its log: it says once that it started,
        # then only when a round found something, so an idle worker does not bury the requests.
        log.info("outbox worker started: a round every %g s, up to %d messages each", loop, limit)
        try:
            while True:
                counts = outbox.deliver_pending(limit=limit)
                if any(counts.values()):
                    log.info(SUMMARY, counts)
                time.sleep(loop)
        except KeyboardInterrupt:  # Ctrl-C on `make run`: stop without a traceback
            log.info("outbox worker stopped")
