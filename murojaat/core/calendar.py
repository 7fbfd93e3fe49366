"""The working calendar: which days are off in Uzbekistan, and why.

Three sources, in order of precedence:

1. **Overrides** (`CalendarOverride`, edited in the admin): a "day_off" adds a day off decreed
   after the `holidays` release we run (e.g. an extra day for a holiday); a "working_day" makes
   a day a working day (e.g. a Saturday that the government turned into a working day).
   The ministry's own decision always wins: it can react the day a decree is published.
2. **Public holidays and the government's transfers** from the `holidays` package
   (`country_holidays("UZ")`): the Labor Code holidays, their observed days (a holiday falling
   on Saturday/Sunday moves to the next working day since 30 April 2023), Presidential decrees'
   additional days off, and the yearly transfers of working days. A transfer appears twice in
   the package: the new day off is a holiday named "Day off (substituted from <date>)" — we keep
   that name as the reason — and the Saturday that became a working day is in its
   `weekend_workdays`, which we honour as a working day.
3. **Weekly days off**, from the setting `MUROJAAT_WEEKLY_DAYS_OFF` (weekday numbers,
   Monday=0). The default `(5, 6)`, Saturday and Sunday, is the five-day week of government
   offices and of the working group that sets and watches the deadlines; the law's deadlines are
   calendar days anyway (L-3) and only the day-off policy depends on it. A ministry whose
   institutions work six days sets `(6,)`. The package's transfers are made for the five-day
   week; with a six-day week a transferred Saturday is a working day anyway.

`WorkCalendar` is pure (plain values in, no database), so deadline tests build one directly.
`get_calendar()` builds it from the database once per process and rebuilds it when the shared
cache's "calendar-version" changes: every save or delete of an override bumps it (see
`murojaat.core.signals`), so all web and worker processes agree as long as they share the cache
(Redis in production; the embedded demo's local-memory cache is per process).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import holidays
from django.conf import settings
from django.core.cache import cache
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, gettext

OverrideKind = Literal["day_off", "working_day"]

DEFAULT_WEEKLY_DAYS_OFF: tuple[int, ...] = (5, 6)
COUNTRY = "UZ"
VERSION_KEY = "calendar-version"


def weekly_days_off_setting() -> tuple[int, ...]:
    """`settings.MUROJAAT_WEEKLY_DAYS_OFF`, checked: weekday numbers 0 (Monday) to 6 (Sunday)."""
    value = tuple(getattr(settings, "MUROJAAT_WEEKLY_DAYS_OFF", DEFAULT_WEEKLY_DAYS_OFF))
    if not all(isinstance(d, int) and 0 <= d <= 6 for d in value) or len(set(value)) == 7:
        raise ValueError(f"MUROJAAT_WEEKLY_DAYS_OFF must list weekdays 0-6, not all: {value!r}")
    return value


def _is_uzbek_cyrillic(language: str) -> bool:
    lang = language.lower()
    return lang.startswith("uz") and "cyrl" in lang


@dataclass(frozen=True)
class OverrideDay:
    """A `CalendarOverride` row as a plain value, so the calendar stays pure."""

    day: date
    kind: OverrideKind
    reason_uz: str = ""
    reason_ru: str = ""
    reason_en: str = ""

    def reason(self, language: str) -> str:
        """The reason in `language` ("uz", "uz-cyrl", "ru", "en"), falling back to another
        filled one; Uzbek Cyrillic is transliterated from Uzbek Latin."""
        from murojaat.core.translit import latin_to_cyrillic

        lang = language.lower()
        if _is_uzbek_cyrillic(lang):
            return (
                latin_to_cyrillic(self.reason_uz)
                if self.reason_uz
                else (self.reason_ru or self.reason_en)
            )
        order = {
            "ru": (self.reason_ru, self.reason_uz, self.reason_en),
            "en": (self.reason_en, self.reason_ru, self.reason_uz),
        }.get(lang.split("-")[0], (self.reason_uz, self.reason_ru, self.reason_en))
        return next((text for text in order if text), "")


# The `holidays` package names Uzbekistan's holidays in Uzbek, English and Ukrainian only; the
# Russian names are kept here, keyed by the English ones, for staff working in Russian.
_RUSSIAN = {
    "New Year's Day": "Новый год",
    "Women's Day": "Женский день",
    "Nowruz": "Навруз",
    "Day of Memory and Honor": "День памяти и почестей",
    "Victory Day": "День Победы",
    "Independence Day": "День независимости",
    "Teachers and Instructors Day": "День учителей и наставников",
    "Constitution Day": "День Конституции",
    "Eid al-Fitr": "Рамазан хайит",
    "Eid al-Adha": "Курбан хайит",
    "Additional day off by Presidential decree": "Дополнительный выходной день по указу Президента",
}
_RUSSIAN_SUFFIX = {
    "observed": "перенесён",
    "estimated": "предположительно",
    "observed, estimated": "перенесён, предположительно",
}
_SUBSTITUTED_EN = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")
_SUFFIXED_EN = re.compile(r"^(.*) \((observed|estimated|observed, estimated)\)$")


def _russian_holiday_name(english: str) -> str:
    if match := _SUBSTITUTED_EN.match(english):
        month, day, year = match.groups()
        return f"Выходной день (перенесён с {day}.{month}.{year})"
    if match := _SUFFIXED_EN.match(english):
        name, suffix = match.groups()
        return f"{_russian_holiday_name(name)} ({_RUSSIAN_SUFFIX[suffix]})"
    return _RUSSIAN.get(english, english)


@dataclass(frozen=True)
class _Year:
    """One year of the `holidays` package: its days off (Uzbek names) and transferred
    working days."""

    days_off: dict[date, str]
    weekend_workdays: frozenset[date]


@lru_cache(maxsize=64)
def _package_year(country: str, year: int) -> _Year:
    """One year of the package with Uzbek names, computed once per process.

    The language is always passed: without it the package picks one from the process's
    environment (LANG), and the reasons would change with the server's locale.
    """
    table = holidays.country_holidays(country, years=year, language="uz")
    return _Year(
        days_off=dict(table),
        weekend_workdays=frozenset(d for d in table.weekend_workdays if d.year == year),
    )


@lru_cache(maxsize=64)
def _package_names(country: str, year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays(country, years=year, language=language))


class WorkCalendar:
    """Days off from public holidays + the government's transfers + weekly days off +
    overrides. Implements `murojaat.appeals.deadlines.Calendar`.

    Immutable after construction (the package's years are loaded lazily into a process-wide
    cache shared by all calendars), so one instance serves all the threads of a process.
    """

    def __init__(
        self,
        *,
        weekly_days_off: Iterable[int] = DEFAULT_WEEKLY_DAYS_OFF,
        overrides: Iterable[OverrideDay] = (),
        version: int = 0,
        country: str = COUNTRY,
    ) -> None:
        self.weekly_days_off = frozenset(weekly_days_off)
        self.overrides: dict[date, OverrideDay] = {o.day: o for o in overrides}
        self.version = version
        self.country = country

    def __repr__(self) -> str:
        return (
            f"<WorkCalendar weekly_days_off={sorted(self.weekly_days_off)} "
            f"overrides={len(self.overrides)} version={self.version}>"
        )

    def _year(self, year: int) -> _Year:
        return _package_year(self.country, year)

    def _holiday_name(self, day: date, language: str) -> str:
        """The package's name of the holiday on `day` in the interface language."""
        lang = language.lower()
        uzbek = self._year(day.year).days_off[day]
        if _is_uzbek_cyrillic(lang):
            from murojaat.core.translit import latin_to_cyrillic

            return latin_to_cyrillic(uzbek)
        if lang.startswith("uz"):
            return uzbek
        package_language = "uk" if lang.startswith("uk") else "en_US"
        name = _package_names(self.country, day.year, package_language).get(day, uzbek)
        return _russian_holiday_name(name) if lang.startswith("ru") else name

    # --- the Calendar protocol --------------------------------------------------------------
    def is_day_off(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.kind == "day_off"
        year = self._year(day.year)
        if day in year.days_off:
            return True
        if day in year.weekend_workdays:
            return False
        return day.weekday() in self.weekly_days_off

    def day_off_reason(self, day: date) -> str | None:
        """Why `day` is off, in the active language, or None when it is a working day."""
        if not self.is_day_off(day):
            return None
        language = get_language() or settings.LANGUAGE_CODE
        override = self.overrides.get(day)
        if override is not None:
            return override.reason(language) or gettext("Additional day off")
        if day in self._year(day.year).days_off:
            return self._holiday_name(day, language)
        weekday = str(WEEKDAYS[day.weekday()])
        if _is_uzbek_cyrillic(language):
            # Django has no Uzbek Cyrillic catalogue and falls back to Uzbek Latin; Cyrillic
            # text passes through the transliteration unchanged once a catalogue exists.
            from murojaat.core.translit import latin_to_cyrillic

            return latin_to_cyrillic(weekday)
        return weekday

    # --- more than the protocol -------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return not self.is_day_off(day)

    def working_day_reason(self, day: date) -> str | None:
        """Why a day that would be off is a working day (a transfer), or None."""
        if self.is_day_off(day):
            return None
        override = self.overrides.get(day)
        if override is not None:
            language = get_language() or settings.LANGUAGE_CODE
            return override.reason(language) or gettext("Transferred working day")
        if day in self._year(day.year).weekend_workdays and day.weekday() in self.weekly_days_off:
            return gettext("Transferred working day")
        return None


# --- one calendar per process, rebuilt when the shared version changes -----------------------
_cached: tuple[int, WorkCalendar] | None = None
_cached_lock = threading.Lock()


def calendar_version() -> int:
    """The shared version of the calendar; it changes whenever an override is saved or deleted.

    The appeals engine stores it with running deadlines and recomputes them when it changes.
    The first value is the current time in nanoseconds rather than 1, so a cache that lost the
    key (eviction, restart) never comes back to a version some process already saw; it is also
    kept above this process's last version, which a clock of coarse resolution (or one key lost
    and re-created within the same tick) could otherwise repeat.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        seen = _cached[0] if _cached is not None else 0
        cache.add(VERSION_KEY, max(time.time_ns(), seen + 1), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version) if version is not None else 0


def bump_calendar_version() -> int:
    """Tell every process that the calendar changed (called by the override signals)."""
    try:
        return int(cache.incr(VERSION_KEY))
    except ValueError:  # the key is missing: start a fresh, never-seen version
        calendar_version()
        try:
            return int(cache.incr(VERSION_KEY))
        except ValueError:
            return calendar_version()


def load_calendar(version: int = 0) -> WorkCalendar:
    """A calendar built now from the settings and the overrides table (one query)."""
    from murojaat.core.models import CalendarOverride

    overrides = [
        OverrideDay(day, kind, reason_uz, reason_ru, reason_en)
        for day, kind, reason_uz, reason_ru, reason_en in CalendarOverride.objects.values_list(
            "day", "kind", "reason_uz", "reason_ru", "reason_en"
        )
    ]
    return WorkCalendar(
        weekly_days_off=weekly_days_off_setting(), overrides=overrides, version=version
    )


def get_calendar() -> WorkCalendar:
    """The process's calendar, rebuilt when `calendar_version()` moved on."""
    global _cached
    version = calendar_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _cached_lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
        calendar = load_calendar(version)
        _cached = (version, calendar)
        return calendar


def clear_process_cache() -> None:
    """Forget the process's calendar (tests; a settings change)."""
    global _cached
    _cached = None
