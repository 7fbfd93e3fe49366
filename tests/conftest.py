from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.factories import Ministry, build_ministry

# Property tests check properties, not speed. Two cores shared by several test runs made the
# transliteration properties fail hypothesis's "too slow" health check and per-example deadline
# (issue 10, item 5): a timing check that says nothing about the property. Every property test
# inherits this profile; a test's own @settings still sets its number of examples.
settings.register_profile("murojaat", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("murojaat")


def pytest_configure(config: pytest.Config) -> None:
    """SQLite has no TRUNCATE: a transactional test's flush DELETEs every row, and the
    append-only triggers on events and reads (murojaat/appeals/append_only.py) refuse that.
    The flush is the harness wiping its own database, so it drops the triggers, deletes, and
    installs them again, in its one transaction. PostgreSQL's flush TRUNCATEs (no row
    trigger fires), so it needs nothing."""
    from django.db.backends.sqlite3.base import DatabaseOperations

    from murojaat.appeals.append_only import drop_sql, install_sql

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        sql = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        return [*drop_sql("sqlite"), *sql, *install_sql("sqlite")] if sql else sql

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture
def ministry(db: None) -> Ministry:
    """A small ministry with every stage, two regions and one persona per role."""
    return build_ministry()


@pytest.fixture(autouse=True)
def _english_by_default(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests assert English messages unless they switch language on purpose."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """A flushed database sends no signals: drop cached calendars and counters between tests."""
    from django.core.cache import cache

    from murojaat.core.calendar import clear_process_cache

    cache.clear()
    clear_process_cache()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """Uploads of the tests go to a temporary folder, never into the demo's `media/`."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
