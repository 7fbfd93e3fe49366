"""Deadline arithmetic: when an appeal is due, and why.

Pure domain code: plain dates in, plain values out, no models and no database, so every rule
below is tested without Django's ORM. The only Django used is translation, for the texts
shown to staff and applicants.

Rules read into this module:

- R-P2-11: execution within **13 days** unless the appeal or the working group sets another;
  an extension of **up to 13 more days** may be asked through the system.
- L-3 (ZRU-445 art. 28): the law counts **calendar days**; what happens when a deadline falls
  on a day off is a configurable policy, by default the next working day. Hence
  `DeadlineRule(days, unit="calendar", roll_forward=True)` is the default shape, and procedures
  (data) may choose working days or no rolling instead.

Dates, not datetimes, are the unit of a deadline: a due date is *inclusive*, work may be done
until 23:59:59.999999 of that day in Asia/Tashkent (`end_of_day`). The clock starts on the
local (Tashkent) date of the event (`local_date`), whatever the server's time zone.

- L-2 (ZRU-445 art. 23): an appeal is registered the day it is received, or the next working
  day when it arrives after working hours. `registration_day` says which day that is: a receipt
  on a working day before the end of the working day (the procedure's `working_day_ends`,
  Tashkent time, exclusive) counts that day; one at or after it, or on any day off, counts from
  the next working day. The returned `Receipt` rides on the appeal's `Due` so `explain()` says
  why the clock started later than the receipt.

Which days are off is not decided here: a `Calendar` answers it (see
`murojaat.core.calendar.WorkCalendar`, built from public holidays, the government's transfers
of working days and an editable table of overrides). When that calendar changes, a running
deadline is recomputed from its stored start, rule and extensions (`recompute`), so a day off
decreed later also moves the deadlines still running (spec issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, Protocol
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

TASHKENT = ZoneInfo("Asia/Tashkent")

Unit = Literal["calendar", "working"]
UNITS: tuple[Unit, ...] = ("calendar", "working")

# A guard against a misconfigured calendar (e.g. every weekday marked off): no real calendar
# has a year without a working day, and an endless loop in a web request is worse than an error.
MAX_CONSECUTIVE_DAYS_OFF = 366


class Calendar(Protocol):
    """Which days are off, and why. Implemented by `murojaat.core.calendar.WorkCalendar`."""

    def is_day_off(self, day: date) -> bool: ...

    def day_off_reason(self, day: date) -> str | None:
        """Why `day` is off (e.g. "Sunday", "Independence Day"), or None for a working day."""
        ...


class NoWorkingDayError(ValueError):
    """The calendar has no working day for a whole year: it is misconfigured."""


@dataclass(frozen=True)
class DeadlineRule:
    """How a deadline is counted: a number of days, their unit and the day-off policy.

    `days=0` means the same day (e.g. "accept within the day", R-P2-11). `roll_forward` is the
    L-3 policy: a due day that is a day off moves to the next working day. Procedures store
    these three values as data, so a ministry may change 13 days to 10 without a release.
    """

    days: int
    unit: Unit = "calendar"
    roll_forward: bool = True

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError(f"a deadline cannot have a negative number of days: {self.days}")
        if self.unit not in UNITS:
            raise ValueError(f"unknown deadline unit {self.unit!r}; expected one of {UNITS}")

    def describe(self) -> str:
        """The rule in words, in the active language.

        E.g. "13 calendar days, moved to the next working day if it falls on a day off".
        """
        if self.days == 0:
            text = gettext("the same day")
        elif self.unit == "working":
            text = ngettext("%(days)d working day", "%(days)d working days", self.days) % {
                "days": self.days
            }
        else:
            text = ngettext("%(days)d calendar day", "%(days)d calendar days", self.days) % {
                "days": self.days
            }
        # Counting working days always ends on a working day: the policy only matters for
        # calendar days and for "the same day".
        if self.roll_forward and (self.unit == "calendar" or self.days == 0):
            text = gettext("%(rule)s, moved to the next working day if it falls on a day off") % {
                "rule": text
            }
        return text


@dataclass(frozen=True)
class SkippedDay:
    """A day off that was not counted (working days) or that the due date rolled over."""

    day: date
    reason: str


@dataclass(frozen=True)
class Extension:
    """One extension of a deadline (R-P2-11: "up to 13 more days"), kept for the explanation
    and for recomputing the deadline when the calendar changes."""

    days: int
    previous_due: date
    raw: date
    due: date
    skipped: tuple[SkippedDay, ...] = ()


@dataclass(frozen=True)
class Due:
    """A computed deadline with everything needed to explain it and to recompute it.

    `raw` is the date before any moving (start + days, or previous due + extra days for an
    extended deadline); `due` is the final, inclusive due date; `skipped` lists every day off
    skipped or rolled over, the base computation's first and then each extension's.
    """

    start: date
    raw: date
    due: date
    rule: DeadlineRule
    skipped: tuple[SkippedDay, ...]
    extensions: tuple[Extension, ...] = field(default=())
    receipt: Receipt | None = None

    @property
    def base_due(self) -> date:
        """The due date before any extension."""
        return self.extensions[0].previous_due if self.extensions else self.due

    @property
    def extended_days(self) -> int:
        """The days granted by all extensions together (R-P2-11 caps one extension at 13)."""
        return sum(extension.days for extension in self.extensions)

    def explain(self) -> str:
        """One paragraph, in the active language: start, rule, days added, days off skipped
        and why, and the result. Shown to the executor next to the due date."""
        extension_skips = sum(len(extension.skipped) for extension in self.extensions)
        base_skipped = self.skipped[: len(self.skipped) - extension_skips]
        parts = [
            self.receipt.explain() if self.receipt and self.receipt.day == self.start else "",
            gettext("The deadline started on %(start)s.") % {"start": _fmt(self.start)},
            gettext("Rule: %(rule)s.") % {"rule": self.rule.describe()},
        ]
        base_raw = self.start + timedelta(days=self.rule.days)
        parts.append(_explain_step(self.rule, self.start, base_raw, base_skipped))
        for extension in self.extensions:
            parts.append(
                ngettext(
                    "Extended by %(days)d day from the due date %(previous)s.",
                    "Extended by %(days)d days from the due date %(previous)s.",
                    extension.days,
                )
                % {"days": extension.days, "previous": _fmt(extension.previous_due)}
            )
            parts.append(
                _explain_step(
                    DeadlineRule(extension.days, self.rule.unit, self.rule.roll_forward),
                    extension.previous_due,
                    extension.raw,
                    extension.skipped,
                )
            )
        parts.append(
            gettext("Due date: %(due)s, until the end of the day (Tashkent time).")
            % {"due": _fmt(self.due)}
        )
        return " ".join(part for part in parts if part)


def _fmt(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _explain_step(
    rule: DeadlineRule, start: date, raw: date, skipped: tuple[SkippedDay, ...]
) -> str:
    """The sentence(s) for one counting step: the days added and the days off skipped."""
    sentences = []
    if rule.days and rule.unit == "calendar":
        sentences.append(
            ngettext(
                "%(days)d calendar day after %(start)s is %(raw)s.",
                "%(days)d calendar days after %(start)s is %(raw)s.",
                rule.days,
            )
            % {"days": rule.days, "start": _fmt(start), "raw": _fmt(raw)}
        )
    elif rule.days:
        sentences.append(
            ngettext(
                "%(days)d working day is counted after %(start)s.",
                "%(days)d working days are counted after %(start)s.",
                rule.days,
            )
            % {"days": rule.days, "start": _fmt(start)}
        )
    if skipped:
        listed = "; ".join(
            gettext("%(day)s (%(reason)s)") % {"day": _fmt(s.day), "reason": s.reason}
            for s in skipped
        )
        if rule.unit == "working" and rule.days:
            sentences.append(
                ngettext(
                    "This day off was not counted: %(days)s.",
                    "These days off were not counted: %(days)s.",
                    len(skipped),
                )
                % {"days": listed}
            )
        else:
            sentences.append(
                ngettext(
                    "It falls on a day off, so it moved past: %(days)s.",
                    "It falls on days off, so it moved past: %(days)s.",
                    len(skipped),
                )
                % {"days": listed}
            )
    return " ".join(sentences)


def _reason(calendar: Calendar, day: date) -> str:
    return calendar.day_off_reason(day) or gettext("Day off")


def _roll(day: date, calendar: Calendar, skipped: list[SkippedDay]) -> date:
    """Move `day` forward past days off, recording each one (L-3 default policy)."""
    for _ in range(MAX_CONSECUTIVE_DAYS_OFF):
        if not calendar.is_day_off(day):
            return day
        skipped.append(SkippedDay(day, _reason(calendar, day)))
        day += timedelta(days=1)
    raise NoWorkingDayError(f"no working day in the {MAX_CONSECUTIVE_DAYS_OFF} days up to {day}")


def _count(
    start: date, days: int, rule: DeadlineRule, calendar: Calendar
) -> tuple[date, date, tuple[SkippedDay, ...]]:
    """(raw, due, skipped) for `days` of `rule.unit` counted from `start` (start not counted)."""
    skipped: list[SkippedDay] = []
    raw = start + timedelta(days=days)
    if rule.unit == "working" and days > 0:
        day, counted, run_off = start, 0, 0
        while counted < days:
            day += timedelta(days=1)
            if calendar.is_day_off(day):
                skipped.append(SkippedDay(day, _reason(calendar, day)))
                run_off += 1
                if run_off >= MAX_CONSECUTIVE_DAYS_OFF:
                    raise NoWorkingDayError(f"no working day in the year after {start}")
            else:
                counted += 1
                run_off = 0
        return raw, day, tuple(skipped)
    due = _roll(raw, calendar, skipped) if rule.roll_forward else raw
    return raw, due, tuple(skipped)


def compute_due(
    start: date, rule: DeadlineRule, calendar: Calendar, *, receipt: Receipt | None = None
) -> Due:
    """The due date of a deadline whose clock started on `start` (R-P2-11, L-3).

    Calendar days: raw = start + days; with `roll_forward`, a raw date that is a day off moves
    to the next working day, each day passed over recorded with its reason. Working days: the
    `days` working days after `start` are counted (start itself is not), recording the days off
    passed over. `days=0` is the same day (the next working day if it is off and
    `roll_forward`). `receipt` (L-2) is kept only to explain a start later than the receipt.
    """
    raw, due, skipped = _count(start, rule.days, rule, calendar)
    return Due(start=start, raw=raw, due=due, rule=rule, skipped=skipped, receipt=receipt)


def extend_due(current: Due, extra_days: int, calendar: Calendar) -> Due:
    """The deadline extended by `extra_days` (R-P2-11: up to 13 more days, asked through the
    system; L-3: up to one more month by the head).

    The extension counts from the **current due date** — the date the executor was actually
    given, after any rolling past days off — in the same unit and with the same day-off policy
    as the original rule. So an appeal due on Monday 23 March 2026 (rolled from Navruz on
    Saturday) and extended by 13 calendar days is due 13 days after that Monday, not after the
    Saturday. The cap (13 days) is a policy of the procedure, enforced by the workflow, not here.

    The result keeps `start` and `rule`, and records the extension in `extensions`, so the
    whole deadline can be recomputed on a new calendar (`recompute`).
    """
    if extra_days < 0:
        raise ValueError(f"an extension cannot be negative: {extra_days}")
    step_rule = DeadlineRule(extra_days, current.rule.unit, current.rule.roll_forward)
    raw, due, skipped = _count(current.due, extra_days, step_rule, calendar)
    extension = Extension(
        days=extra_days, previous_due=current.due, raw=raw, due=due, skipped=skipped
    )
    return Due(
        start=current.start,
        raw=raw,
        due=due,
        rule=current.rule,
        skipped=current.skipped + skipped,
        extensions=(*current.extensions, extension),
        receipt=current.receipt,
    )


def recompute(current: Due, calendar: Calendar) -> Due:
    """The same deadline (start, rule, extensions) computed again on `calendar`.

    Called by the appeals engine for running deadlines when `calendar_version()` changes, so a
    day off decreed after the deadline was set still moves it (spec issue 3).
    """
    due = compute_due(current.start, current.rule, calendar, receipt=current.receipt)
    for extension in current.extensions:
        due = extend_due(due, extension.days, calendar)
    return due


def working_days_left(today: date, due: date, calendar: Calendar) -> int:
    """Working days from `today` (exclusive) to `due` (inclusive).

    0 when due today (or when only days off remain before the due date); negative when overdue:
    minus the number of working days past the due date. A day off right after the due date
    still counts as -1, so that a negative number always means "overdue" and 0 never hides a
    missed deadline.
    """
    if due == today:
        return 0
    if due > today:
        return _working_days_between(today, due, calendar)
    return -max(1, _working_days_between(due, today, calendar))


def _working_days_between(after: date, until: date, calendar: Calendar) -> int:
    """Working days in (after, until].

    From running counts of each year's working days, computed once per calendar and year: an
    inbox page lists 25 deadlines, some of them years overdue, and walking day by day cost a
    thousand calendar look-ups per row (issue 9). A calendar that cannot be remembered (not
    weak-referenceable) is walked day by day as before."""
    if until <= after:
        return 0
    try:
        years = _RUNNING_COUNTS.setdefault(calendar, {})
    except TypeError:
        return sum(
            1
            for n in range(1, (until - after).days + 1)
            if not calendar.is_day_off(after + timedelta(days=n))
        )

    def through(day: date) -> int:
        """Working days from 1 January of day's year to day, inclusive."""
        counts = years.get(day.year)
        if counts is None:
            counts, total, current = [0], 0, date(day.year, 1, 1)
            while current.year == day.year:
                total += not calendar.is_day_off(current)
                counts.append(total)
                current += timedelta(days=1)
            years[day.year] = counts
        return counts[day.timetuple().tm_yday]

    count = through(until) - through(after)
    for year in range(after.year, until.year):
        count += through(date(year, 12, 31))
    return count


