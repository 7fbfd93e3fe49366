"""Print the assistants' measured figures on the held-out part of the labelled sample."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from murojaat.assist import bench


class Command(BaseCommand):
    help = "Measure routing suggestions, urgent triage and duplicate detection (held-out sample)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(bench.report(bench.run()))
