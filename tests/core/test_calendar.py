"""The working calendar from the database: overrides, the shared version and the process cache.

Spec issue 3: a day off added later moves the deadlines still running, so every save or
delete of an override must change `calendar_version()` and the calendar `get_calendar()` gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import IntegrityError
from django.utils import translation

from murojaat.appeals.deadlines import DeadlineRule, compute_due, recompute
from murojaat.core.calendar import (
    VERSION_KEY,
    OverrideDay,
    WorkCalendar,
    bump_calendar_version,
    calendar_version,
    clear_process_cache,
    get_calendar,
    load_calendar,
)
from murojaat.core.models import CalendarOverride

TUESDAY = date(2025, 11, 18)
SATURDAY = date(2025, 11, 15)


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    cache.delete(VERSION_KEY)
    clear_process_cache()
    yield
    cache.delete(VERSION_KEY)
    clear_process_cache()


def add_override(day: date, kind: str, **reasons: str) -> CalendarOverride:
    return CalendarOverride.objects.create(day=day, kind=kind, **reasons)


# --- the pure calendar ---------------------------------------------------------------------


def test_weekends_holidays_and_ordinary_days() -> None:
    calendar = WorkCalendar()
    assert calendar.is_day_off(SATURDAY)
    assert calendar.is_day_off(date(2025, 9, 1))  # Independence Day
    assert not calendar.is_day_off(TUESDAY)
    assert calendar.day_off_reason(TUESDAY) is None
    assert calendar.working_day_reason(TUESDAY) is None


def test_holiday_reasons_follow_the_interface_language() -> None:
    calendar = WorkCalendar()
    navruz, moved = date(2025, 3, 21), date(2026, 12, 31)
    with translation.override("en"):
        assert calendar.day_off_reason(navruz) == "Nowruz"
        assert calendar.day_off_reason(date(2025, 11, 16)) == "Sunday"
    with translation.override("uz"):
        assert calendar.day_off_reason(navruz) == "Navroʻz bayrami"
        assert calendar.day_off_reason(moved) == "Dam olish kuni (12/12 2026 dan koʻchirilgan)"
    with translation.override("ru"):
        assert calendar.day_off_reason(navruz) == "Навруз"
        assert calendar.day_off_reason(moved) == "Выходной день (перенесён с 12.12.2026)"
        assert calendar.day_off_reason(date(2026, 3, 23)) == "Навруз (перенесён)"
    with translation.override("uz-cyrl"):
        assert calendar.day_off_reason(navruz) == "Наврўз байрами"
        assert calendar.day_off_reason(date(2025, 11, 16)) == "Якшанба"


def test_the_governments_transfers_from_the_holidays_package_are_honoured() -> None:
    calendar = WorkCalendar()
    # 2024: Sat 13 April worked so that Fri 12 April (after Eid al-Fitr) was off.
    assert not calendar.is_day_off(date(2024, 4, 13))
    assert calendar.is_day_off(date(2024, 4, 12))
    with translation.override("en"):
        assert calendar.day_off_reason(date(2024, 4, 12)) == (
            "Day off (substituted from 04/13/2024)"
        )


def test_a_six_day_week_has_only_sunday_off() -> None:
    calendar = WorkCalendar(weekly_days_off=(6,))
    assert not calendar.is_day_off(SATURDAY)
    assert calendar.is_day_off(date(2025, 11, 16))


def test_an_override_wins_over_holidays_and_weekends() -> None:
    calendar = WorkCalendar(
        overrides=[
            OverrideDay(date(2025, 9, 1), "working_day"),
            OverrideDay(TUESDAY, "day_off", reason_uz="Qoʻshimcha dam olish kuni"),
        ]
    )
    assert not calendar.is_day_off(date(2025, 9, 1))
    assert calendar.is_day_off(TUESDAY)
    with translation.override("en"):
        # No English reason given: fall back to another language's.
        assert calendar.day_off_reason(TUESDAY) == "Qoʻshimcha dam olish kuni"
    with translation.override("uz-cyrl"):
        assert calendar.day_off_reason(TUESDAY) == "Қўшимча дам олиш куни"


def test_an_override_without_reasons_gets_a_generic_one() -> None:
    calendar = WorkCalendar(overrides=[OverrideDay(TUESDAY, "day_off")])
    with translation.override("en"):
        assert calendar.day_off_reason(TUESDAY) == "Additional day off"


# --- the table and the shared version -------------------------------------------------------


@pytest.mark.django_db
def test_an_override_day_off_appears_in_the_process_calendar() -> None:
    assert not get_calendar().is_day_off(TUESDAY)
    add_override(TUESDAY, "day_off", reason_en="Decreed day off")
    calendar = get_calendar()
    assert calendar.is_day_off(TUESDAY)
    with translation.override("en"):
        assert calendar.day_off_reason(TUESDAY) == "Decreed day off"


@pytest.mark.django_db
def test_a_working_day_override_makes_a_saturday_a_working_day() -> None:
    assert get_calendar().is_day_off(SATURDAY)
    add_override(SATURDAY, "working_day", reason_en="Worked for 31 December")
    calendar = get_calendar()
    assert not calendar.is_day_off(SATURDAY)
    with translation.override("en"):
        assert calendar.working_day_reason(SATURDAY) == "Worked for 31 December"


@pytest.mark.django_db
def test_saving_and_deleting_an_override_bump_the_version() -> None:
    first = calendar_version()
    assert calendar_version() == first  # stable while nothing changes
    override = add_override(TUESDAY, "day_off")
    after_save = calendar_version()
    assert after_save > first
    override.reason_en = "Decreed day off"
    override.save()
    after_edit = calendar_version()
    assert after_edit > after_save
    override.delete()
    assert calendar_version() > after_edit
    assert not get_calendar().is_day_off(TUESDAY)


@pytest.mark.django_db
def test_the_version_is_bumped_again_after_the_commit(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    first = calendar_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_override(TUESDAY, "day_off")
        inside = calendar_version()
    assert inside == first + 1
    # Ours comes first; the appeals engine then moves running deadlines on the new calendar.
    assert callbacks[0] is bump_calendar_version
    assert calendar_version() == first + 2


@pytest.mark.django_db
def test_the_calendar_is_cached_until_the_version_changes(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    add_override(TUESDAY, "day_off")
    add_override(SATURDAY, "working_day")
    with django_assert_num_queries(1):  # every override in one query
        calendar = get_calendar()
    with django_assert_num_queries(0):
        assert get_calendar() is calendar
    bump_calendar_version()
    with django_assert_num_queries(1):
        assert get_calendar() is not calendar


@pytest.mark.django_db
def test_another_process_bumping_the_shared_version_reloads_this_one() -> None:
    calendar = get_calendar()
    # What another process's save does: a row written and the shared key incremented.
    CalendarOverride.objects.bulk_create([CalendarOverride(day=TUESDAY, kind="day_off")])
    assert get_calendar() is calendar  # bulk writes send no signal...
    cache.incr(VERSION_KEY)  # ...until the version moves
    assert get_calendar().is_day_off(TUESDAY)


@pytest.mark.django_db
def test_a_lost_version_key_comes_back_as_a_new_version() -> None:
    calendar = get_calendar()
    cache.delete(VERSION_KEY)
    assert calendar_version() != calendar.version
    assert bump_calendar_version() > calendar.version


@pytest.mark.django_db
def test_a_day_off_added_later_moves_a_running_deadline_per_spec_issue_3() -> None:
    thirteen = DeadlineRule(13)
    running = compute_due(date(2025, 11, 4), thirteen, get_calendar())
    version = calendar_version()
    assert running.due == date(2025, 11, 17)
    add_override(date(2025, 11, 17), "day_off", reason_en="Decreed day off")
    assert calendar_version() != version
    moved = recompute(running, get_calendar())
    assert moved.due == TUESDAY


@pytest.mark.django_db
def test_one_override_per_day_and_only_the_two_kinds() -> None:
    add_override(TUESDAY, "day_off")
    with pytest.raises(IntegrityError):
        add_override(TUESDAY, "working_day")


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError):
        add_override(TUESDAY, "holiday")


# --- settings -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_weekly_days_off_come_from_the_setting(settings) -> None:  # type: ignore[no-untyped-def]
    assert load_calendar().weekly_days_off == {5, 6}  # default: Saturday and Sunday
    settings.MUROJAAT_WEEKLY_DAYS_OFF = (6,)
    calendar = load_calendar()
    assert calendar.weekly_days_off == {6}
    assert not calendar.is_day_off(SATURDAY)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [(7,), (0, 1, 2, 3, 4, 5, 6), ("sat",)])
def test_a_wrong_weekly_days_off_setting_fails_loudly(settings, value) -> None:  # type: ignore[no-untyped-def]
    settings.MUROJAAT_WEEKLY_DAYS_OFF = value
    with pytest.raises(ValueError):
        load_calendar()


# --- admin ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overrides_are_edited_in_the_admin(admin_client) -> None:  # type: ignore[no-untyped-def]
    assert admin.site.is_registered(CalendarOverride)
    add_override(TUESDAY, "day_off", reason_en="Decreed day off")
    response = admin_client.get("/admin/core/calendaroverride/")
    assert response.status_code == 200
    assert "Decreed day off" in response.content.decode()
    before = calendar_version()
    response = admin_client.post(
        "/admin/core/calendaroverride/add/",
        {
            "day": "2025-11-15",
            "kind": "working_day",
            "reason_uz": "",
            "reason_ru": "",
            "reason_en": "Worked Saturday",
        },
    )
    assert response.status_code == 302
    assert calendar_version() > before
    assert not get_calendar().is_day_off(SATURDAY)
