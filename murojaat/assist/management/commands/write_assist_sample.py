"""Regenerate the hand-written labelled sample file from its templates (deterministic)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from murojaat.assist import sample


class Command(BaseCommand):
    help = "Write murojaat/assist/data/labelled_sample.json from the hand-written templates."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args: Any, **options: Any) -> None:
        n = sample.write(seed=options["seed"])
        self.stdout.write(f"{n} labelled letters written to {sample.SAMPLE_PATH}.")
