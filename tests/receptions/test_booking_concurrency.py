"""Two citizens booking the same slot at the same moment (issue 13, R-ORG-2): the database's
unique constraint lets exactly one win; the other is told so and offered the next free slots.

Runs on PostgreSQL with real concurrent transactions (SQLite serialises whole transactions)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.conf import settings

from murojaat.receptions import booking
from murojaat.receptions.models import Booking, BookingStatus
from murojaat.receptions.slots import TASHKENT
from tests.factories import Ministry
from tests.races import race as _race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="real concurrent transactions"),
]

NOW = datetime(2026, 12, 7, 12, tzinfo=TASHKENT)
SLOT = datetime.combine(date(2026, 12, 10), time(9), tzinfo=TASHKENT)


def _hold(m: Ministry, phone: str):
    return lambda: booking.hold(
        leader=m.regional_head,
        slot=SLOT,
        name=f"Citizen {phone[-2:]}",
        phone=phone,
        topic="Bir xil vaqtga yozilish",
        language="uz",
        now=NOW,
    )


def test_of_citizens_racing_for_one_slot_one_wins_and_the_rest_get_the_next_free_slots(
    ministry: Ministry,
) -> None:
    phones = [f"+9989012345{i:02d}" for i in range(4)]
    results = _race(*[_hold(ministry, p) for p in phones])
    winners = [r for r in results if isinstance(r, booking.Held)]
    losers = [r for r in results if isinstance(r, booking.SlotTaken)]
    assert len(winners) == 1 and len(losers) == 3, results
    for lost in losers:
        assert "Someone has just booked this time" in str(lost)
        assert lost.alternatives[0] == datetime.combine(
            date(2026, 12, 10), time(9, 15), tzinfo=TASHKENT
        )
    assert Booking.objects.exclude(status=BookingStatus.EXPIRED).filter(starts_at=SLOT).count() == 1


def test_moving_two_bookings_into_one_free_slot_at_once_moves_only_one(ministry: Ministry) -> None:
    m = ministry
    mine = []
    for hour, phone in ((8, "+998901111111"), (10, "+998902222222")):
        held = booking.hold(
            leader=m.regional_head,
            slot=datetime.combine(date(2026, 12, 10), time(hour), tzinfo=TASHKENT),
            name="A",
            phone=phone,
            topic="Savol bor",
            language="uz",
            now=NOW,
        )
        from murojaat.notifications.models import Notification

        code = Notification.objects.filter(address=phone).latest("pk").secret
        mine.append(booking.confirm(held.booking.pk, code, now=NOW))
    results = _race(*[lambda b=b: booking.move(b, SLOT, now=NOW) for b in mine])
    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert sum(isinstance(r, booking.SlotTaken) for r in results) == 1, results
    assert Booking.objects.filter(starts_at=SLOT).count() == 1


def test_one_phone_holding_several_slots_at_once_stays_within_the_weekly_limit(
    ministry: Ministry,
) -> None:
    """The limits per phone are checked under a per-phone lock: four holds sent at the same
    moment for four receiving days of one week (Wednesday to the transferred Saturday 12.12,
    two leaders) give PER_WEEK bookings, not four."""
    m = ministry
    calls = []
    for n, day in enumerate((9, 10, 11, 12)):
        leader = m.regional_head if n % 2 else m.association_head
        slot = datetime.combine(date(2026, 12, day), time(8), tzinfo=TASHKENT)
        calls.append(
            lambda leader=leader, slot=slot: booking.hold(
                leader=leader,
                slot=slot,
                name="A",
                phone="+998905550000",
                topic="Bir nechta kun",
                language="uz",
                now=NOW,
            )
        )
    results = _race(*calls)
    held = [r for r in results if isinstance(r, booking.Held)]
    assert len(held) == booking.PER_WEEK, results
    assert Booking.objects.filter(phone="+998905550000").count() == booking.PER_WEEK
