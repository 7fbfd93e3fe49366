"""Deliver the due notifications once (cron, by hand, or a test's "next sweep")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from murojaat.notifications import delivery


class Command(BaseCommand):
    help = "Deliver the due notifications (e-mail, SMS, Telegram) once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        counts = delivery.deliver_pending(limit=limit)
        self.stdout.write(
            "due {due}, sent {sent}, failed attempts {failed_attempts}, "
            "taken by another worker {skipped}".format(**counts)
        )
