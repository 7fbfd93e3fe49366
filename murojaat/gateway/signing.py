"""Request signing, the same in both directions (clients -> API, outbox -> client callbacks).

    X-Client-Key: <key_id>
    X-Timestamp:  <unix seconds>
    X-Signature:  hex(HMAC-SHA256(secret, f"{METHOD}\\n{path}\\n{timestamp}\\n{sha256_hex(body)}"))

`path` is the path as requested, with "?query" when there is one. A timestamp more than
TOLERANCE seconds away from the receiver's clock is refused, which bounds replays; the
signature covers the body, so nothing in it can be changed in flight.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.utils.translation import gettext as _

TOLERANCE = 300  # seconds either side

KEY_HEADER = "X-Client-Key"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_HEADER = "X-Signature"
IDEMPOTENCY_HEADER = "X-Idempotency-Key"


def canonical(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body or b"").hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{digest}".encode()


def sign(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    return hmac.new(
        secret.encode(), canonical(method, path, timestamp, body), hashlib.sha256
    ).hexdigest()


def signed_headers(
    *, key_id: str, secret: str, method: str, path: str, body: bytes, now: float | None = None
) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, method, path, timestamp, body),
    }


class SignatureError(Exception):
    """Why a signed request was refused; `code` is the stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_timestamp(timestamp: str | None, now: float | None = None) -> int:
    if not timestamp:
        raise SignatureError("signature_missing", _("The X-Timestamp header is missing."))
    try:
        value = int(timestamp)
    except ValueError:
        raise SignatureError(
            "timestamp_invalid", _("X-Timestamp must be Unix time in whole seconds.")
        ) from None
    current = now if now is not None else time.time()
    if abs(current - value) > TOLERANCE:
        raise SignatureError(
            "timestamp_out_of_window",
            _(
                "X-Timestamp is more than %(n)s seconds away from the server's clock; "
                "check the clock and sign the request again."
            )
            % {"n": TOLERANCE},
        )
    return value


def verify(
    *,
    secret: str,
    method: str,
    path: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
) -> None:
    """Raise SignatureError unless the signature is right and the timestamp is fresh."""
    check_timestamp(timestamp, now)
    if not signature:
        raise SignatureError("signature_missing", _("The X-Signature header is missing."))
    expected = sign(secret, method, path, str(timestamp), body)
    # Constant time: the comparison does not reveal how many leading characters matched.
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise SignatureError(
            "signature_invalid",
            _("The signature does not match the request (method, path, timestamp and body)."),
        )
