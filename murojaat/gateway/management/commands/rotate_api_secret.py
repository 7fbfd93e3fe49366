"""Give an API client a new shared secret and print it: the only time it is shown.

manage.py rotate_api_secret "President VR"      # by name or key id
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from murojaat.gateway.credentials import rotate_secret
from murojaat.gateway.models import ApiClient


class Command(BaseCommand):
    help = "Rotate an API client's shared secret and show the new one once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client", help="The client's name or key id.")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["client"]
        client = ApiClient.objects.filter(Q(name=wanted) | Q(key_id=wanted)).first()
        if client is None:
            raise CommandError(f"No API client named or keyed “{wanted}”.")
        secret = rotate_secret(client)
        self.stdout.write(f"New secret of “{client.name}” (key id {client.key_id}):")
        self.stdout.write(f"  {secret}")
        self.stdout.write(
            f"  fingerprint {client.secret_fingerprint}. It is not stored and will not be "
            "shown again; the previous secret no longer works."
        )
