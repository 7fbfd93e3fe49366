"""Booking a leader's reception (issue 13; R-ORG-2 personal, R-ORG-3 field receptions).

Dates are chosen so a wrong rule gives a different answer: 12 December 2026 is a Saturday the
government made a working day (its day off moved to Thursday 31 December), 8 December is
Constitution Day, and 13 December an ordinary Sunday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from murojaat.core.calendar import WorkCalendar
from murojaat.core.errors import DomainError
from murojaat.notifications.models import Kind, Notification
from murojaat.receptions import booking
from murojaat.receptions.models import (
    Booking,
    BookingStatus,
    LeaderAbsence,
    LeaderSchedule,
    ReceptionSession,
)
from murojaat.receptions.slots import TASHKENT, Hours, day_slots, receiving_days
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

MORNING = Hours(time(8), time(11), 15)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TASHKENT)


NOW = at(date(2026, 12, 7), 12)  # Monday 7 December 2026, after that day's reception


def code_sent_to(phone: str) -> str:
    row = Notification.objects.filter(kind=Kind.BOOKING_CODE, address=phone).latest("pk")
    return row.secret


def hold(m: Ministry, slot: datetime, phone: str = "+998901234567", **kw) -> booking.Held:
    return booking.hold(
        leader=kw.pop("leader", m.regional_head),
        slot=slot,
        name=kw.pop("name", "Karimova Dilnoza"),
        phone=phone,
        topic=kw.pop("topic", "Poliklinikada navbat uch kun."),
        language="uz",
        now=kw.pop("now", NOW),
        **kw,
    )


# --- slot arithmetic (pure) -----------------------------------------------------------------


def test_a_day_is_cut_into_whole_slots_and_a_short_remainder_is_dropped() -> None:
    """R-ORG-2: 08:00-11:00 is 12 slots of 15 minutes; with 25 minutes, 7 (the 8th would end
    at 11:20, after the reception)."""
    day = date(2026, 12, 9)
    assert len(day_slots(day, MORNING)) == 12
    assert day_slots(day, MORNING)[-1] == at(day, 10, 45)
    long = day_slots(day, Hours(time(8), time(11), 25))
    assert len(long) == 7 and long[-1] == at(day, 10, 30)


def test_receiving_days_follow_holidays_transfers_and_absences() -> None:
    """R-ORG-2 "every working day": the transferred Saturday 12.12.2026 receives, Thursday
    31.12.2026 (its day off) and Constitution Day 08.12 do not; an absence removes its days."""
    cal = WorkCalendar()
    days = list(
        receiving_days(
            cal, date(2026, 12, 7), date(2026, 12, 31), [(date(2026, 12, 15), date(2026, 12, 16))]
        )
    )
    assert date(2026, 12, 12) in days  # Saturday made a working day
    assert date(2026, 12, 13) not in days  # Sunday
    assert date(2026, 12, 8) not in days  # Constitution Day
    assert date(2026, 12, 31) not in days  # the transferred day off
    assert date(2026, 12, 30) in days
    assert date(2026, 12, 15) not in days and date(2026, 12, 16) not in days  # absent
    assert date(2026, 12, 14) in days and date(2026, 12, 17) in days


def test_the_leader_s_open_days_use_the_schedule_and_the_absences(ministry: Ministry) -> None:
    head = ministry.regional_head
    LeaderSchedule.objects.create(leader=head, starts_at=time(9), ends_at=time(10), slot_minutes=20)
    LeaderAbsence.objects.create(
        leader=head, starts_on=date(2026, 12, 9), ends_on=date(2026, 12, 9)
    )
    days = {d.day: d for d in booking.personal_days(head, now=NOW, days=7)}
    assert sorted(days) == [date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 12)]
    assert [s for s, _ in days[date(2026, 12, 12)].slots] == [
        at(date(2026, 12, 12), 9),
        at(date(2026, 12, 12), 9, 20),
        at(date(2026, 12, 12), 9, 40),
    ]


def test_today_offers_only_the_slots_still_ahead(ministry: Ministry) -> None:
    now = at(date(2026, 12, 9), 9, 50)
    (first, *_rest) = booking.personal_days(ministry.regional_head, now=now, days=1)
    assert first.slots[0][0] == at(date(2026, 12, 9), 10)


# --- the citizen's steps --------------------------------------------------------------------


def test_a_held_slot_is_confirmed_by_the_code_sent_by_sms(ministry: Ministry) -> None:
    slot = at(date(2026, 12, 10), 8, 15)
    held = hold(ministry, slot, phone="90 123 45 67")
    assert held.booking.status == BookingStatus.PENDING
    assert held.booking.phone == "+998901234567"
    code = code_sent_to("+998901234567")
    assert (
        booking.confirm(held.booking.pk, "000000" if code != "000000" else "111111", now=NOW)
        is None
    )
    confirmed = booking.confirm(held.booking.pk, code, reference=held.reference, now=NOW)
    assert confirmed is not None and confirmed.status == BookingStatus.CONFIRMED
    sms = Notification.objects.filter(kind=Kind.BOOKING, address="+998901234567").latest("pk")
    assert "10.12.2026 08:15" in sms.body and held.reference in sms.body
    assert booking.by_reference(held.reference.lower()).pk == held.booking.pk


def test_a_code_expires_and_allows_five_tries(ministry: Ministry) -> None:
    held = hold(ministry, at(date(2026, 12, 10), 8))
    code = code_sent_to("+998901234567")
    assert booking.confirm(held.booking.pk, code, now=NOW + timedelta(minutes=11)) is None
    again = hold(
        ministry, at(date(2026, 12, 10), 8), phone="+998907654321", now=NOW + timedelta(minutes=11)
    )
    code = code_sent_to("+998907654321")
    for _ in range(5):
        assert (
            booking.confirm(
                again.booking.pk,
                "999999" if code != "999999" else "888888",
                now=NOW + timedelta(minutes=12),
            )
            is None
        )
    assert booking.confirm(again.booking.pk, code, now=NOW + timedelta(minutes=12)) is None


def test_a_taken_slot_is_refused_and_the_next_free_ones_offered(ministry: Ministry) -> None:
    slot = at(date(2026, 12, 10), 8)
    hold(ministry, slot)
    with pytest.raises(booking.SlotTaken) as err:
        hold(ministry, slot, phone="+998907654321", name="Qodirov Sanjar")
    assert err.value.alternatives == [
        at(date(2026, 12, 10), 8, 15),
        at(date(2026, 12, 10), 8, 30),
        at(date(2026, 12, 10), 8, 45),
    ]
    assert "Someone has just booked this time" in str(err.value)


def test_a_lapsed_hold_frees_its_slot(ministry: Ministry) -> None:
    slot = at(date(2026, 12, 10), 8)
    first = hold(ministry, slot)
    later = NOW + booking.CODE_LIFETIME + timedelta(seconds=1)
    second = hold(ministry, slot, phone="+998907654321", now=later)
    first.booking.refresh_from_db()
    assert first.booking.status == BookingStatus.EXPIRED
    assert second.booking.status == BookingStatus.PENDING


def test_days_off_and_closed_times_cannot_be_booked(ministry: Ministry) -> None:
    for slot in (
        at(date(2026, 12, 13), 8),
        at(date(2026, 12, 10), 11),
        at(date(2026, 12, 10), 8, 5),
    ):
        with pytest.raises(DomainError) as err:
            hold(ministry, slot)
        assert err.value.code == "slot_closed"


def test_limits_per_phone_one_a_day_with_a_leader_and_three_a_week(ministry: Ministry) -> None:
    m = ministry
    hold(m, at(date(2026, 12, 9), 8))
    with pytest.raises(DomainError) as err:
        hold(m, at(date(2026, 12, 9), 9))
    assert err.value.code == "limit_day"
    hold(m, at(date(2026, 12, 9), 8), leader=m.association_head)
    hold(m, at(date(2026, 12, 10), 8))
    with pytest.raises(DomainError) as err:
        hold(m, at(date(2026, 12, 11), 8))
    assert err.value.code == "limit_week"
    # The next week starts afresh (Saturday 12.12 is in the same week, Monday 14.12 is not).
    with pytest.raises(DomainError):
        hold(m, at(date(2026, 12, 12), 8))
    hold(m, at(date(2026, 12, 14), 8))


def test_a_bad_phone_number_gets_a_clear_error(ministry: Ministry) -> None:
    with pytest.raises(DomainError) as err:
        hold(ministry, at(date(2026, 12, 10), 8), phone="12345")
    assert err.value.field == "phone"
    assert "mobile phone number" in str(err.value)


def test_only_heads_with_an_open_schedule_can_be_booked(ministry: Ministry) -> None:
    with pytest.raises(DomainError):
        hold(ministry, at(date(2026, 12, 10), 8), leader=ministry.regional_executor)
    LeaderSchedule.objects.create(leader=ministry.regional_head, bookable=False)
    with pytest.raises(DomainError):
        hold(ministry, at(date(2026, 12, 10), 8))


def _confirmed(m: Ministry, slot: datetime, phone: str = "+998901234567", **kw) -> Booking:
    held = hold(m, slot, phone=phone, **kw)
    result = booking.confirm(
        held.booking.pk, code_sent_to(phone), reference=held.reference, now=NOW
    )
    assert result is not None
    return result


def test_a_confirmed_booking_can_be_moved_and_cancelled(ministry: Ministry) -> None:
    mine = _confirmed(ministry, at(date(2026, 12, 10), 8))
    _confirmed(ministry, at(date(2026, 12, 10), 9), phone="+998907654321")
    with pytest.raises(booking.SlotTaken):
        booking.move(mine, at(date(2026, 12, 10), 9), now=NOW)
    moved = booking.move(mine, at(date(2026, 12, 12), 10), now=NOW)
    assert moved.starts_at == at(date(2026, 12, 12), 10) and moved.version == 2
    # The old time is free again for someone else.
    hold(ministry, at(date(2026, 12, 10), 8), phone="+998935550011")
    cancelled = booking.cancel(moved, now=NOW)
    assert cancelled.status == BookingStatus.CANCELLED
    assert Notification.objects.filter(kind=Kind.BOOKING, address="+998901234567").count() == 3
    with pytest.raises(DomainError):
        booking.move(cancelled, at(date(2026, 12, 14), 10), now=NOW)


def test_a_field_reception_is_booked_in_its_own_hours(ministry: Ministry) -> None:
    """R-ORG-3: the slots are the announced session's, at its place."""
    session = ReceptionSession.objects.create(
        organisation=ministry.regional_a,
        leader=ministry.regional_head,
        kind="field",
        date=date(2026, 12, 12),
        starts_at=time(14),
        ends_at=time(15),
        place="Parkent tuman tibbiyot birlashmasi",
    )
    (day,) = booking.field_days(session, now=NOW)
    assert [s for s, _ in day.slots][0] == at(date(2026, 12, 12), 14) and len(day.slots) == 4
    mine = _confirmed(ministry, at(date(2026, 12, 12), 14, 30), session=session)
    assert booking.place_of(mine) == "Parkent tuman tibbiyot birlashmasi"
    with pytest.raises(DomainError):
        hold(ministry, at(date(2026, 12, 12), 8), phone="+998907654321", session=session)


