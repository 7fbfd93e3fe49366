"""Retrain the routing model on the working group's own decisions (also a nightly task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from murojaat.assist import services


class Command(BaseCommand):
    help = "Learn the working group's routing decisions; store the model with its figures."

    def handle(self, *args: Any, **options: Any) -> None:
        row = services.retrain_routing()
        if row is None:
            self.stdout.write(
                f"Not enough history (fewer than {services.MIN_HISTORY} routing decisions or one "
                "receiver): the rules suggest until there is."
            )
            return
        self.stdout.write(
            f"Routing model v{row.version}: {row.samples} decisions, {row.receivers} receivers; "
            f"held-out top-1 {row.top1:.1%}, top-3 {row.top3:.1%} "
            f"(most frequent receiver {row.baseline_top1:.1%}, topic/region rule "
            f"{row.rule_top1:.1%})."
        )