# Per calendar (immutable: a changed calendar is a new object) and year: running counts.
_RUNNING_COUNTS: WeakKeyDictionary[Any, dict[int, list[int]]] = WeakKeyDictionary()


def local_date(moment: datetime) -> date:
    """The Asia/Tashkent date of an aware datetime: the day a deadline's clock starts.

    A naive datetime is refused rather than guessed: an appeal received at 23:30 in Tashkent is
    18:30 UTC, and guessing the zone would start its clock on the wrong day.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date needs an aware datetime")
    return moment.astimezone(TASHKENT).date()


@dataclass(frozen=True)
class Receipt:
    """When an appeal arrived and the day it counts as registered (L-2).

    `received_at` stays the true moment; `day` is the registration day, the start of the
    appeal's deadlines. `after_hours` is set when a working day's receipt came at or after the
    end of the working day; `day_off_reason` when the day of receipt was itself a day off.
    """

    received_at: datetime
    day: date
    after_hours: bool = False
    day_off_reason: str | None = None

    @property
    def received_on(self) -> date:
        return local_date(self.received_at)

    @property
    def moved(self) -> bool:
        """Whether the registration day is later than the day of receipt."""
        return self.day != self.received_on

    def explain(self) -> str:
        """Why the clock started after the day of receipt, or "" when it did not."""
        if not self.moved:
            return ""
        values = {
            "received": _fmt(self.received_on),
            "time": self.received_at.astimezone(TASHKENT).strftime("%H:%M"),
            "start": _fmt(self.day),
        }
        if self.day_off_reason is not None:
            values["reason"] = self.day_off_reason
            return (
                gettext(
                    "Received on a day off (%(reason)s), %(received)s at %(time)s; counted from "
                    "the next working day, %(start)s."
                )
                % values
            )
        if self.after_hours:
            return (
                gettext(
                    "Received after working hours on %(received)s at %(time)s; counted from "
                    "the next working day, %(start)s."
                )
                % values
            )
        return gettext("Received on %(received)s at %(time)s; counted from %(start)s.") % values


def registration_day(
    received_at: datetime, *, working_day_ends: time, calendar: Calendar
) -> Receipt:
    """The day an appeal received at `received_at` is registered, and its deadlines start (L-2).

    The same day when it is a working day and the receipt came before `working_day_ends`
    (Tashkent time; the end itself is already after hours, as the office is closed then);
    otherwise the next working day on `calendar`, so a transferred day off counts as off and a
    Saturday made working counts as working. A receipt before the working day starts is
    registered that morning, so no start of the day is needed here.
    """
    received_on = local_date(received_at)
    if calendar.is_day_off(received_on):
        day = _roll(received_on, calendar, [])
        return Receipt(received_at, day, day_off_reason=_reason(calendar, received_on))
    if received_at.astimezone(TASHKENT).time() >= working_day_ends:
        day = _roll(received_on + timedelta(days=1), calendar, [])
        return Receipt(received_at, day, after_hours=True)
    return Receipt(received_at, received_on)


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Asia/Tashkent: a due date is inclusive."""
    return datetime.combine(day, time.max, tzinfo=TASHKENT)


def is_overdue(due: date, now: datetime) -> bool:
    """Whether the inclusive due date has passed at the aware moment `now`."""
    return now > end_of_day(due)
