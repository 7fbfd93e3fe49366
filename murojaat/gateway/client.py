"""A signed client of the gateway API: what the Virtual Reception runs on its side.

Two transports: real HTTP (urllib, against a base URL) and in-process (Django's test Client,
for tests and `vr_simulator --in-process`). Both sign exactly the bytes they send.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from . import signing

MULTIPART_BOUNDARY = "murojaat-vr-boundary-7MA4YWxkTrZu0gW"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode() or "null")


class Transport(Protocol):
    def send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Response: ...


@dataclass
class HttpTransport:
    base_url: str = "http://127.0.0.1:8000"
    timeout: float = 10.0

    def send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Response:
        url = self.base_url.rstrip("/") + path
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("only http(s) URLs")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url, data=body if method != "GET" else None, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310
                return Response(resp.status, dict(resp.headers.items()), resp.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, dict(exc.headers.items()), exc.read())


@dataclass
class DjangoTransport:
    """In-process: the request goes through the whole Django stack, middleware included."""

    client: Any = None

    def send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Response:
        from django.test import Client

        client = self.client or Client()
        content_type = headers.pop("Content-Type", "application/octet-stream")
        response = client.generic(
            method, path, data=body, content_type=content_type, headers=headers
        )
        content = b"".join(response) if response.streaming else response.content
        return Response(response.status_code, dict(response.headers.items()), content)


@dataclass
class GatewayClient:
    key_id: str
    secret: str
    transport: Transport = field(default_factory=HttpTransport)
    prefix: str = "/api/v1"

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes = b"",
        content_type: str = "application/json",
        now: float | None = None,
    ) -> Response:
        full = self.prefix + path
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode()
        headers = signing.signed_headers(
            key_id=self.key_id, secret=self.secret, method=method, path=full, body=body, now=now
        )
        if body or method != "GET":
            headers["Content-Type"] = content_type
        return self.transport.send(method, full, body, headers)

    # -- the operations -------------------------------------------------------------------

    def whoami(self) -> Response:
        return self.request("GET", "/client")

    def create_appeal(self, data: dict[str, Any]) -> Response:
        return self.request("POST", "/appeals", json_body=data)

    def status(self, external_id: str) -> Response:
        return self.request("GET", f"/appeals/{external_id}")

    def upload(self, external_id: str, name: str, content: bytes, mime: str) -> Response:
        body = multipart({"file": (name, content, mime)})
        return self.request(
            "POST",
            f"/appeals/{external_id}/attachments",
            body=body,
            content_type=f"multipart/form-data; boundary={MULTIPART_BOUNDARY}",
        )

    def acknowledge(self, external_id: str) -> Response:
        return self.request("POST", f"/appeals/{external_id}/acknowledgement")

    def reject(self, external_id: str, reason: str) -> Response:
        return self.request(
            "POST", f"/appeals/{external_id}/rejection", json_body={"reason": reason}
        )


def multipart(files: dict[str, tuple[str, bytes, str]]) -> bytes:
    lines: list[bytes] = []
    for field_name, (filename, content, mime) in files.items():
        safe = filename.replace('"', "")
        lines += [
            f"--{MULTIPART_BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="{field_name}"; filename="{safe}"'.encode(),
            f"Content-Type: {mime}".encode(),
            b"",
            content,
        ]
    lines += [f"--{MULTIPART_BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)
