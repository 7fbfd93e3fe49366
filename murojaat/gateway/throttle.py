"""Fixed-window counters in the shared cache (Redis in production): all workers see one count."""

from __future__ import annotations

import time

from django.http import HttpRequest


def hit(name: str, limit: int, window: int, *, count: bool = True) -> int:
    """Count one event (unless count=False) and return seconds to wait, or 0 when allowed."""
    from django.core.cache import cache

    now = time.time()
    slot = int(now // window)
    key = f"gateway:throttle:{name}:{slot}"
    if count:
        cache.add(key, 0, timeout=window * 2)
        try:
            value = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window * 2)
            value = 1
        over = value > limit
    else:
        over = int(cache.get(key, 0)) >= limit
    return (window - int(now % window)) if over else 0


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wrote unless a trusted
    # proxy sets it (configure the proxy to overwrite REMOTE_ADDR instead).
    return request.META.get("REMOTE_ADDR", "unknown")
