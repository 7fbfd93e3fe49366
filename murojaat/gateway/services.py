"""What the gateway computes for a source system: a request's digest (idempotent creates)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def request_digest(body: dict[str, Any]) -> str:
    """A stable hash of a parsed request: key order, spacing and defaults left out or spelt
    out do not change it, so only a different content makes a repeated create a clash."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
