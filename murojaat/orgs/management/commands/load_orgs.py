"""manage.py load_orgs: load regions, districts and the ministry's organisation tree."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from murojaat.orgs.loader import DATA_FILE, load_orgs


class Command(BaseCommand):
    help = "Load (or update) the administrative units and the organisation tree. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", default=str(DATA_FILE), help="Data file (default: the committed one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stats = load_orgs(options["file"])
        self.stdout.write(self.style.SUCCESS(f"load_orgs: {stats.summary()}"))
