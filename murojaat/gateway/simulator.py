"""A Virtual Reception simulator: the external side of the gateway, for demos and tests.

- push: realistic appeals through the real, signed API (over HTTP or in-process);
- receive: the outbox's callbacks, with the signature checked and duplicates dropped by their
  X-Idempotency-Key (delivery is at-least-once);
- acknowledge: every answer received is confirmed through the API, which closes the appeal
  (R-P2-10). Acknowledgements run after the callback was answered, as a real system would.
- follow: every kind of message the ministry sends (docs/api.md, "The outbox") updates what the
  simulator knows of the appeal (`appeals[external_id]`): in work at which organisation and until
  when, extended, answered, closed, returned, left, terminated, merged. A kind it does not know
  is still recorded and answered 200, so a newer ministry never stalls an older receiver.
"""

from __future__ import annotations

import json
import logging
import queue
import random
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import signing
from .client import GatewayClient, Response

log = logging.getLogger("murojaat.gateway.simulator")

MAX_CALLBACK_BYTES = 1024 * 1024

FIRST_NAMES = ["Dilnoza", "Shahnoza", "Malika", "Gulnora", "Aziz", "Jasur", "Bekzod", "Otabek"]
LAST_NAMES = ["Karimov", "Toshmatov", "Rahimov", "Yusupov", "Ergashev", "Nazarov", "Qodirov"]
PLACES = [
    "Toshkent sh., Chilonzor tumani, 9-kvartal, 14-uy",
    "Samarqand viloyati, Urgut tumani, Navbahor MFY",
    "Farg'ona viloyati, Marg'ilon sh., Ipakchi ko'chasi, 7-uy",
    "Qoraqalpog'iston Respublikasi, Nukus sh., Amir Temur ko'chasi, 21-uy",
    "Toshkent viloyati, Zangiota tumani, Eshonguzar MFY, 12-uy",
]
COMPLAINTS = [
    (
        "complaint",
        ["quality-of-care"],
        "Oilaviy poliklinikada shifokor qabul qilmadi, navbat uch kundan beri kutilmoqda. "
        "Chora ko'rishingizni so'rayman.",
    ),
    (
        "application",
        ["disability"],
        "Onamga nogironlik guruhini belgilash uchun tibbiy-mehnat ekspert komissiyasiga "
        "yo'llanma berilmayapti. Yordam berishingizni so'rayman.",
    ),
    (
        "complaint",
        ["medicines", "paid-services"],
        "Tuman shifoxonasida dori vositalari pullik ekanligi aytildi, vaholanki ular bepul "
        "berilishi kerak edi.",
    ),
    (
        "proposal",
        ["regulation-proposal"],
        "Qishloq vrachlik punktlarida kechki navbatchilikni joriy etishni taklif qilaman: "
        "ishlaydigan odamlar kunduzi kela olmaydi.",
    ),
    (
        "application",
        ["treatment-abroad"],
        "Farzandimni chet elda davolatish uchun kvota ajratish masalasida yordam so'rayman.",
    ),
]
# The smallest real PDF a content sniffer accepts.
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def realistic_appeal(rng: random.Random, external_id: str | None = None) -> dict[str, Any]:
    kind, topics, text = rng.choice(COMPLAINTS)
    return {
        "external_id": external_id or f"VR-{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}",
        "kind": kind,
        "text": text,
        "language": "uz",
        "topics": topics,
        "author": {
            "name": f"{rng.choice(LAST_NAMES)}a {rng.choice(FIRST_NAMES)}"
            if rng.random() < 0.5
            else f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}",
            "address": rng.choice(PLACES),
            "phone": f"+99890{rng.randrange(1_000_000, 9_999_999)}",
        },
    }


# Each kind of outbox message and what it changes in the source's view of the appeal.
KNOWN_KINDS = (
    "in_work",
    "extended",
    "answer",
    "closed",
    "returned",
    "left",
    "terminated",
    "merged",
)


def _follow(view: dict[str, Any], kind: str, payload: dict[str, Any]) -> None:
    if kind == "in_work":
        view.update(
            state="in_work",
            organisation=payload.get("organisation"),
            due_date=payload.get("due_date"),
        )
    elif kind == "extended":
        view.update(due_date=payload.get("due_date"), extended_days=payload.get("days"))
    elif kind == "answer":
        view.update(state="answered", answer=payload.get("text"))
    elif kind == "closed":
        view.update(state="closed", closed_at=payload.get("closed_at"))
    elif kind in ("returned", "left", "terminated", "merged"):
        view.update(state=kind, detail=payload)


