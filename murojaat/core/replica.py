"""Reads that may be a few seconds old go to a streaming replica (issue 9).

With `DATABASE_REPLICA_URL` set (a PostgreSQL hot standby of the primary, streaming), the pages
that only read and may show data a few seconds old — the dashboards, the reports, the exports
and the search (settings.REPLICA_ROUTES) — read from the replica; every write, the case pages
and everything else stay on the primary. So the heaviest reads no longer compete with intake
and case work for the primary's CPU.

The replica is used only while it is healthy: in recovery (a standby, not a promoted copy),
its WAL receiver streaming, and its replay less than REPLICA_MAX_LAG_SECONDS behind. The check
is one query on the replica, repeated at most every REPLICA_CHECK_SECONDS per process. A replica
that is down, lagging or fails in the middle of a page sends the page to the primary: the user
gets the page, never a 500 (ReplicaReadsMiddleware.process_exception runs the view again).
A request already inside a transaction on the primary reads the primary (its own writes).
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
log = logging.getLogger("murojaat.replica")

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_wanted", default=False)
_used: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_used", default=False)
_health: dict[str, Any] = {"ok": False, "until": 0.0, "lag": None, "why": "not checked"}

HEALTH_SQL = """
SELECT pg_is_in_recovery(),
       (SELECT status FROM pg_stat_wal_receiver LIMIT 1),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


def check_replica() -> tuple[bool, str, float | None]:
    """Ask the replica itself: (usable, why not, lag in seconds)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(HEALTH_SQL)
            in_recovery, receiver, lag = cursor.fetchone()
    except Exception as exc:  # any failure to ask means: do not use it
        connections[REPLICA].close()
        return False, f"unreachable: {type(exc).__name__}", None
    lag = float(lag or 0)
    if not in_recovery:
        return False, "not a standby (promoted or a primary)", lag
    if receiver != "streaming":
        return False, f"WAL receiver {receiver or 'stopped'}", lag
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False, f"lagging {lag:.1f} s", lag
    return True, "", lag


def replica_usable() -> bool:
    """The replica's health, checked at most every REPLICA_CHECK_SECONDS in this process."""
    if not configured():
        return False
    now = time.monotonic()
    if now >= _health["until"]:
        ok, why, lag = check_replica()
        if not ok and (_health["ok"] or _health["why"] != why):
            log.warning("replica not used: %s", why)
        _health.update(ok=ok, why=why, lag=lag, until=now + settings.REPLICA_CHECK_SECONDS)
    return bool(_health["ok"])


def mark_replica_down(why: str) -> None:
    log.warning("replica not used: %s", why)
    _health.update(ok=False, why=why, until=time.monotonic() + settings.REPLICA_CHECK_SECONDS)


def forget_replica_health() -> None:
    """Check again on the next read (tests, and after an operator fixed the replica)."""
    _health.update(ok=False, until=0.0, lag=None, why="not checked")


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside: reads may go to the replica (when it is healthy)."""
    wanted, used = _wanted.set(True), _used.set(False)
    try:
        yield
    finally:
        _wanted.reset(wanted)
        _used.reset(used)


@contextmanager
def primary_reads() -> Iterator[None]:
    wanted = _wanted.set(False)
    try:
        yield
    finally:
        _wanted.reset(wanted)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when a replica is configured."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not _wanted.get() or connections["default"].in_atomic_block:
            return None
        if not replica_usable():
            return None
        _used.set(True)
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # the replica replays the primary's schema


def routed_to_replica(request: HttpRequest) -> bool:
    """GET/HEAD of a view named in settings.REPLICA_ROUTES ("reports:" = the whole namespace)."""
    match = request.resolver_match
    if request.method not in ("GET", "HEAD") or match is None:
        return False
    name = match.view_name
    return any(
        name == route or (route.endswith(":") and name.startswith(route))
        for route in settings.REPLICA_ROUTES
    )


class ReplicaReadsMiddleware:
    """Runs the replica-routed views with replica_reads(); a replica that fails mid-page
    sends the page to the primary once (process_exception)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        # Only the routed views read the replica: process_view turns it on for them.
        wanted, used = _wanted.set(False), _used.set(False)
        try:
            return self.get_response(request)
        finally:
            _wanted.reset(wanted)
            _used.reset(used)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if configured() and routed_to_replica(request):
            _wanted.set(True)
        return None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not (configured() and _used.get() and isinstance(exc, DatabaseError)):
            return None
        connections[REPLICA].close()
        mark_replica_down(f"failed during {request.path}: {type(exc).__name__}")
        match = request.resolver_match
        if match is None:
            return None
        with primary_reads():
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        return response
