"""Who is calling: a signed request from an active API client, within its rate limit."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader

from murojaat.orgs.tree import cached

from . import signing
from .models import ApiClient
from .problems import RateLimited, Unauthorized


def active_clients() -> dict[str, ApiClient]:
    """The active clients by key id (a handful of systems), read once per process and tree
    version: saving or deleting a client (the admin, a rotation, a deactivation) bumps the
    shared version, so every worker refuses a disabled client or an old secret at its next
    request. An unknown key costs no query and is not remembered. Read-only, shared."""
    return cached(
        ("gateway-clients",),
        lambda: {c.key_id: c for c in ApiClient.objects.filter(is_active=True)},
    )


def check_rate_limit(client: ApiClient, now: float | None = None) -> None:
    """A fixed one-minute window per client, counted in the shared cache (all workers agree)."""
    current = now if now is not None else time.time()
    window = int(current // 60)
    key = f"gateway:rate:{client.pk}:{window}"
    # One round trip in the common case (the window's counter exists); the window's first
    # request creates it, and a concurrent first request that lost `add` counts on it.
    try:
        count = cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=120):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, 1, timeout=120)
                count = 1
    if count > client.rate_limit_per_minute:
        retry_after = 60 - int(current % 60)
        raise RateLimited(
            _("More than %(n)s requests in a minute; retry after %(s)s seconds.")
            % {"n": client.rate_limit_per_minute, "s": retry_after},
            retry_after=retry_after,
        )


class ClientRequest(HttpRequest):
    """The type of a request that passed `signed_request`: django-ninja sets `auth` to what the
    authenticator returned, the calling client. Endpoints are annotated with it."""

    auth: ApiClient


class SignedRequest(APIKeyHeader):
    """X-Client-Key + X-Timestamp + X-Signature (HMAC-SHA256 of method, path, time, body)."""

    param_name = signing.KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient:
        if not key:
            raise Unauthorized(
                _(
                    "Sign the request: X-Client-Key, X-Timestamp and X-Signature headers are "
                    "required."
                ),
                code="signature_missing",
            )
        client = active_clients().get(key[:64])
        if client is None:
            raise Unauthorized(_("Unknown or disabled client key."), code="unknown_key")
        try:
            signing.verify(
                secret=client.secret,
                method=request.method or "GET",
                path=request.get_full_path(),
                timestamp=request.headers.get(signing.TIMESTAMP_HEADER),
                signature=request.headers.get(signing.SIGNATURE_HEADER),
                body=request.body,
            )
        except signing.SignatureError as exc:
            raise Unauthorized(exc.message, code=exc.code) from None
        check_rate_limit(client)
        return client


signed_request = SignedRequest()
