"""``manage.py load_parties [FILE]``: load the article's parties, laws, elections; idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from murojaat.core.errors import DomainError
from murojaat.parties.selectors import DATA_FILE
from murojaat.parties.services import parties_load_dataset


class Command(BaseCommand):
    help = "Load parties, events, law versions and elections from a JSON file (default: shipped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DATA_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        try:
            report = parties_load_dataset(data=data)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
