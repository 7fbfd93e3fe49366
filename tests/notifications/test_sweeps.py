"""Reminders and the escalation ladder driven through time (time-machine), across days off.

The calendar is Uzbekistan's: Saturday and Sunday are days off, and 8 December (Constitution
Day) is a public holiday. An assignment routed on Monday 16 Nov 2026 under the Minister's
procedure is due on a date the tests read from the assignment itself.
"""

from __future__ import annotations

from datetime import date, datetime, time

import time_machine

from murojaat.appeals import services
from murojaat.appeals.models import Event, EventKind
from murojaat.notifications.models import (
    Channel,
    EscalationRecord,
    EscalationStep,
    EscalationTarget,
    Kind,
    Notification,
)
from murojaat.notifications.sweeps import escalate, send_reminders, shift_working_days
from tests.appeals.helpers import TASHKENT
from tests.notifications.test_events import register_public


def at(day: date, hour: int = 9):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=TASHKENT), tick=False)


def _routed(m):  # type: ignore[no-untyped-def]
    appeal, _code = register_public()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    return appeal, top


def test_acceptance_due_today_is_reminded_once_on_its_day(ministry) -> None:
    appeal, top = _routed(ministry)
    with at(top.accept_due):
        assert send_reminders() >= 1
        send_reminders()  # the hourly run again
    assert Notification.objects.filter(kind=Kind.ACCEPT_DUE, channel=Channel.IN_APP).count() == 1
    services.accept_assignment(actor=ministry.regional_executor, assignment=top)
    with at(top.accept_due, 15):
        send_reminders()
    assert Notification.objects.filter(kind=Kind.ACCEPT_DUE).count() == 1


def test_execution_reminders_come_two_one_and_zero_working_days_before_skipping_the_weekend(
    ministry,
) -> None:
    appeal, top = _routed(ministry)
    services.accept_assignment(actor=ministry.regional_executor, assignment=top)
    top.refresh_from_db()
    due = top.due_date
    cal_days = []
    # Every calendar day of the two weeks before the deadline, the sweep runs each hour.
    for offset in range(14, -1, -1):
        day = date.fromordinal(due.toordinal() - offset)
        with at(day):
            if send_reminders():
                cal_days.append(day)
    from murojaat.core.calendar import get_calendar

    cal = get_calendar()
    expected = [shift_working_days(due, -2, cal), shift_working_days(due, -1, cal), due]
    assert cal_days == expected
    assert all(not cal.is_day_off(d) for d in cal_days)
    texts = [
        n.body
        for n in Notification.objects.filter(
            kind=Kind.EXECUTION_DUE, channel=Channel.IN_APP
        ).order_by("created_at", "pk")
    ]
    assert len(texts) == 3 and all(due.isoformat() in t for t in texts)


def test_on_a_day_off_nobody_is_reminded_or_escalated(ministry) -> None:
    appeal, top = _routed(ministry)
    saturday = date(2026, 11, 21)
    with at(saturday):
        assert send_reminders() == 0 and escalate() == 0


def test_the_default_ladder_climbs_executor_head_parent_working_group_each_once(ministry) -> None:
    m = ministry
    appeal, top = _routed(m)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    child.refresh_from_db()
    from murojaat.core.calendar import get_calendar

    cal = get_calendar()
    climbed: dict[str, date] = {}
    day = date(2026, 11, 17)
    while day <= shift_working_days(child.due_date, 4, cal):
        with at(day):
            escalate()
            escalate()  # a second sweep (another worker) climbs nothing twice
        day = date.fromordinal(day.toordinal() + 1)
    for record in EscalationRecord.objects.filter(assignment=child):
        climbed[record.target] = record.at.date()
    assert set(climbed) == {"executor", "head", "parent", "working_group"}
    events = Event.objects.filter(kind=EventKind.ESCALATED, assignment=child).order_by("at", "pk")
    assert [e.data["target"] for e in events] == ["executor", "head", "parent", "working_group"]
    assert [e.data["offset"] for e in events] == [-2, -1, 1, 3]
    # Who was told at each rung (in the application):
    told = {
        e.data["target"]: {
            n.user.username for n in Notification.objects.filter(event=e, channel=Channel.IN_APP)
        }
        for e in events
    }
    assert told == {
        "executor": {"asexec"},
        "head": {"ashead"},
        "parent": {"rdexec", "rdhead"},  # the regional directorate above the association
        "working_group": {"wgmember", "wghead"},
    }
    assert m.outsider.username not in set().union(*told.values())


def test_the_ladder_stops_when_the_assignment_is_answered(ministry) -> None:
    m = ministry
    appeal, top = _routed(m)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    top.refresh_from_db()
    from murojaat.core.calendar import get_calendar

    cal = get_calendar()
    with at(shift_working_days(top.due_date, -2, cal)):
        assert escalate() == 1
    from tests.notifications.test_events import answer_with_feedback_top

    answer_with_feedback_top(m, top)  # submitted and accepted: answered
    with at(shift_working_days(top.due_date, 5, cal)):
        assert escalate() == 0
    assert EscalationRecord.objects.count() == 1


def test_a_procedure_s_own_ladder_replaces_the_default(ministry) -> None:
    m = ministry
    appeal, top = _routed(m)
    EscalationStep.objects.create(
        procedure=appeal.procedure, offset=0, target=EscalationTarget.WORKING_GROUP
    )
    top.refresh_from_db()
    from murojaat.core.calendar import get_calendar

    cal = get_calendar()
    with at(shift_working_days(top.due_date, -1, cal)):
        assert escalate() == 0
    with at(top.due_date):
        assert escalate() == 1
    assert list(EscalationRecord.objects.values_list("offset", "target")) == [(0, "working_group")]
