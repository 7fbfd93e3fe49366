"""Deadlines inside the engine: explanations, calendar changes, due-soon and overdue queries."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from murojaat.appeals import services
from murojaat.appeals.models import Event, EventKind
from murojaat.appeals.selectors import due_soon, my_assignments, overdue
from murojaat.core.models import CalendarOverride
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_day_off_added_later_moves_the_deadlines_still_running(ministry: Ministry) -> None:
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=TASHKENT), tick=False):
        appeal = register()  # Wednesday 18 Nov: day 13 is Tuesday 1 Dec (day 12: Monday 30 Nov)
        (top,) = services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
        )
        assert top.due_date == date(2026, 12, 1)
        # The government declares Tuesday 1 December a day off.
        CalendarOverride.objects.create(
            day=date(2026, 12, 1),
            kind="day_off",
            reason_uz="Qoʻshimcha dam olish kuni",
            reason_ru="Дополнительный выходной",
            reason_en="Additional day off",
        )
    top.refresh_from_db()
    appeal.refresh_from_db()
    assert top.due_date == date(2026, 12, 2)
    assert appeal.due_date == date(2026, 12, 2)
    assert Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINES_MOVED).exists()
    explanation = services.assignment_due(top).explain()
    assert "Additional day off" in explanation  # the skipped 1 Dec says why


def test_due_soon_and_overdue_are_queries_not_flags(ministry: Ministry) -> None:
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=TASHKENT), tick=False):
        appeal = register()  # due Tuesday 1 Dec (13 days from Wednesday 18 Nov)
        (top,) = services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
        )
    mine = my_assignments(ministry.regional_executor)
    assert not due_soon(mine, date(2026, 11, 26), services.due_soon_threshold(date(2026, 11, 26)))
    threshold = services.due_soon_threshold(date(2026, 11, 27))
    assert threshold == date(2026, 12, 1)  # Fri 27 Nov + 2 working days (Mon 30, Tue 1)
    assert list(due_soon(mine, date(2026, 11, 27), threshold)) == [top]
    assert not overdue(mine, date(2026, 12, 1)).exists()
    assert list(overdue(mine, date(2026, 12, 2))) == [top]


def _co_executed(m: Ministry):
    appeal = register("minister_vr", topics=("quality-of-care", "medicines"))
    lead, co = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        co_executors=[m.main_directorate_2],
    )
    services.accept_assignment(actor=m.md_executor, assignment=lead)
    services.accept_assignment(actor=m.md2_executor, assignment=co)
    return appeal, lead, co


def test_the_appeal_s_due_date_follows_its_latest_open_assignment_not_a_running_total_r_p2_11(
    ministry: Ministry,
) -> None:
    m = ministry
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=TASHKENT), tick=False):
        appeal, lead, co = _co_executed(m)
        assert lead.due_date == co.due_date == date(2026, 12, 1)  # 13 days from Wed 18 Nov
        for executor, a in ((m.md_executor, lead), (m.md2_executor, co)):
            request = services.request_extension(
                actor=executor, assignment=a, days=13, reason="Ekspertiza"
            )
            services.decide_extension(actor=m.wg_member, request=request, approve=True)
        appeal.refresh_from_db()
        lead.refresh_from_db()
        co.refresh_from_db()
        # Both parts run to Mon 14 Dec (Tue 1 Dec + 13): the appeal too, not 26 days.
        assert lead.due_date == co.due_date == date(2026, 12, 14)
        assert appeal.due_date == date(2026, 12, 14)
        assert appeal.extension_days == 13
        assert (
            services.explain_due(
                procedure=appeal.procedure,
                start=appeal.due_start,
                days=appeal.due_days,
                extension_days=appeal.extension_days,
            ).due
            == appeal.due_date
        )


def test_the_appeal_s_due_date_drops_back_when_its_extended_part_ends_r_p2_11(
    ministry: Ministry,
) -> None:
    m = ministry
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=TASHKENT), tick=False):
        appeal, lead, co = _co_executed(m)
        request = services.request_extension(
            actor=m.md2_executor, assignment=co, days=3, reason="Ekspertiza"
        )
        services.decide_extension(actor=m.wg_member, request=request, approve=True)
        appeal.refresh_from_db()
        assert appeal.due_date == date(2026, 12, 4)  # Tue 1 Dec + 3 = Fri 4 Dec
        services.recall_assignment(actor=m.wg_member, assignment=co, reason="Kerak emas")
        appeal.refresh_from_db()
        lead.refresh_from_db()
        assert appeal.due_date == lead.due_date == date(2026, 12, 1)


def test_a_day_off_added_later_moves_the_acceptance_and_return_deadlines_too_r_p2_11(
    ministry: Ministry,
) -> None:
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=TASHKENT), tick=False):
        appeal = register()
        (top,) = services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
        )
        accept_before, return_before = top.accept_due, top.return_due
        assert accept_before == date(2026, 11, 19)
        for day in (accept_before, return_before):
            CalendarOverride.objects.create(day=day, kind="day_off", reason_en="Decreed day off")
    top.refresh_from_db()
    assert top.accept_due == date(2026, 11, 20)
    assert top.return_due > return_before
    moved = Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINES_MOVED)
    assert {name for e in moved for name in e.data["moved"]} == {"accept_due", "return_due"}


def test_recomputation_never_overwrites_an_extension_approved_meanwhile(
    ministry: Ministry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recomputation re-reads each row under its lock: an approval that commits between
    its listing of the running rows and its update of one of them is kept."""
    from murojaat.appeals.services import timing

    m = ministry
    with time_machine.travel(datetime(2026, 11, 18, 10, tzinfo=TASHKENT), tick=False):
        appeal = register()
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
        assert top.due_date == date(2026, 12, 1)
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        request = services.request_extension(
            actor=m.regional_executor, assignment=top, days=5, reason="Ekspertiza"
        )
        real_lock = timing._lock_appeal
        raced = []

        def approval_commits_first(appeal, *args, **kwargs):
            if not raced:
                raced.append(True)
                services.decide_extension(actor=m.wg_member, request=request, approve=True)
            return real_lock(appeal, *args, **kwargs)

        monkeypatch.setattr(timing, "_lock_appeal", approval_commits_first)
        timing.recompute_running_deadlines()
    top.refresh_from_db()
    appeal.refresh_from_db()
    assert raced
    assert top.extension_days == 5
    assert top.due_date == date(2026, 12, 7)  # Tue 1 Dec + 5 = Sun 6 Dec -> Mon 7 Dec
    assert appeal.due_date == top.due_date