# --- the leader's office ----------------------------------------------------------------------


def test_the_office_records_the_visit_and_registers_an_oral_appeal(ministry: Ministry) -> None:
    from murojaat.appeals.models import Channel
    from murojaat.receptions import services

    mine = _confirmed(ministry, at(date(2026, 12, 10), 8))
    with pytest.raises(DomainError):
        booking.record_came(actor=ministry.association_head, booking=mine)
    came = booking.record_came(actor=ministry.regional_head, booking=mine, outcome="Tushuntirildi")
    assert came.status == BookingStatus.CAME and came.visit is not None
    session = came.visit.session
    assert (session.kind, session.date, session.leader) == (
        "personal",
        date(2026, 12, 10),
        ministry.regional_head,
    )
    visit = services.visit_register_appeal(actor=ministry.regional_head, visit=came.visit)
    assert visit.appeal.channel == Channel.PERSONAL_RECEPTION
    assert visit.appeal.author_phone == "+998901234567"
    # The second booking of the day joins the same session.
    other = _confirmed(ministry, at(date(2026, 12, 10), 8, 15), phone="+998907654321")
    assert booking.record_came(actor=ministry.wg_member, booking=other).visit.session == session
    missed = _confirmed(ministry, at(date(2026, 12, 10), 8, 30), phone="+998935550011")
    assert (
        booking.record_missed(actor=ministry.regional_head, booking=missed).status
        == BookingStatus.MISSED
    )


