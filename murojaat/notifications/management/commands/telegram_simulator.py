"""The Telegram Bot API on this machine for the demo.

    manage.py telegram_simulator --serve 8767 --token demo-token
    manage.py telegram_simulator --url http://127.0.0.1:8767 --say 1001 "/start ABCD2345"

Point MUROJAAT_TELEGRAM_API_URL at http://127.0.0.1:8767 and MUROJAAT_TELEGRAM_TOKEN at the
token; `--say` plays a person writing to the bot (linking their account with the code shown on
their notification settings page).
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from murojaat.notifications.simulators import TelegramBotApi


class Command(BaseCommand):
    help = "Run a local Telegram Bot API, or make a simulated person write to it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--serve", type=int, help="Port to listen on.")
        parser.add_argument("--token", default="demo-token")
        parser.add_argument("--url", default="http://127.0.0.1:8767")
        parser.add_argument("--say", nargs=2, metavar=("CHAT_ID", "TEXT"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["say"]:
            chat, text = options["say"]
            request = urllib.request.Request(  # noqa: S310 (the simulator's own URL)
                options["url"].rstrip("/") + "/simulate/say",
                data=json.dumps({"chat_id": int(chat), "text": text}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                self.stdout.write(f"said {text!r} as chat {chat}: HTTP {response.status}")
            return
        if not options["serve"]:
            raise CommandError("give --serve PORT or --say CHAT_ID TEXT")
        bot = TelegramBotApi(options["token"], port=options["serve"]).start()
        self.stdout.write(f"Telegram Bot API on {bot.url} (token {options['token']})")
        shown = 0
        try:
            while True:
                time.sleep(0.5)
                for message in bot.state.sent[shown:]:
                    self.stdout.write(f"to chat {message['chat']['id']}: {message['text']}")
                shown = len(bot.state.sent)
        except KeyboardInterrupt:
            bot.close()
