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
    with time_machine.travel(datetime(2026, 11, 16, 10, tzinfo=TASHKENT), tick=False):
        appeal = register()
        (top,) = services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
        )
        assert top.due_date == date(2026, 11, 30)
        # The government declares Monday 30 November a day off.
        CalendarOverride.objects.create(
            day=date(2026, 11, 30),
            kind="day_off",
            reason_uz="Qoʻshimcha dam olish kuni",
            reason_ru="Дополнительный выходной",
            reason_en="Additional day off",
        )
    top.refresh_from_db()
    appeal.refresh_from_db()
    assert top.due_date == date(2026, 12, 1)
    assert appeal.due_date == date(2026, 12, 1)
    assert Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINES_MOVED).exists()
    explanation = services.assignment_due(top).explain()
    assert "30" in explanation


def test_due_soon_and_overdue_are_queries_not_flags(ministry: Ministry) -> None:
    with time_machine.travel(datetime(2026, 11, 16, 10, tzinfo=TASHKENT), tick=False):
        appeal = register()
        (top,) = services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
        )
    mine = my_assignments(ministry.regional_executor)
    threshold = services.due_soon_threshold(date(2026, 11, 26))
    assert threshold == date(2026, 11, 30)
    assert list(due_soon(mine, date(2026, 11, 26), threshold)) == [top]
    assert not overdue(mine, date(2026, 11, 30)).exists()
    assert list(overdue(mine, date(2026, 12, 1))) == [top]
