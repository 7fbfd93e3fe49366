"""An SMS gateway on this machine for the demo: `manage.py sms_simulator --serve 8766`.

Point MUROJAAT_SMS_URL at http://127.0.0.1:8766/send (same login and password); each SMS the
system sends is printed here.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from murojaat.notifications.simulators import SmsGateway


class Command(BaseCommand):
    help = "Run a local SMS gateway (the operators' HTTP protocol) that prints what it receives."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--serve", type=int, default=8766, help="Port to listen on.")
        parser.add_argument("--login", default="murojaat")
        parser.add_argument("--password", default="murojaat")

    def handle(self, *args: Any, serve: int, login: str, password: str, **options: Any) -> None:
        gateway = SmsGateway(login, password, port=serve).start()
        self.stdout.write(f"SMS gateway on {gateway.url}/send (login {login})")
        shown = 0
        try:
            while True:
                time.sleep(0.5)
                for sms in gateway.delivered[shown:]:
                    self.stdout.write(f"SMS to +{sms.recipient} from {sms.originator}: {sms.text}")
                shown = len(gateway.delivered)
        except KeyboardInterrupt:
            gateway.close()
