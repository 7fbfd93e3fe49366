"""A delivery worker really killed (SIGKILL) in the middle of a delivery: the message is not
lost, no second worker sends it while the dead one's lease runs, and once the lease is over
another worker delivers it; the source sees it once (it de-duplicates by X-Idempotency-Key).

Real processes (`manage.py deliver_outbox`) on a file-backed SQLite database, a real socket to
the Virtual Reception simulator, and a real kill; only the lease's two minutes are skipped by
moving the message's lease end into the past, as the clock would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from murojaat.gateway.client import GatewayClient
from murojaat.gateway.credentials import derive_secret
from murojaat.gateway.simulator import VirtualReception

ROOT = Path(__file__).resolve().parents[2]
KEY, SIGNING_KEY = "killed-worker-key", "killed-worker-signing-key-0123456789abcdef0123456789"
# The subprocesses derive the client's secret from their MUROJAAT_API_SIGNING_KEY.
SECRET = derive_secret(KEY, 1, SIGNING_KEY)

SEED = """
from django.utils import timezone
from murojaat.appeals.services import register_appeal
from murojaat.gateway.models import ApiClient, OutboxMessage
client = ApiClient.objects.create(
    name="VR", key_id="{key}", channel="president_vr", callback_url="{url}"
)
appeal = register_appeal(
    actor=None, channel="president_vr", text="Matn", external_id="KW-1", source_client=client
).appeal
OutboxMessage.objects.create(
    client=client, appeal=appeal, kind="answer", key="answer:kw:1",
    payload={{"text": "Javob"}}, next_attempt_at=timezone.now(),
)
"""


class Receiver:
    """The simulator behind a socket that holds the first callback after recording it, the way a
    slow source holds a worker that is then killed before it reads the answer."""

    def __init__(self) -> None:
        self.simulator = VirtualReception(GatewayClient(KEY, SECRET, transport=None))
        self.requests: list[str] = []
        self.holding = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append(self.headers.get("X-Idempotency-Key", ""))
                status, _reply = receiver.simulator.handle_callback(
                    "POST", self.path, dict(self.headers.items()), body
                )
                if len(receiver.requests) == 1:
                    receiver.holding.set()
                    receiver.release.wait(60)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the worker is dead: nobody reads the answer
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_a_worker_killed_mid_delivery_loses_nothing_and_the_source_gets_it_once(tmp_path):
    db = tmp_path / "outbox.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "murojaat.settings",
        "DATABASE_URL": f"sqlite:///{db}",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "MUROJAAT_API_SIGNING_KEY": SIGNING_KEY,
    }
    receiver = Receiver()
    try:
        _manage(env, "migrate", "-v0")
        _manage(env, "shell", "-c", SEED.format(key=KEY, url=receiver.url))

        worker_a = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "deliver_outbox"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert receiver.holding.wait(60), "worker A never reached the receiver"
        os.kill(worker_a.pid, signal.SIGKILL)  # killed while the source holds its request
        assert worker_a.wait(30) == -signal.SIGKILL

        with sqlite3.connect(db) as conn:
            state, attempts = conn.execute(
                "SELECT state, attempts FROM gateway_outboxmessage"
            ).fetchone()
        assert (state, attempts) == ("pending", 0)  # not lost, not marked delivered

        # While the dead worker's lease runs, another worker leaves the message alone.
        assert _manage(env, "deliver_outbox").startswith("due 0, delivered 0")

        with sqlite3.connect(db) as conn:  # the lease is over (two minutes later)
            conn.execute("UPDATE gateway_outboxmessage SET next_attempt_at = '2000-01-01'")
        assert _manage(env, "deliver_outbox").startswith("due 1, delivered 1")
    finally:
        receiver.close()

    with sqlite3.connect(db) as conn:
        state, attempts = conn.execute(
            "SELECT state, attempts FROM gateway_outboxmessage"
        ).fetchone()
    assert (state, attempts) == ("delivered", 1)
    # Sent twice (at least once), processed once: the receiver drops the repeated key.
    assert receiver.requests == ["answer:kw:1", "answer:kw:1"]
    assert [m["key"] for m in receiver.simulator.received] == ["answer:kw:1"]
