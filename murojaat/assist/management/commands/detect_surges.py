"""Look for this week's surges by topic and district (also an hourly task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from murojaat.assist import services


class Command(BaseCommand):
    help = "Compare this week's appeals by topic and district with their own history."

    def handle(self, *args: Any, **options: Any) -> None:
        surges = services.detect_surges()
        for s in surges:
            self.stdout.write(
                f"{s.week_start} {s.topic.code} / {s.district.soato}: {s.count} "
                f"(mean {s.mean:.1f}, threshold {s.threshold:.1f})"
            )
        self.stdout.write(f"{len(surges)} surge(s).")
