"""Scoping and the quarter's training compliance (R-ORG-5)."""

from __future__ import annotations

from datetime import date

from murojaat.control import selectors, services


def test_compliance_lists_an_org_without_a_training_this_quarter_and_not_one_with_r_org_5(
    ministry, django_assert_max_num_queries
) -> None:
    services.training_record(
        actor=ministry.association_head,
        organisation=ministry.association_a,
        day=date(2026, 11, 2),
        topic="Deadlines",
        participants_count=5,
    )
    with django_assert_max_num_queries(3):
        missing = list(selectors.training_compliance(ministry.wg_member, year=2026, quarter=4))
    assert ministry.association_a not in missing
    assert ministry.association_a2 in missing
    assert ministry.regional_b in missing
    assert ministry.ministry not in missing  # not a kind R-ORG-5 is checked for


def test_a_training_in_another_quarter_does_not_count_r_org_5(ministry) -> None:
    services.training_record(
        actor=ministry.association_head,
        organisation=ministry.association_a,
        day=date(2026, 9, 30),
        topic="Deadlines",
        participants_count=5,
    )
    missing = selectors.training_compliance(ministry.wg_member, year=2026, quarter=4)
    assert ministry.association_a in missing


def test_compliance_is_scoped_to_the_users_subtree(ministry) -> None:
    missing = list(selectors.training_compliance(ministry.regional_head, year=2026, quarter=4))
    assert ministry.association_a in missing
    assert ministry.association_b not in missing
    assert ministry.regional_b not in missing


def test_an_organisation_with_a_responsible_officer_is_checked_whatever_its_kind(
    ministry,
) -> None:
    from murojaat.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(
        user=ministry.md2_executor, role=Role.RESPONSIBLE, organisation=ministry.inspectorate
    )
    missing = selectors.training_compliance(ministry.wg_member, year=2026, quarter=4)
    assert ministry.inspectorate in missing


def test_quarter_bounds_cover_the_calendar_quarter() -> None:
    assert selectors.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert selectors.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