@dataclass
class VirtualReception:
    api: GatewayClient
    auto_ack: bool = True
    received: list[dict[str, Any]] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)
    appeals: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown_kinds: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _acks: queue.Queue[str] = field(default_factory=queue.Queue)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- pushing ------------------------------------------------------------------------

    def push(self, n: int, *, seed: int | None = None, attach: bool = True) -> list[Response]:
        rng = random.Random(seed)  # noqa: S311 (sample data, not security)
        responses = []
        for i in range(n):
            data = realistic_appeal(rng)
            response = self.api.create_appeal(data)
            responses.append(response)
            if response.status in (200, 201):
                self.pushed.append(data["external_id"])
                if attach and i % 2 == 0:
                    self.api.upload(data["external_id"], "ariza.pdf", SAMPLE_PDF, "application/pdf")
        return responses

    # --- receiving ----------------------------------------------------------------------

    def handle_callback(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        """Check, record, dedupe; an answer is queued for acknowledgement."""
        h = {k.lower(): v for k, v in headers.items()}
        if method != "POST":
            return 405, {"error": "POST only"}
        if h.get(signing.KEY_HEADER.lower()) != self.api.key_id:
            return 401, {"error": "unknown key"}
        try:
            signing.verify(
                secret=self.api.secret,
                method=method,
                path=path,
                timestamp=h.get(signing.TIMESTAMP_HEADER.lower()),
                signature=h.get(signing.SIGNATURE_HEADER.lower()),
                body=body,
            )
        except signing.SignatureError as exc:
            return 401, {"error": exc.code}
        key = h.get(signing.IDEMPOTENCY_HEADER.lower(), "")
        try:
            message = json.loads(body)
        except ValueError:
            return 400, {"error": "not JSON"}
        if not isinstance(message, dict):
            return 400, {"error": "not a JSON object"}
        kind = str(message.get("kind", ""))
        external_id = message.get("external_id")
        raw_payload = message.get("payload")
        payload: dict[str, Any] = raw_payload if isinstance(raw_payload, dict) else {}
        with self._lock:
            if key in self._seen:
                return 200, {"duplicate": True}
            self._seen.add(key)
            self.received.append(message)
            if kind not in KNOWN_KINDS:
                self.unknown_kinds.append(kind)
                log.warning("callback of an unknown kind recorded: %s", kind)
            if external_id:
                view = self.appeals.setdefault(str(external_id), {"history": []})
                view["history"].append(kind)
                _follow(view, kind, payload)
        if kind == "answer" and self.auto_ack and external_id:
            self._acks.put(str(external_id))
        return 200, {"received": key}

    def process_acks(self) -> list[Response]:
        """Acknowledge every answer received so far (the appeal is then closed)."""
        responses: list[Response] = []
        while True:
            try:
                external_id = self._acks.get_nowait()
            except queue.Empty:
                return responses
            response = self.api.acknowledge(external_id)
            responses.append(response)
            if response.status == 200:
                self.acknowledged.append(external_id)
            else:
                log.warning("acknowledgement refused: %s %s", response.status, response.body)

    # --- serving ------------------------------------------------------------------------

    def make_server(self, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_CALLBACK_BYTES:
                    self._reply(413, {"error": "too large"})
                    return
                body = self.rfile.read(length)
                status, reply = simulator.handle_callback(
                    "POST", self.path, dict(self.headers.items()), body
                )
                self._reply(status, reply)

            def do_GET(self) -> None:
                self._reply(200, {"received": len(simulator.received)})

            def _reply(self, status: int, reply: dict[str, Any]) -> None:
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                log.info("callback %s", format % args)

        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the simulator listens on the loopback interface only")
        return ThreadingHTTPServer((host, port), Handler)

    def serve_forever(
        self, port: int, *, poll: float = 0.5, stop: threading.Event | None = None
    ) -> None:
        """Receive callbacks in a thread; acknowledge answers from this one until stopped."""
        server = self.make_server(port)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        stop = stop or threading.Event()
        try:
            while not stop.wait(poll):
                for response in self.process_acks():
                    log.info("acknowledged: %s", response.status)
        finally:
            server.shutdown()
            server.server_close()
