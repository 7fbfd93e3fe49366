"""Fixed-window counters in the shared cache (Redis in production): all workers see one count.

The client address behind a reverse proxy is `client_ip`; django-axes uses the same function
(settings.AXES_CLIENT_IP_CALLABLE), so sign-in lockouts and these limits agree on who is who.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _key(name: str, window: int, now: float) -> str:
    return f"gateway:throttle:{name}:{int(now // window)}"


def hit(name: str, limit: int, window: int, *, count: bool = True) -> int:
    """Count one event and return seconds to wait (0 when allowed), in one atomic step.

    The cache's increment is the check: concurrent requests each get their own count, so no two
    can both see "one left". count=False only peeks (for pages that merely show the state).
    """
    from django.core.cache import cache

    now = time.time()
    key = _key(name, window, now)
    if count:
        cache.add(key, 0, timeout=window * 2)
        try:
            value = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=window * 2)
            value = 1
        over = value > limit
    else:
        over = int(cache.get(key, 0)) >= limit
    return (window - int(now % window)) if over else 0


def forgive(name: str, window: int) -> None:
    """Take back one counted event (a tracking lookup that succeeded is not a failure)."""
    from django.core.cache import cache

    key = _key(name, window, time.time())
    try:
        if int(cache.get(key, 0)) > 0:
            cache.decr(key)
    except ValueError:  # expired meanwhile: nothing to take back
        pass


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The citizen's address, not the proxy's.

    With MUROJAAT_TRUSTED_PROXY_COUNT = N proxies in front of Django, each appending the address
    it received from to X-Forwarded-For (MUROJAAT_FORWARDED_FOR_HEADER), the client is the N-th
    entry from the right: whatever a client wrote into the header itself sits further left and
    is ignored. With 0 (no proxy) the header is never trusted. A header shorter than N means
    the request did not come through all the proxies: REMOTE_ADDR then.

    None when no valid address is known (a sign-in made in code, without a request from the
    network): django-axes stores the address in an IP column, which refuses anything else.
    Rate-limit keys then share one "None" bucket, which errs on the side of limiting.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "MUROJAAT_TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header = getattr(settings, "MUROJAAT_FORWARDED_FOR_HEADER", "HTTP_X_FORWARDED_FOR")
    chain = [part for part in request.META.get(header, "").split(",") if part.strip()]
    if len(chain) < proxies:
        return remote
    return _valid_ip(chain[-proxies]) or remote


def setting(name: str, default: int) -> int:
    """A limit an operator may change in settings (MUROJAAT_...), else the code's default."""
    return int(getattr(settings, name, default))


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The citizen's 429 page: how long to wait, in their language, and Retry-After for tools."""
    from django.shortcuts import render

    response = render(
        request, "citizens/too_many.html", {"minutes": max(1, retry_after // 60)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response
