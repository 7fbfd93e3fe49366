"""Issue 9: dashboards, reports, exports and search read a streaming replica; writes and case
pages the primary; a replica that lags, is down or fails mid-page sends the page to the primary
(never a 500). These tests need a real hot standby: CI starts one with .ci/start-replica and
sets DATABASE_REPLICA_URL (they are skipped on SQLite and without it)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from murojaat.appeals.deadlines import TASHKENT
from murojaat.appeals.models import Appeal
from murojaat.core import replica
from tests.appeals.helpers import register
from tests.factories import Ministry, build_ministry

pytestmark = [
    pytest.mark.replica,
    # In CI on PostgreSQL a missing replica fails these tests instead of skipping them.
    pytest.mark.skipif(
        "replica" not in settings.DATABASES and not (settings.IS_POSTGRES and os.environ.get("CI")),
        reason="needs PostgreSQL with DATABASE_REPLICA_URL (a streaming replica)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture
def m() -> Iterator[Ministry]:
    replica.forget_replica_health()
    yield build_ministry()
    replica.forget_replica_health()


def wait_for_replay(appeal: Appeal, seconds: float = 20) -> None:
    """The standby shows a committed row within moments; the tests wait for it explicitly."""
    deadline = time.monotonic() + seconds
    while not Appeal.objects.using("replica").filter(pk=appeal.pk).exists():
        assert time.monotonic() < deadline, "the replica did not replay the commit"
        time.sleep(0.1)


def search(client, user, query: str):  # type: ignore[no-untyped-def]
    client.force_login(user)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as standby,
    ):
        response = client.get(reverse("appeals:search"), {"q": query})
    assert response.status_code == 200
    return response, primary, standby


def appeal_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "appeals_appeal" in q["sql"]]


def test_the_standby_is_healthy_and_streaming(m: Ministry) -> None:
    ok, why, lag = replica.check_replica()
    assert ok, why
    assert lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS


def test_search_reads_the_replica_and_the_case_page_the_primary(client, m: Ministry) -> None:
    appeal = register()
    wait_for_replay(appeal)
    response, primary, standby = search(client, m.wg_member, appeal.number)
    assert appeal.number in response.content.decode()
    assert appeal_reads(standby) and not appeal_reads(primary)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as standby,
    ):
        page = client.get(reverse("appeals:detail", args=[appeal.number]))
    assert page.status_code == 200
    assert appeal_reads(primary) and not standby.captured_queries


def test_dashboards_and_exports_read_the_replica(client, m: Ministry) -> None:
    appeal = register()
    wait_for_replay(appeal)
    client.force_login(m.wg_member)
    for name in ("reports:dashboard", "reports:export", "reports:monthly"):
        with CaptureQueriesContext(connections["replica"]) as standby:
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert standby.captured_queries, name


def test_a_lagging_replica_sends_the_search_to_the_primary(client, m: Ministry, settings) -> None:
    """Replay paused, a new appeal on the primary only: the search must still find it."""
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        appeal = register(received=datetime(2026, 11, 17, 10, 0, tzinfo=TASHKENT))
        time.sleep(1.2)  # the standby's last replayed commit is now over a second old
        settings.REPLICA_MAX_LAG_SECONDS = 1
        replica.forget_replica_health()
        response, primary, standby = search(client, m.wg_member, appeal.number)
        assert appeal.number in response.content.decode()
        assert appeal_reads(primary) and not appeal_reads(standby)
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_a_replica_that_is_down_sends_the_search_to_the_primary(client, m: Ministry) -> None:
    appeal = register()
    standby = connections["replica"]
    port = standby.settings_dict["PORT"]
    standby.close()
    standby.settings_dict["PORT"] = 9  # nothing listens there
    try:
        replica.forget_replica_health()
        client.force_login(m.wg_member)
        response = client.get(reverse("appeals:search"), {"q": appeal.number})
        assert response.status_code == 200
        assert appeal.number in response.content.decode()
        assert not replica.replica_usable()
    finally:
        standby.close()
        standby.settings_dict["PORT"] = port


def test_a_replica_failing_mid_page_is_retried_on_the_primary(
    client, m: Ministry, monkeypatch
) -> None:
    """Healthy at the check, gone at the query: the page comes from the primary, not a 500."""
    appeal = register()
    standby = connections["replica"]
    port = standby.settings_dict["PORT"]
    monkeypatch.setattr(replica, "replica_usable", lambda: True)
    standby.close()
    standby.settings_dict["PORT"] = 9
    try:
        client.force_login(m.wg_member)
        response = client.get(reverse("appeals:search"), {"q": appeal.number})
        assert response.status_code == 200
        assert appeal.number in response.content.decode()
    finally:
        standby.close()
        standby.settings_dict["PORT"] = port


def test_writes_go_to_the_primary(m: Ministry) -> None:
    router = replica.ReplicaRouter()
    with replica.replica_reads():
        assert router.db_for_write(Appeal) == "default"
        assert router.allow_migrate("replica", "appeals") is False
