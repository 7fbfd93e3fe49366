"""L-2 through the engine: an appeal received after working hours or on a day off is
registered, numbered and counted from the next working day; within hours nothing changes.

The working day is the procedure's data (`working_day_ends`, default 18:00 Tashkent time) and
the days off come from the working calendar, overrides table included.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Event, EventKind, Procedure
from murojaat.core.models import CalendarOverride
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


def at(*moment: int) -> datetime:
    return datetime(*moment, tzinfo=TASHKENT)


def test_received_at_17_59_on_a_working_day_is_registered_and_counted_that_day_per_l_2(
    ministry: Ministry,
) -> None:
    with time_machine.travel(at(2026, 11, 16, 18, 0), tick=False):
        appeal = register(received=at(2026, 11, 16, 17, 59))
    assert appeal.received_at == at(2026, 11, 16, 17, 59)
    assert appeal.due_start == date(2026, 11, 16)
    assert appeal.due_date == date(2026, 11, 30)  # 13 calendar days (R-P2-11)
    assert appeal.registered_at.astimezone(TASHKENT).date() == date(2026, 11, 16)


def test_received_at_18_01_is_registered_and_counted_from_the_next_working_day_per_l_2(
    ministry: Ministry,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        registered = register(received=at(2026, 11, 16, 18, 1))
    # Issue 9 §4: the registration moment is written with the row, not by a second UPDATE.
    assert not [
        q for q in queries.captured_queries if q["sql"].startswith('UPDATE "appeals_appeal"')
    ]
    appeal = Appeal.objects.get(pk=registered.pk)
    assert appeal.received_at == at(2026, 11, 16, 18, 1)  # the true time stays
    assert appeal.due_start == date(2026, 11, 17)
    assert appeal.due_date == date(2026, 11, 30)  # 17 + 13 days
    assert appeal.registered_at == at(2026, 11, 17, 9, 0)  # the opening of that day
    event = Event.objects.get(appeal=appeal, kind=EventKind.REGISTERED)
    assert event.data["registered_on"] == "2026-11-17"


@pytest.mark.parametrize("day", [21, 22])
def test_received_at_the_weekend_is_counted_from_monday_per_l_2(
    ministry: Ministry, day: int
) -> None:
    appeal = register(received=at(2026, 11, day, 10, 0))
    assert appeal.due_start == date(2026, 11, 23)
    assert appeal.due_date == date(2026, 12, 7)  # 6 December is a Sunday (L-3)


def test_received_on_a_public_holiday_is_counted_from_the_next_working_day_per_l_2(
    ministry: Ministry,
) -> None:
    appeal = register(received=at(2026, 9, 1, 11, 0))  # Independence Day, a Tuesday
    assert appeal.due_start == date(2026, 9, 2)


def test_received_on_a_day_off_of_the_overrides_table_is_counted_after_it_per_l_2(
    ministry: Ministry,
) -> None:
    CalendarOverride.objects.create(
        day=date(2026, 11, 18), kind="day_off", reason_en="Extra day off"
    )
    assert register(received=at(2026, 11, 18, 10, 0)).due_start == date(2026, 11, 19)
    assert register(received=at(2026, 11, 17, 18, 30)).due_start == date(2026, 11, 19)


def test_received_on_a_saturday_made_working_is_counted_from_that_saturday_per_l_2(
    ministry: Ministry,
) -> None:
    CalendarOverride.objects.create(day=date(2026, 11, 21), kind="working_day")
    assert register(received=at(2026, 11, 21, 10, 0)).due_start == date(2026, 11, 21)
    assert register(received=at(2026, 11, 20, 19, 0)).due_start == date(2026, 11, 21)


def test_the_end_of_the_working_day_is_the_procedures_data(ministry: Ministry) -> None:
    Procedure.objects.filter(channel="hotline").update(working_day_ends=time(20, 0))
    hotline = register("hotline", received=at(2026, 11, 16, 19, 30))
    assert hotline.due_start == date(2026, 11, 16)
    post = register("president_vr", received=at(2026, 11, 16, 19, 30))
    assert post.due_start == date(2026, 11, 17)


def test_a_working_day_cannot_end_before_it_starts() -> None:
    procedure = Procedure(
        code="x", channel="post", working_day_starts=time(18, 0), working_day_ends=time(9, 0)
    )
    with pytest.raises(ValidationError) as caught:
        procedure.clean()
    assert "working_day_ends" in caught.value.message_dict


def test_an_appeal_received_on_new_years_eve_after_hours_is_numbered_in_the_new_year(
    ministry: Ministry,
) -> None:
    # 31 December 2026 is a transferred day off, 1-3 January 2027 are off: Monday 4 January.
    appeal = register(received=at(2026, 12, 31, 23, 0))
    assert (appeal.number, appeal.due_start) == ("PV-2027-000001", date(2027, 1, 4))


def test_the_appeals_due_date_explains_an_after_hours_receipt(ministry: Ministry) -> None:
    appeal = register(received=at(2026, 11, 20, 18, 1))
    text = services.appeal_due(Appeal.objects.get(pk=appeal.pk)).explain()
    assert text.startswith(
        "Received after working hours on 20 Nov 2026 at 18:01; counted from the next working "
        "day, 23 Nov 2026. The deadline started on 23 Nov 2026."
    )


def test_the_case_page_shows_the_explanation(ministry: Ministry, client: Client) -> None:
    appeal = register(received=at(2026, 11, 20, 18, 1))
    client.force_login(ministry.wg_member)
    page = client.get(reverse("appeals:detail", args=[appeal.number]))
    assert "Received after working hours on 20 Nov 2026 at 18:01" in page.content.decode()


def test_an_appeal_within_hours_explains_nothing_about_its_receipt(ministry: Ministry) -> None:
    appeal = register(received=at(2026, 11, 16, 10, 0))
    assert not services.appeal_due(appeal).explain().startswith("Received")


def test_a_registration_day_made_a_day_off_later_moves_to_the_next_working_day_l_2(
    ministry: Ministry,
) -> None:
    """Received on a Saturday, the appeal waits for Monday; a day off declared for that Monday
    before it comes registers the appeal on Tuesday and starts its deadlines there."""
    import time_machine

    from murojaat.appeals.services import timing

    with time_machine.travel(at(2026, 11, 21, 15, 0), tick=False):
        appeal = register(received=at(2026, 11, 21, 14, 0))
        (top,) = services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
        )
        assert appeal.due_start == date(2026, 11, 23)
        CalendarOverride.objects.create(
            day=date(2026, 11, 23), kind="day_off", reason_en="Transferred day off"
        )
        timing.recompute_running_deadlines()
    appeal.refresh_from_db()
    top.refresh_from_db()
    assert appeal.due_start == date(2026, 11, 24)
    assert appeal.registered_at.astimezone(TASHKENT) == at(2026, 11, 24, 9, 0)
    assert top.due_start == date(2026, 11, 24)
    assert top.due_date == appeal.due_date == date(2026, 12, 7)  # Sun 6 Dec would be off too
    explained = services.appeal_due(appeal).explain()
    assert "24 Nov 2026" in explained
    moved = Event.objects.get(appeal=appeal, kind=EventKind.DEADLINES_MOVED, assignment=None)
    assert moved.data["moved"] == {"registered_on": ["2026-11-23", "2026-11-24"]}


def test_a_registration_day_already_begun_stays_when_it_is_declared_off_later_l_2(
    ministry: Ministry,
) -> None:
    import time_machine

    from murojaat.appeals.services import timing

    with time_machine.travel(at(2026, 11, 21, 15, 0), tick=False):
        appeal = register(received=at(2026, 11, 21, 14, 0))
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        CalendarOverride.objects.create(day=date(2026, 11, 23), kind="day_off")
        timing.recompute_running_deadlines()
    appeal.refresh_from_db()
    assert appeal.due_start == date(2026, 11, 23)
    assert not Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINES_MOVED).exists()
