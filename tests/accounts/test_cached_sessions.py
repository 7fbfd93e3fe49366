"""Issue 9: with a shared cache, sessions are read from it (no SQL query per page) and written
through to the database; logging out or losing a role still takes effect at the next request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from murojaat.accounts.models import Role
from tests.factories import Ministry

ROOT = Path(__file__).resolve().parents[2]
CACHED_DB = "django.contrib.sessions.backends.cached_db"

pytestmark = pytest.mark.django_db


def _engine(**env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    script = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "murojaat.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_sessions_are_cached_only_in_a_shared_cache() -> None:
    """A per-process cache would let one worker keep a session another worker logged out."""
    assert _engine(REDIS_URL="redis://127.0.0.1:6379/5") == CACHED_DB  # no server contacted
    assert _engine() == "django.contrib.sessions.backends.db"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_DB


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_cached_session_costs_no_query_and_a_logout_ends_it_everywhere(
    cached_sessions, ministry: Ministry
) -> None:
    first = _signed_in(ministry.wg_member)
    assert first.get(reverse("appeals:inbox")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert first.get(reverse("appeals:inbox")).status_code == 200
    assert not any("django_session" in q["sql"] for q in queries)
    # The same session cookie in another browser (or on another worker).
    second = Client()
    second.cookies = first.cookies
    assert second.get(reverse("appeals:inbox")).status_code == 200
    first.post(reverse("accounts:logout"))
    again = second.get(reverse("appeals:inbox"))
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("accounts:login"))


def test_a_revoked_role_takes_effect_at_the_next_request(
    cached_sessions, ministry: Ministry
) -> None:
    """Roles are read per request, not kept with the cached session: a working-group member
    whose role is revoked no longer sees the group's routing queue on the very next page."""
    client = _signed_in(ministry.wg_member)
    assert "?tab=routing" in client.get(reverse("appeals:inbox")).content.decode()
    ministry.wg_member.role_grants.filter(role__in=(Role.WG_MEMBER, Role.WG_HEAD)).delete()
    assert "?tab=routing" not in client.get(reverse("appeals:inbox")).content.decode()