def test_no_personal_slots_while_the_leader_is_away_at_a_field_reception(
    ministry: Ministry,
) -> None:
    """R-ORG-3 beside R-ORG-2: a field reception from 09:30 to 10:30 takes those personal slots
    of that day away (and only those)."""
    ReceptionSession.objects.create(
        organisation=ministry.regional_a,
        leader=ministry.regional_head,
        kind="field",
        date=date(2026, 12, 10),
        starts_at=time(9, 30),
        ends_at=time(10, 30),
        place="Parkent",
    )
    days = {d.day: d for d in booking.personal_days(ministry.regional_head, now=NOW, days=4)}
    times = [s.time() for s, _ in days[date(2026, 12, 10)].slots]
    assert times == [
        time(8),
        time(8, 15),
        time(8, 30),
        time(8, 45),
        time(9),
        time(9, 15),
        time(10, 30),
        time(10, 45),
    ]
    assert len(days[date(2026, 12, 9)].slots) == 12


def test_an_absence_cancels_the_bookings_of_its_days_and_tells_each_citizen(
    ministry: Ministry,
) -> None:
    """A leader away on 10-11 December: the citizens booked on those days are told by SMS in
    their own language and their slots are gone; the 9th and the 14th keep theirs."""
    before = _confirmed(ministry, at(date(2026, 12, 9), 8), phone="+998901110001")
    first = _confirmed(ministry, at(date(2026, 12, 10), 8), phone="+998901110002")
    second = _confirmed(ministry, at(date(2026, 12, 11), 10), phone="+998901110003")
    waiting = hold(ministry, at(date(2026, 12, 11), 9), phone="+998901110004").booking
    after = _confirmed(ministry, at(date(2026, 12, 14), 8), phone="+998901110005")
    Booking.objects.filter(pk=second.pk).update(language="ru")
    absence = booking.absence_add(
        actor=ministry.regional_head,
        leader=ministry.regional_head,
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 11),
        reason="Xizmat safari",
        now=NOW,
    )
    assert absence.cancelled_bookings == 2
    status = dict(Booking.objects.values_list("pk", "status"))
    assert status[first.pk] == status[second.pk] == status[waiting.pk] == BookingStatus.CANCELLED
    assert status[before.pk] == status[after.pk] == BookingStatus.CONFIRMED
    told = Notification.objects.filter(kind=Kind.BOOKING, address="+998901110003").latest("pk")
    assert "отмен" in told.body.lower()
    assert not Notification.objects.filter(
        kind=Kind.BOOKING, address="+998901110004"
    ).exists()  # never confirmed: never promised
    # Adding the same absence again tells nobody twice.
    again = booking.absence_add(
        actor=ministry.regional_head,
        leader=ministry.regional_head,
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 11),
        now=NOW,
    )
    assert again.cancelled_bookings == 0
