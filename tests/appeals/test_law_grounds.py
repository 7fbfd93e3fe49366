"""The law's grounds checked by the services: anonymity (L-5), a repeat with nothing new (L-6)
and withdrawal with its materials returned within 3 days (L-7)."""

from __future__ import annotations

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import AppealState, EventKind
from murojaat.core.errors import DomainError
from tests.appeals.helpers import register
from tests.appeals.test_closure_and_source import _answered_and_sent
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


def test_an_appeal_with_name_and_address_is_not_left_as_anonymous_l_5(ministry: Ministry) -> None:
    signed = register()
    with pytest.raises(DomainError) as err:
        services.leave_without_consideration(
            actor=ministry.wg_member, appeal=signed, ground="L-5", anonymous=True
        )
    assert err.value.code == "not_anonymous"
    unsigned = register(author_name="", author_address="", author_phone="", text="Boshqa")
    services.leave_without_consideration(
        actor=ministry.wg_member, appeal=unsigned, ground="ZRU-445, 29-modda", anonymous=True
    )
    unsigned.refresh_from_db()
    assert unsigned.state == AppealState.LEFT_WITHOUT_CONSIDERATION
    assert unsigned.events.get(kind=EventKind.LEFT_WITHOUT_CONSIDERATION).data["anonymous"]


def test_a_repeat_is_terminated_only_after_the_author_s_earlier_appeal_was_answered_l_6(
    ministry: Ministry,
) -> None:
    m = ministry
    first = register()
    repeat = register(text="Yana oʻsha masala")
    assert repeat.repeat_of == first
    with pytest.raises(DomainError) as err:
        services.terminate_appeal(actor=m.wg_member, appeal=repeat, ground="repeated")
    assert err.value.code == "no_earlier_answer"
    _answered_and_sent(m, first)
    services.terminate_appeal(actor=m.wg_member, appeal=repeat, ground="repeated")
    repeat.refresh_from_db()
    assert repeat.state == AppealState.TERMINATED
    assert repeat.events.get(kind=EventKind.TERMINATED).data["earlier"] == first.number


def test_a_withdrawal_records_that_the_materials_go_back_within_three_days_l_7(
    ministry: Ministry,
) -> None:
    appeal = register()  # the clock: Wednesday 18 Nov 2026
    services.terminate_appeal(actor=ministry.wg_member, appeal=appeal, ground="withdrawn")
    event = appeal.events.get(kind=EventKind.TERMINATED)
    assert event.data["materials_return_due"] == "2026-11-23"  # Sat 21 Nov rolls to Monday
