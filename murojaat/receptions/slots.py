"""Slot arithmetic for reception bookings (R-ORG-2, R-ORG-3): pure functions over plain values.

A leader receives on the working calendar's working days (a holiday or a transferred day off
has no slots; a Saturday the government made a working day has them), except the days of their
absences. A day's hours are cut into equal slots; a last piece shorter than a slot is dropped,
so a citizen is never promised a time past the end of the reception.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from murojaat.appeals.deadlines import Calendar

TASHKENT = ZoneInfo("Asia/Tashkent")


@dataclass(frozen=True)
class Hours:
    starts_at: time
    ends_at: time
    minutes: int


def day_slots(day: date, hours: Hours) -> list[datetime]:
    """The starts of the slots of one day, as aware Tashkent times."""
    start = datetime.combine(day, hours.starts_at, tzinfo=TASHKENT)
    end = datetime.combine(day, hours.ends_at, tzinfo=TASHKENT)
    step = timedelta(minutes=hours.minutes)
    slots = []
    while start + step <= end:
        slots.append(start)
        start += step
    return slots


def is_absent(day: date, absences: Iterable[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in absences)


def receiving_days(
    calendar: Calendar, first: date, last: date, absences: Iterable[tuple[date, date]] = ()
) -> Iterator[date]:
    """The days from `first` to `last` (inclusive) on which the leader receives citizens."""
    absences = list(absences)
    day = first
    while day <= last:
        if not calendar.is_day_off(day) and not is_absent(day, absences):
            yield day
        day += timedelta(days=1)
