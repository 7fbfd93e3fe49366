"""The organisation tree, cached per process and per tree version (issue 9).

Scoping every staff page by `org__path__startswith` made PostgreSQL scan all assignments for
the prefix; a subtree is small (a region is a few dozen organisations, the whole ministry a few
hundred) and changes a few times a year, so it is cheaper to resolve it once to its
organisation ids and let `org_id IN (...)` use the assignments' indexes.

The version lives in the shared cache (Redis in production), so a change saved by one worker
invalidates what every other worker holds: each read costs one cache GET, never an SQL query.
Whatever changes the tree calls `bump_tree_version` (Organisation.save, deletion, the loader);
it bumps at once and again when the transaction commits, so a worker that rebuilt between the
two from the not-yet-committed state rebuilds once more.

Within a request the version is read once (an inbox request asked about ten times: a Redis
round trip each): `request_started` opens a per-request memo and `request_finished` drops it
(`murojaat.orgs.apps`). A request sees the tree as it was when it first asked, or as it
changed it itself (`bump_tree_version` forgets the memo); another worker's change is seen from
the next request on. Outside a request (Celery tasks, commands) every call reads the cache.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.local import Local
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "orgs:tree-version"
T = TypeVar("T")

_lock = threading.Lock()
_state: dict[str, Any] = {"version": None, "values": {}}
# Per request (and per thread or asyncio task): whether a request is running, and the version
# it read. asgiref's Local, as Django's own per-request state (translations, connections).
_request = Local()


def request_started(**kwargs: Any) -> None:
    """Signal receiver: a request begins; its first read of the version is remembered."""
    _request.active, _request.version = True, None


def request_finished(**kwargs: Any) -> None:
    _request.active, _request.version = False, None


def tree_version() -> str:
    """The current version token (once per request); a fresh one when the cache lost it."""
    if not getattr(_request, "active", False):
        return _read_version()
    if _request.version is None:
        _request.version = _read_version()
    return str(_request.version)


def _read_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return str(version)


def bump_tree_version() -> None:
    """Invalidate every worker's cached tree (now, and once more when the change commits)."""

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        _request.version = None  # this request reads its own change

    bump()
    transaction.on_commit(bump)


def bump_on_change(**kwargs: Any) -> None:
    """Signal receiver for the rows the cached choices are made of."""
    bump_tree_version()


def cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """`build()` computed once per process and tree version (`key` names what it is)."""
    version = tree_version()
    with _lock:
        if _state["version"] != version:
            _state["version"], _state["values"] = version, {}
        values: dict[tuple[Any, ...], Any] = _state["values"]
        if key in values:
            return values[key]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        if _state["version"] == version:
            _state["values"][key] = value
    return value


def subtree_ids(path: str) -> tuple[int, ...]:
    """Ids of the organisation with this `path` and of every organisation below it, active or
    not (a closed organisation's appeals stay readable by its supervisors)."""
    from .models import Organisation

    def build() -> tuple[int, ...]:
        return tuple(
            Organisation.objects.filter(path__startswith=path)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    return cached(("subtree", path), build)


def clear_process_cache() -> None:
    with _lock:
        _state["version"], _state["values"] = None, {}
