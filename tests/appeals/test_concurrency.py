"""Two people acting on the same assignment at once: one result, one clear message (issue 3).

Runs on PostgreSQL, where row locks are real (SQLite serialises whole transactions anyway).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Assignment, AssignmentState, Event, EventKind
from murojaat.core.errors import DomainError
from tests.appeals.helpers import register
from tests.factories import Ministry, make_user
from tests.races import race as _race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="row locks are tested on PostgreSQL"),
]


def test_accept_and_return_at_once_give_one_result_and_one_clear_message(
    ministry: Ministry,
) -> None:
    appeal = register()
    (top,) = services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
    )
    colleague = make_user("rdexec2", ministry.regional_a, "executor")
    version = top.version
    results = _race(
        lambda: services.accept_assignment(
            actor=ministry.regional_executor,
            assignment=Assignment.objects.get(pk=top.pk),
            expected_version=version,
        ),
        lambda: services.return_assignment(
            actor=colleague,
            assignment=Assignment.objects.get(pk=top.pk),
            reason="Bizniki emas",
            expected_version=version,
        ),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], DomainError)
    assert "changed by someone else" in str(errors[0])
    top.refresh_from_db()
    assert top.state in (AssignmentState.ACCEPTED, AssignmentState.RETURNED)
    assert top.version == version + 1


def test_the_same_source_id_pushed_twice_at_once_registers_one_appeal(ministry: Ministry) -> None:
    results = _race(*[lambda: register(external_id="VR-RACE-1") for _ in range(4)])
    assert all(isinstance(r, Appeal) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Appeal.objects.filter(external_id="VR-RACE-1").count() == 1
    assert (
        Event.objects.filter(kind=EventKind.REGISTERED, appeal__external_id="VR-RACE-1").count()
        == 1
    )


def test_numbers_allocated_concurrently_have_no_gaps_or_duplicates(ministry: Ministry) -> None:
    results = _race(*[lambda: register(channel="hotline") for _ in range(6)])
    numbers = sorted(r.number for r in results)
    assert numbers == [f"IT-2026-{i:06d}" for i in range(1, 7)]
