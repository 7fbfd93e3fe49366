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
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "orgs:tree-version"
T = TypeVar("T")

_lock = threading.Lock()
_state: dict[str, Any] = {"version": None, "values": {}}


def tree_version() -> str:
    """The current version token; a fresh one when the cache lost it (all workers rebuild)."""
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
