"""manage.py load_demo: the organisation tree, demo staff (and demo appeals when available)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from murojaat.orgs.demo import load_demo_users

APPEALS_DEMO_MODULE = "murojaat.appeals.demo"
# Further demo loaders, each optional: (module, function taking stdout).
EXTRA_DEMOS = [("murojaat.receptions.demo", "load_demo_receptions")]


class Command(BaseCommand):
    help = "Load the organisation tree and demo staff, then print the demo logins. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DJANGO_PRODUCTION=1."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["force"]:
            raise CommandError("Refusing to create demo users in production (use --force).")
        call_command("load_orgs", stdout=self.stdout)
        with translation.override("en"):
            logins = load_demo_users()
        self.print_logins(logins)
        self.load_appeals()
        for module_name, function in EXTRA_DEMOS:
            if importlib.util.find_spec(module_name) is not None:
                loader = getattr(importlib.import_module(module_name), function, None)
                if callable(loader):
                    loader(self.stdout)

    def print_logins(self, logins: list[Any]) -> None:
        rows = [("username", "role", "organisation")] + [
            (x.username, ", ".join(x.roles), x.organisation) for x in logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "-+-".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write("Demo logins")
        self.stdout.write(line)
        for n, row in enumerate(rows):
            self.stdout.write(
                " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
            if n == 0:
                self.stdout.write(line)
        self.stdout.write(line)
        self.stdout.write(f"Password for every demo login: {settings.DEMO_PASSWORD}")
        self.stdout.write("")

    def load_appeals(self) -> None:
        """Demo appeals live with the appeals app; skip quietly until it provides them."""
        if importlib.util.find_spec(APPEALS_DEMO_MODULE) is None:
            return
        module = importlib.import_module(APPEALS_DEMO_MODULE)
        loader = getattr(module, "load_demo_appeals", None)
        if callable(loader):
            loader(self.stdout)
