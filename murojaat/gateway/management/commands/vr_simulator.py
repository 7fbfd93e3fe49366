"""Play the Virtual Reception: create its API client, push appeals, receive callbacks, ack.

manage.py vr_simulator --create-client --callback-url http://127.0.0.1:8765/callback
manage.py vr_simulator --client "Virtual Reception (simulator)" --push 5 [--in-process]
manage.py vr_simulator --client "Virtual Reception (simulator)" --serve 8765
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from murojaat.appeals.models import Channel
from murojaat.gateway.client import DjangoTransport, GatewayClient, HttpTransport
from murojaat.gateway.models import ApiClient
from murojaat.gateway.simulator import VirtualReception

DEFAULT_NAME = "Virtual Reception (simulator)"


class Command(BaseCommand):
    help = "Simulate the Virtual Reception against the gateway API (push, serve, acknowledge)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--create-client", action="store_true", help="Create the API client.")
        parser.add_argument("--client", default=DEFAULT_NAME, help="API client name in the DB.")
        parser.add_argument("--key", help="Key id (instead of reading the client from the DB).")
        parser.add_argument("--secret", help="Shared secret (with --key).")
        parser.add_argument("--channel", default=Channel.PRESIDENT_VR, choices=Channel.values)
        parser.add_argument("--callback-url", default="http://127.0.0.1:8765/callback")
        parser.add_argument("--rate-limit", type=int, default=120)
        parser.add_argument("--push", type=int, default=0, metavar="N")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--no-attachments", action="store_true")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--in-process", action="store_true", help="Use Django's test Client.")
        parser.add_argument("--serve", type=int, default=0, metavar="PORT")
        parser.add_argument("--no-ack", action="store_true", help="Receive without acknowledging.")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["create_client"]:
            self._create_client(o)
        if not (o["push"] or o["serve"]):
            return
        key, secret = self._credentials(o)
        transport: Any
        if o["in_process"]:
            from django.test import Client

            host = "testserver" if "testserver" in settings.ALLOWED_HOSTS else "127.0.0.1"
            transport = DjangoTransport(Client(SERVER_NAME=host))
        else:
            transport = HttpTransport(o["base_url"])
        simulator = VirtualReception(
            GatewayClient(key, secret, transport), auto_ack=not o["no_ack"]
        )
        if o["push"]:
            responses = simulator.push(o["push"], seed=o["seed"], attach=not o["no_attachments"])
            for r in responses:
                body = r.json() if r.body else {}
                if r.status in (200, 201):
                    self.stdout.write(f"{r.status} {body['number']} ({body['external_id']})")
                else:
                    self.stderr.write(f"{r.status} {body.get('code')}: {body.get('detail')}")
        if o["serve"]:
            self.stdout.write(
                f"Receiving callbacks on http://127.0.0.1:{o['serve']}/ (Ctrl-C to stop)"
            )
            with contextlib.suppress(KeyboardInterrupt):
                simulator.serve_forever(o["serve"])
            self.stdout.write(
                f"received {len(simulator.received)}, acknowledged {len(simulator.acknowledged)}"
            )

    def _create_client(self, o: dict[str, Any]) -> None:
        client, created = ApiClient.objects.get_or_create(
            name=o["client"],
            defaults={
                "key_id": f"vr-{secrets.token_hex(8)}",
                "channel": o["channel"],
            },
        )
        client.callback_url = o["callback_url"]
        client.channel = o["channel"]
        client.rate_limit_per_minute = o["rate_limit"]
        client.is_active = True
        client.save()
        self.stdout.write(("Created" if created else "Updated") + f" API client “{client.name}”")
        self.stdout.write(f"  key id:       {client.key_id}")
        if created:  # shown once; later: manage.py rotate_api_secret
            self.stdout.write(f"  secret:       {client.secret}")
        else:
            self.stdout.write(
                f"  secret:       unchanged (fingerprint {client.secret_fingerprint})"
            )
        self.stdout.write(f"  channel:      {client.channel}")
        self.stdout.write(f"  callback URL: {client.callback_url}")

    def _credentials(self, o: dict[str, Any]) -> tuple[str, str]:
        if o["key"]:
            if not o["secret"]:
                raise CommandError("--key needs --secret")
            return o["key"], o["secret"]
        client = ApiClient.objects.filter(name=o["client"]).first()
        if client is None:
            raise CommandError(f"No API client “{o['client']}”: run with --create-client first.")
        return client.key_id, client.secret
