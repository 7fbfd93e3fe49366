"""Deadline arithmetic (R-P2-11, L-3), tested without a database.

The calendar is the real `WorkCalendar` built from plain values: the `holidays` package's
Uzbekistan data (holidays, observed days, the government's transfers) plus overrides given
here, so these tests also pin the dates the ministry will actually see.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from murojaat.appeals.deadlines import (
    TASHKENT,
    DeadlineRule,
    Due,
    NoWorkingDayError,
    Receipt,
    SkippedDay,
    compute_due,
    end_of_day,
    extend_due,
    is_overdue,
    local_date,
    recompute,
    registration_day,
    working_days_left,
)
from murojaat.core.calendar import OverrideDay, WorkCalendar

THIRTEEN = DeadlineRule(13)  # R-P2-11: execution within 13 days
CALENDAR = WorkCalendar()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def days(*isos: str) -> list[date]:
    return [date.fromisoformat(iso) for iso in isos]


def skipped_days(due: Due) -> list[date]:
    return [s.day for s in due.skipped]


# --- calendar days (R-P2-11: 13 days; L-3: calendar days, next working day by default) -------


def test_thirteen_calendar_days_count_the_weekends_per_r_p2_11() -> None:
    due = compute_due(date(2025, 11, 4), THIRTEEN, CALENDAR)  # Tuesday
    assert due.raw == due.due == date(2025, 11, 17)  # Monday: two weekends inside, counted
    assert due.skipped == ()


def test_a_due_date_on_a_sunday_moves_to_monday_per_l_3() -> None:
    due = compute_due(date(2025, 11, 3), THIRTEEN, CALENDAR)
    assert due.raw == date(2025, 11, 16)
    assert due.due == date(2025, 11, 17)
    assert due.skipped == (SkippedDay(date(2025, 11, 16), "Sunday"),)


def test_a_due_date_on_independence_day_moves_to_the_next_working_day_per_l_3() -> None:
    due = compute_due(date(2025, 8, 19), THIRTEEN, CALENDAR)
    assert due.raw == date(2025, 9, 1)  # Monday, Independence Day 2025
    assert due.due == date(2025, 9, 2)
    assert due.skipped == (SkippedDay(date(2025, 9, 1), "Independence Day"),)


def test_navruz_on_a_friday_rolls_over_the_weekend_too_per_l_3() -> None:
    due = compute_due(date(2025, 3, 8), THIRTEEN, CALENDAR)
    assert due.raw == date(2025, 3, 21)
    assert due.due == date(2025, 3, 24)
    assert [(s.day, s.reason) for s in due.skipped] == [
        (date(2025, 3, 21), "Nowruz"),
        (date(2025, 3, 22), "Saturday"),
        (date(2025, 3, 23), "Sunday"),
    ]


def test_navruz_on_a_saturday_is_observed_on_monday_per_l_3() -> None:
    due = compute_due(date(2026, 3, 8), THIRTEEN, CALENDAR)
    assert due.raw == date(2026, 3, 21)
    assert due.due == date(2026, 3, 24)
    assert [s.reason for s in due.skipped] == ["Nowruz", "Sunday", "Nowruz (observed)"]


def test_a_transferred_working_saturday_can_be_a_due_date() -> None:
    # The government moved the working day of Sat 12 Dec 2026 to make Thu 31 Dec a day off.
    assert CALENDAR.is_day_off(date(2026, 12, 12)) is False
    assert CALENDAR.working_day_reason(date(2026, 12, 12)) == "Transferred working day"
    due = compute_due(date(2026, 11, 29), THIRTEEN, CALENDAR)
    assert due.due == due.raw == date(2026, 12, 12)


def test_the_transferred_day_off_keeps_the_package_name_as_the_reason() -> None:
    due = compute_due(date(2026, 12, 18), THIRTEEN, CALENDAR)
    assert due.raw == date(2026, 12, 31)
    assert due.due == date(2027, 1, 4)
    assert [s.reason for s in due.skipped] == [
        "Day off (substituted from 12/12/2026)",
        "New Year's Day",
        "Saturday",
        "Sunday",
    ]


def test_an_override_day_off_added_later_moves_the_due_date() -> None:
    start = date(2025, 11, 4)
    before = compute_due(start, THIRTEEN, CALENDAR)
    decreed = WorkCalendar(
        overrides=[OverrideDay(date(2025, 11, 17), "day_off", reason_en="Decreed day off")]
    )
    after = recompute(before, decreed)
    assert before.due == date(2025, 11, 17)
    assert after.due == date(2025, 11, 18)
    assert after.skipped == (SkippedDay(date(2025, 11, 17), "Decreed day off"),)


def test_an_override_working_day_makes_a_sunday_a_possible_due_date() -> None:
    calendar = WorkCalendar(overrides=[OverrideDay(date(2025, 11, 16), "working_day")])
    assert compute_due(date(2025, 11, 3), THIRTEEN, calendar).due == date(2025, 11, 16)


def test_without_roll_forward_the_due_date_stays_on_the_day_off_per_l_3() -> None:
    due = compute_due(date(2025, 11, 3), DeadlineRule(13, roll_forward=False), CALENDAR)
    assert due.due == due.raw == date(2025, 11, 16)
    assert due.skipped == ()


def test_a_six_day_week_keeps_saturday_as_a_working_day() -> None:
    six_days = WorkCalendar(weekly_days_off=(6,))
    assert compute_due(date(2025, 11, 2), THIRTEEN, six_days).due == date(2025, 11, 15)
    assert compute_due(date(2025, 11, 2), THIRTEEN, CALENDAR).due == date(2025, 11, 17)


def test_zero_days_is_the_same_day_or_the_next_working_day_per_r_p2_11() -> None:
    same_day = DeadlineRule(0)
    assert compute_due(date(2025, 11, 14), same_day, CALENDAR).due == date(2025, 11, 14)
    assert compute_due(date(2025, 11, 15), same_day, CALENDAR).due == date(2025, 11, 17)
    working_same_day = DeadlineRule(0, "working")
    assert compute_due(date(2025, 11, 15), working_same_day, CALENDAR).due == date(2025, 11, 17)
    stay = DeadlineRule(0, roll_forward=False)
    assert compute_due(date(2025, 11, 15), stay, CALENDAR).due == date(2025, 11, 15)


# --- working days --------------------------------------------------------------------------


def test_working_days_skip_weekends_and_holidays_and_not_the_start() -> None:
    due = compute_due(date(2025, 8, 29), DeadlineRule(5, "working"), CALENDAR)  # Friday
    assert due.due == date(2025, 9, 8)
    assert skipped_days(due) == days(
        "2025-08-30", "2025-08-31", "2025-09-01", "2025-09-06", "2025-09-07"
    )
    assert due.raw == date(2025, 9, 3)  # start + days, before any moving


def test_a_five_day_return_counted_in_working_days_per_r_p2_11() -> None:
    due = compute_due(date(2025, 11, 14), DeadlineRule(5, "working"), CALENDAR)
    assert due.due == date(2025, 11, 21)


# --- extensions (R-P2-11: up to 13 more days) ------------------------------------------------


def test_an_extension_counts_from_the_current_due_date_per_r_p2_11() -> None:
    due = compute_due(date(2026, 3, 8), THIRTEEN, CALENDAR)
    assert due.due == date(2026, 3, 24)  # rolled over Navruz
    extended = extend_due(due, 13, CALENDAR)
    assert extended.raw == date(2026, 4, 6)  # 13 days after Tuesday 24 March, not Saturday 21
    assert extended.due == date(2026, 4, 6)
    assert extended.start == due.start
    assert extended.rule == due.rule
    assert extended.base_due == date(2026, 3, 24)
    assert extended.extended_days == 13


def test_an_extension_landing_on_a_day_off_rolls_forward_too() -> None:
    due = compute_due(date(2025, 11, 4), THIRTEEN, CALENDAR)  # Mon 17 Nov
    extended = extend_due(due, 13, CALENDAR)  # Sun 30 Nov -> Mon 1 Dec
    assert extended.due == date(2025, 12, 1)
    assert extended.skipped == (SkippedDay(date(2025, 11, 30), "Sunday"),)


def test_recompute_replays_the_extensions_on_the_new_calendar() -> None:
    extended = extend_due(compute_due(date(2025, 11, 4), THIRTEEN, CALENDAR), 13, CALENDAR)
    decreed = WorkCalendar(overrides=[OverrideDay(date(2025, 11, 17), "day_off")])
    moved = recompute(extended, decreed)
    assert moved.base_due == date(2025, 11, 18)
    assert moved.due == date(2025, 12, 1)  # Mon 1 Dec: 13 days after Tue 18 Nov
    assert moved.extended_days == 13


def test_a_negative_extension_or_rule_is_refused() -> None:
    due = compute_due(date(2025, 11, 4), THIRTEEN, CALENDAR)
    with pytest.raises(ValueError):
        extend_due(due, -1, CALENDAR)
    with pytest.raises(ValueError):
        DeadlineRule(-1)
    with pytest.raises(ValueError):
        DeadlineRule(3, "fortnight")  # type: ignore[arg-type]


def test_a_calendar_without_working_days_raises_instead_of_looping() -> None:
    class AlwaysOff:
        def is_day_off(self, day: date) -> bool:
            return True

        def day_off_reason(self, day: date) -> str | None:
            return "Closed"

    with pytest.raises(NoWorkingDayError):
        compute_due(date(2025, 1, 1), THIRTEEN, AlwaysOff())
    with pytest.raises(NoWorkingDayError):
        compute_due(date(2025, 1, 1), DeadlineRule(1, "working"), AlwaysOff())


# --- working days left -----------------------------------------------------------------------


def test_working_days_left_counts_to_the_due_date_inclusive() -> None:
    assert working_days_left(date(2025, 11, 14), date(2025, 11, 17), CALENDAR) == 1
    assert working_days_left(date(2025, 11, 10), date(2025, 11, 17), CALENDAR) == 5


def test_working_days_left_is_zero_on_the_due_date() -> None:
    assert working_days_left(date(2025, 11, 17), date(2025, 11, 17), CALENDAR) == 0


def test_working_days_left_is_negative_when_overdue() -> None:
    assert working_days_left(date(2025, 11, 18), date(2025, 11, 14), CALENDAR) == -2
    # A weekend right after the due date is still overdue: never 0.
    assert working_days_left(date(2025, 11, 15), date(2025, 11, 14), CALENDAR) == -1


def test_working_days_left_skips_holidays() -> None:
    assert working_days_left(date(2025, 8, 29), date(2025, 9, 2), CALENDAR) == 1


# --- time zone -------------------------------------------------------------------------------


def test_the_clock_starts_on_the_tashkent_date() -> None:
    late_evening = datetime(2026, 3, 20, 20, 30, tzinfo=UTC)  # 01:30 on 21 March in Tashkent
    assert local_date(late_evening) == date(2026, 3, 21)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 20, 20, 30))


def test_a_due_date_lasts_until_the_end_of_the_tashkent_day() -> None:
    end = end_of_day(date(2025, 11, 17))
    assert end.astimezone(UTC) == datetime(2025, 11, 17, 18, 59, 59, 999999, tzinfo=UTC)
    assert not is_overdue(date(2025, 11, 17), datetime(2025, 11, 17, 18, 59, tzinfo=UTC))
    assert is_overdue(date(2025, 11, 17), datetime(2025, 11, 17, 19, 0, tzinfo=UTC))


# --- words -----------------------------------------------------------------------------------


def test_the_rule_describes_itself() -> None:
    assert THIRTEEN.describe() == (
        "13 calendar days, moved to the next working day if it falls on a day off"
    )
    assert DeadlineRule(1, "working").describe() == "1 working day"
    assert DeadlineRule(0, roll_forward=False).describe() == "the same day"


def test_the_explanation_names_the_days_off_skipped_and_why_per_l_3() -> None:
    text = compute_due(date(2025, 3, 8), THIRTEEN, CALENDAR).explain()
    assert text == (
        "The deadline started on 8 Mar 2025. "
        "Rule: 13 calendar days, moved to the next working day if it falls on a day off. "
        "13 calendar days after 8 Mar 2025 is 21 Mar 2025. "
        "It falls on days off, so it moved past: 21 Mar 2025 (Nowruz); "
        "22 Mar 2025 (Saturday); 23 Mar 2025 (Sunday). "
        "Due date: 24 Mar 2025, until the end of the day (Tashkent time)."
    )


def test_the_explanation_of_working_days_and_an_extension() -> None:
    due = compute_due(date(2025, 8, 29), DeadlineRule(5, "working"), CALENDAR)
    text = extend_due(due, 2, CALENDAR).explain()
    assert "5 working days are counted after 29 Aug 2025." in text
    assert "1 Sep 2025 (Independence Day)" in text
    assert "Extended by 2 days from the due date 8 Sep 2025." in text
    assert text.endswith("Due date: 10 Sep 2025, until the end of the day (Tashkent time).")


def test_the_explanation_follows_the_interface_language() -> None:
    with translation.override("uz"):
        text = compute_due(date(2025, 8, 19), THIRTEEN, CALENDAR).explain()
    assert "Mustaqillik kuni" in text


# --- L-2: the registration day (the next working day if received after hours) ---------------

SIX_PM = time(18, 0)


def registered(*moment: int, calendar: WorkCalendar = CALENDAR) -> Receipt:
    return registration_day(
        datetime(*moment, tzinfo=TASHKENT), working_day_ends=SIX_PM, calendar=calendar
    )


def test_received_a_minute_before_the_end_of_the_working_day_counts_that_day_per_l_2() -> None:
    receipt = registered(2026, 11, 16, 17, 59)  # Monday
    assert receipt.day == date(2026, 11, 16)
    assert not receipt.moved
    assert receipt.explain() == ""


def test_received_at_or_after_the_end_of_the_working_day_counts_the_next_day_per_l_2() -> None:
    for minute in (0, 1):
        receipt = registered(2026, 11, 16, 18, minute)
        assert (receipt.day, receipt.after_hours) == (date(2026, 11, 17), True)
    assert registered(2026, 11, 16, 23, 59).day == date(2026, 11, 17)


def test_received_before_the_working_day_starts_counts_that_day_per_l_2() -> None:
    assert registered(2026, 11, 16, 0, 5).day == date(2026, 11, 16)


def test_the_end_of_the_working_day_is_tashkent_time_whatever_the_zone_given() -> None:
    in_hours = datetime(2026, 11, 16, 12, 59, tzinfo=UTC)  # 17:59 in Tashkent
    after = datetime(2026, 11, 16, 13, 1, tzinfo=UTC)  # 18:01 in Tashkent
    assert registration_day(in_hours, working_day_ends=SIX_PM, calendar=CALENDAR).day == date(
        2026, 11, 16
    )
    assert registration_day(after, working_day_ends=SIX_PM, calendar=CALENDAR).day == date(
        2026, 11, 17
    )


def test_friday_evening_counts_from_monday_per_l_2() -> None:
    assert registered(2026, 11, 20, 18, 1).day == date(2026, 11, 23)


@pytest.mark.parametrize(("day", "reason"), [(21, "Saturday"), (22, "Sunday")])
def test_received_at_the_weekend_counts_from_monday_per_l_2(day: int, reason: str) -> None:
    receipt = registered(2026, 11, day, 10, 0)
    assert receipt.day == date(2026, 11, 23)
    assert (receipt.after_hours, receipt.day_off_reason) == (False, reason)


def test_received_on_a_public_holiday_counts_from_the_next_working_day_per_l_2() -> None:
    # Independence Day 2026 is Tuesday 1 September.
    receipt = registered(2026, 9, 1, 10, 0)
    assert (receipt.day, receipt.day_off_reason) == (date(2026, 9, 2), "Independence Day")
    # Friday evening before: the weekend, the decreed 31 August and the holiday are passed.
    assert registered(2026, 8, 28, 19, 0).day == date(2026, 9, 2)


def test_received_on_a_transferred_day_off_of_the_overrides_table_counts_after_it() -> None:
    calendar = WorkCalendar(
        overrides=[OverrideDay(date(2026, 11, 18), "day_off", reason_en="Extra day off")]
    )
    receipt = registered(2026, 11, 18, 10, 0, calendar=calendar)  # Wednesday, made off
    assert (receipt.day, receipt.day_off_reason) == (date(2026, 11, 19), "Extra day off")
    assert registered(2026, 11, 17, 18, 30, calendar=calendar).day == date(2026, 11, 19)


def test_received_on_a_saturday_made_working_counts_from_that_saturday() -> None:
    calendar = WorkCalendar(overrides=[OverrideDay(date(2026, 11, 21), "working_day")])
    assert registered(2026, 11, 21, 10, 0, calendar=calendar).day == date(2026, 11, 21)
    assert registered(2026, 11, 20, 19, 0, calendar=calendar).day == date(2026, 11, 21)
    # The government's own transfer in the package: Saturday 12 December 2026 is working.
    assert registered(2026, 12, 11, 19, 0).day == date(2026, 12, 12)


def test_the_explanation_says_the_appeal_came_after_hours_and_when_the_clock_started() -> None:
    receipt = registered(2026, 11, 20, 18, 1)
    text = compute_due(receipt.day, THIRTEEN, CALENDAR, receipt=receipt).explain()
    assert text.startswith(
        "Received after working hours on 20 Nov 2026 at 18:01; counted from the next working "
        "day, 23 Nov 2026. The deadline started on 23 Nov 2026."
    )
    assert text.endswith("Due date: 7 Dec 2026, until the end of the day (Tashkent time).")


def test_the_explanation_names_the_day_off_the_appeal_came_on() -> None:
    receipt = registered(2026, 11, 22, 11, 30)
    text = compute_due(receipt.day, THIRTEEN, CALENDAR, receipt=receipt).explain()
    assert text.startswith(
        "Received on a day off (Sunday), 22 Nov 2026 at 11:30; counted from the next working "
        "day, 23 Nov 2026."
    )


def test_a_receipt_within_hours_adds_nothing_to_the_explanation() -> None:
    receipt = registered(2026, 11, 16, 17, 59)
    with_receipt = compute_due(receipt.day, THIRTEEN, CALENDAR, receipt=receipt).explain()
    assert with_receipt == compute_due(receipt.day, THIRTEEN, CALENDAR).explain()


def test_an_extended_or_recomputed_deadline_still_explains_its_late_start() -> None:
    receipt = registered(2026, 11, 16, 19, 0)
    due = extend_due(compute_due(receipt.day, THIRTEEN, CALENDAR, receipt=receipt), 5, CALENDAR)
    assert recompute(due, CALENDAR).receipt == receipt
    assert due.explain().startswith("Received after working hours on 16 Nov 2026 at 19:00")


# --- properties ------------------------------------------------------------------------------

starts = st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31))
overrides = st.lists(
    st.builds(
        OverrideDay,
        day=st.dates(min_value=date(2018, 1, 1), max_value=date(2028, 3, 31)),
        kind=st.sampled_from(["day_off", "working_day"]),
    ),
    max_size=20,
)
calendars = st.builds(
    WorkCalendar,
    weekly_days_off=st.sampled_from([(5, 6), (6,), (4, 5)]),
    overrides=overrides,
)
rules = st.builds(
    DeadlineRule,
    days=st.integers(min_value=0, max_value=60),
    unit=st.sampled_from(["calendar", "working"]),
    roll_forward=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(start=starts, days_=st.integers(min_value=0, max_value=60), calendar=calendars)
def test_a_calendar_rule_never_ends_before_its_raw_date_or_its_start(
    start: date, days_: int, calendar: WorkCalendar
) -> None:
    due = compute_due(start, DeadlineRule(days_), calendar)
    assert due.due >= due.raw >= due.start == start
    assert due.raw == start + timedelta(days=days_)
    assert (due.due - due.raw).days == len(due.skipped)


@settings(max_examples=200, deadline=None)
@given(start=starts, rule=rules, calendar=calendars)
def test_a_due_date_is_never_a_day_off_when_rolling_forward(
    start: date, rule: DeadlineRule, calendar: WorkCalendar
) -> None:
    due = compute_due(start, rule, calendar)
    if rule.roll_forward or (rule.unit == "working" and rule.days > 0):
        assert not calendar.is_day_off(due.due)
    assert all(calendar.is_day_off(s.day) for s in due.skipped)
    assert due.due >= due.raw >= start


@settings(max_examples=200, deadline=None)
@given(
    start=starts,
    rule=rules,
    calendar=calendars,
    extra=st.integers(min_value=0, max_value=13),
    more=st.integers(min_value=0, max_value=13),
)
def test_an_extension_never_moves_the_due_date_earlier(
    start: date, rule: DeadlineRule, calendar: WorkCalendar, extra: int, more: int
) -> None:
    due = compute_due(start, rule, calendar)
    shorter = extend_due(due, extra, calendar)
    longer = extend_due(due, extra + more, calendar)
    assert due.due <= shorter.due <= longer.due
    assert recompute(longer, calendar) == longer


@settings(max_examples=200, deadline=None)
@given(today=starts, due=starts, calendar=calendars)
def test_working_days_left_is_negative_exactly_when_overdue(
    today: date, due: date, calendar: WorkCalendar
) -> None:
    left = working_days_left(today, due, calendar)
    assert (left < 0) == (today > due)
    if today == due:
        assert left == 0
