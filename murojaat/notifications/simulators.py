"""Local peers for the demo and the tests: an operator's SMS gateway and the Telegram Bot API.

Each speaks the protocol our adapters use, over a real socket, and keeps what it received:
- SmsGateway: POST with HTTP Basic credentials and the operators' JSON; a wrong password is
  401, a malformed body 400; a repeated message-id is accepted but not delivered twice.
- TelegramBotApi: /bot<token>/sendMessage and /bot<token>/getUpdates; a wrong token is 401 as
  Telegram answers; `say(chat_id, text)` (or POST /simulate/say) plays a person writing to the
  bot, e.g. "/start CODE" to link an account.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 256 * 1024


class _Server:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: Any) -> None:
                raw = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _body(self) -> Any:
                length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
                raw = self.rfile.read(length) if length else b""
                return json.loads(raw or b"{}")

            def do_POST(self) -> None:
                try:
                    body = self._body()
                except ValueError:
                    self._reply(400, {"ok": False, "description": "Bad Request: invalid JSON"})
                    return
                status, reply = peer.handle(self.path, dict(self.headers.items()), body)
                self._reply(status, reply)

            do_GET = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://{host}:{self.port}"

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        raise NotImplementedError

    def start(self) -> _Server:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Sms:
    recipient: str
    originator: str
    text: str
    message_id: str


class SmsGateway(_Server):
    def __init__(self, login: str, password: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.credentials = base64.b64encode(f"{login}:{password}".encode()).decode()
        self.delivered: list[Sms] = []
        self.requests = 0
        self.fail_next = 0  # the next N requests answer 503, as a busy operator does

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        with self.lock:
            self.requests += 1
            if self.fail_next:
                self.fail_next -= 1
                return 503, {"error-code": 503, "error-description": "Service unavailable"}
            auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
            if auth != f"Basic {self.credentials}":
                return 401, {"error-code": 401, "error-description": "Unauthorized"}
            try:
                messages = body["messages"]
                parsed = [
                    Sms(
                        recipient=str(m["recipient"]),
                        originator=str(m["sms"]["originator"]),
                        text=str(m["sms"]["content"]["text"]),
                        message_id=str(m["message-id"]),
                    )
                    for m in messages
                ]
            except (KeyError, TypeError):
                return 400, {"error-code": 400, "error-description": "Malformed request"}
            known = {s.message_id for s in self.delivered}
            for sms in parsed:
                if not sms.recipient.isdigit() or len(sms.recipient) < 9:
                    return 400, {"error-code": 400, "error-description": "Invalid recipient"}
                if sms.message_id not in known:
                    self.delivered.append(sms)
                    known.add(sms.message_id)
            return 200, {"status": "accepted"}


@dataclass
class BotState:
    sent: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update: int = 1
    next_message: int = 1


class TelegramBotApi(_Server):
    def __init__(self, token: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.token = token
        self.state = BotState()

    def say(self, chat_id: int | str, text: str) -> None:
        with self.lock:
            self.state.updates.append(
                {
                    "update_id": self.state.next_update,
                    "message": {
                        "message_id": self.state.next_message,
                        "chat": {"id": int(chat_id), "type": "private"},
                        "text": text,
                    },
                }
            )
            self.state.next_update += 1
            self.state.next_message += 1

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        if path == "/simulate/say":
            self.say(body.get("chat_id", 0), str(body.get("text", "")))
            return 200, {"ok": True}
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix) :].split("?")[0]
        with self.lock:
            if method == "sendMessage":
                if not body.get("chat_id") or not body.get("text"):
                    return 400, {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: message text is empty",
                    }
                message = {
                    "message_id": self.state.next_message,
                    "chat": {"id": int(body["chat_id"])},
                    "text": body["text"],
                }
                self.state.next_message += 1
                self.state.sent.append(message)
                return 200, {"ok": True, "result": message}
            if method == "getUpdates":
                offset = int(body.get("offset") or 0)
                self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
                return 200, {"ok": True, "result": list(self.state.updates)}
            if method == "getMe":
                return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "username": "sim"}}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
