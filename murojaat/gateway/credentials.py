"""API clients' shared secrets: derived, never stored; shown once; rotated by generation.

Requests are signed with HMAC-SHA256 under the shared secret (signing.py), and the outbox signs
its callbacks with the same secret, so the server must be able to compute the secret itself: a
one-way hash of it (as for passwords) could not verify a signature. So the secret is derived:

    secret = hex(HMAC-SHA256(MUROJAAT_API_SIGNING_KEY, "murojaat-api-client:<key_id>:<generation>"))

The database holds the key id, the generation and a fingerprint (the first 16 hex digits of
SHA-256 of the secret), nothing from which the secret can be computed without the signing key,
which lives in the environment. Rotating a client's secret moves it to the next generation:
the old secret stops working at once. Changing MUROJAAT_API_SIGNING_KEY changes every secret.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import ApiClient


def derive_secret(key_id: str, generation: int, signing_key: str | None = None) -> str:
    """`signing_key` defaults to settings.MUROJAAT_API_SIGNING_KEY (another process's key can be
    given, e.g. in a test that runs the server in a subprocess)."""
    master = str(signing_key or settings.MUROJAAT_API_SIGNING_KEY).encode()
    message = f"murojaat-api-client:{key_id}:{generation}".encode()
    return hmac.new(master, message, hashlib.sha256).hexdigest()


def fingerprint(secret: str) -> str:
    """Enough to tell two secrets apart in the admin and in support calls, useless to sign."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


@transaction.atomic
def rotate_secret(client: ApiClient) -> str:
    """Give the client a new secret and return it: the only moment it is shown. Requests
    signed with the old one are refused from now on."""
    ApiClient.objects.filter(pk=client.pk).update(secret_generation=F("secret_generation") + 1)
    client.refresh_from_db(fields=["secret_generation"])
    client.save(update_fields=["secret_generation"])  # the new fingerprint
    return client.secret
