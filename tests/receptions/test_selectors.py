"""Scoping of receptions: everyone sees their subtree's sessions (R-ORG-2, R-ORG-3)."""

from __future__ import annotations

from datetime import date

from murojaat.receptions import selectors, services


def test_others_see_only_their_subtrees_sessions(ministry) -> None:
    mine = services.session_plan(
        actor=ministry.regional_head,
        organisation=ministry.regional_a,
        leader=ministry.regional_head,
        kind="personal",
        day=date(2026, 11, 24),
    )
    assert list(selectors.sessions_visible_to(ministry.outsider)) == []
    assert list(selectors.sessions_visible_to(ministry.auditor)) == [mine]
    assert list(selectors.sessions_visible_to(ministry.association_head)) == []
