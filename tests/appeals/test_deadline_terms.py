"""Each term of the order, pinned on dates where a neighbouring value gives another day
(issue 10, item 5: tests that can fail).

R-P2-11: sending and acceptance 1 day, return 5 days, execution 13 days, the 10-day guidance,
an extension of up to 13 days. Each appeal below is registered and routed the same day, a
different weekday of the week of Monday 16 November 2026 (no holiday before 8 December), so
that a term one day shorter or longer lands on another date for most starts: a Monday start
rolls 12 and 13 days to the same Monday, a Wednesday start 4 and 5 days, which is why every
term is checked from several weekdays. Changing any one term in the procedures' data
(`appeals/data/procedures.json`) fails several of these tests; docs/architecture.md records how
many.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import time_machine

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Assignment, Violation, ViolationKind
from murojaat.core.errors import DomainError
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry


@dataclass(frozen=True)
class Terms:
    """What each term gives an appeal registered and routed on `start` (all in Nov-Dec 2026)."""

    start: date
    accept: date  # 1 day (R-P2-11)
    give_back: date  # 5 days to return a misrouted appeal (R-P2-3, R-P2-11)
    due: date  # 13 days (R-P2-11)
    guidance: date  # 10 days (R-P2-11)
    extended: date  # the due date + 13 days of extension (R-P2-11)


WEEK = [
    # start             accept 1          return 5          execute 13        guidance 10       +13
    Terms(date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 23), date(2026, 11, 30),
          date(2026, 11, 26), date(2026, 12, 14)),
    Terms(date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 23), date(2026, 11, 30),
          date(2026, 11, 27), date(2026, 12, 14)),
    Terms(date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 23), date(2026, 12, 1),
          date(2026, 11, 30), date(2026, 12, 14)),
    Terms(date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 24), date(2026, 12, 2),
          date(2026, 11, 30), date(2026, 12, 15)),
    Terms(date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 25), date(2026, 12, 3),
          date(2026, 11, 30), date(2026, 12, 16)),
]  # fmt: skip
WEEKDAY = [t.start.strftime("%a") for t in WEEK]


def _noon(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), TASHKENT).replace(hour=11)


def _routed(m: Ministry, t: Terms, name: str = "Karimova Dilnoza") -> Assignment:
    with time_machine.travel(_noon(t.start), tick=False):
        appeal = register(received=_noon(t.start).replace(hour=10), author_name=name)
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    return top


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize("t", WEEK, ids=WEEKDAY)
def test_routing_sets_each_term_of_the_procedure_r_p2_11(ministry: Ministry, t: Terms) -> None:
    top = _routed(ministry, t)
    appeal = Appeal.objects.get(pk=top.appeal_id)
    guidance = services.guidance_for(appeal, t.start)
    assert guidance is not None
    assert (top.accept_due, top.return_due, top.due_date, appeal.due_date, guidance.day) == (
        t.accept,
        t.give_back,
        t.due,
        t.due,
        t.guidance,
    )


@pytest.mark.parametrize("t", WEEK, ids=WEEKDAY)
def test_acceptance_is_late_only_after_its_one_day_r_p2_11(ministry: Ministry, t: Terms) -> None:
    m = ministry
    on_time, late = _routed(m, t), _routed(m, t, name="Boshqa muallif")
    with time_machine.travel(_noon(t.accept), tick=False):
        services.accept_assignment(actor=m.regional_executor, assignment=on_time)
    with time_machine.travel(_noon(_next_working_day(t.accept)), tick=False):
        services.accept_assignment(actor=m.regional_executor, assignment=late)
    late_ones = Violation.objects.filter(kind=ViolationKind.LATE_ACCEPTANCE)
    assert [(v.assignment_id, v.due_date) for v in late_ones] == [(late.pk, t.accept)]


@pytest.mark.parametrize("t", WEEK, ids=WEEKDAY)
def test_a_misrouted_appeal_goes_back_within_five_days_not_after_r_p2_3(
    ministry: Ministry, t: Terms
) -> None:
    m = ministry
    in_time, too_late = _routed(m, t), _routed(m, t, name="Boshqa muallif")
    with time_machine.travel(_noon(t.give_back), tick=False):
        services.return_assignment(actor=m.regional_executor, assignment=in_time, reason="Emas")
    with (
        time_machine.travel(_noon(t.give_back + timedelta(days=1)), tick=False),
        pytest.raises(DomainError) as err,
    ):
        services.return_assignment(actor=m.regional_executor, assignment=too_late, reason="Emas")
    assert err.value.code == "return_period_over"


@pytest.mark.parametrize("t", WEEK, ids=WEEKDAY)
def test_an_answer_is_overdue_from_the_day_after_the_thirteenth_r_p2_11(
    ministry: Ministry, t: Terms
) -> None:
    top = _routed(ministry, t)
    assert services.record_overdue(t.due) == 1  # only the acceptance, long missed
    assert not Violation.objects.filter(kind=ViolationKind.LATE_ANSWER).exists()
    services.record_overdue(t.due + timedelta(days=1))
    (v,) = Violation.objects.filter(kind=ViolationKind.LATE_ANSWER)
    assert (v.assignment_id, v.due_date) == (top.pk, t.due)


@pytest.mark.parametrize("t", WEEK, ids=WEEKDAY)
def test_the_guidance_is_kept_on_its_tenth_day_and_passed_the_next_r_p2_11(
    ministry: Ministry, t: Terms
) -> None:
    top = _routed(ministry, t)
    on_the_day = services.guidance_for(top, t.guidance)
    next_day = services.guidance_for(top, t.guidance + timedelta(days=1))
    assert on_the_day is not None and next_day is not None
    assert (on_the_day.past, next_day.past, on_the_day.days) == (False, True, 10)


@pytest.mark.parametrize("t", WEEK, ids=WEEKDAY)
def test_an_extension_of_up_to_thirteen_days_counts_from_the_due_date_r_p2_11(
    ministry: Ministry, t: Terms
) -> None:
    m = ministry
    top = _routed(m, t)
    with time_machine.travel(_noon(t.accept), tick=False):
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        with pytest.raises(DomainError) as err:
            services.request_extension(
                actor=m.regional_executor, assignment=top, days=14, reason="Ekspertiza"
            )
        assert err.value.code == "invalid_days"
        request = services.request_extension(
            actor=m.regional_executor, assignment=top, days=13, reason="Ekspertiza"
        )
        services.decide_extension(actor=m.wg_member, request=request, approve=True)
    top.refresh_from_db()
    assert (top.due_date, top.extension_days) == (t.extended, 13)
