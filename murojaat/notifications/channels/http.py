"""One small JSON-over-HTTP client for the SMS gateway and the Bot API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit


class DeliveryError(Exception):
    """The channel did not take the message: retried with backoff, the reason kept."""


class HttpError(DeliveryError):
    pass


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: int = 10
) -> tuple[int, Any]:
    if urlsplit(url).scheme not in ("http", "https"):
        raise HttpError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        status, raw = int(exc.code), exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise HttpError(f"could not reach {urlsplit(url).netloc}: {exc}") from exc
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        body = raw.decode(errors="replace")[:500]
    return status, body
