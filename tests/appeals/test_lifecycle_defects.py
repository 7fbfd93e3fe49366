"""Lifecycle defects found by cases nobody here wrote (issue 10, item 13).

Dates are chosen so a wrong rule gives a different day: a receiver's "fresh day" after a late
routing, the window counted from registration alone, and the procedure's new rule applied to a
running deadline each land on another date than the rule pinned here.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import (
    Answer,
    AnswerState,
    Assignment,
    AssignmentRole,
    Event,
    EventKind,
    Procedure,
    Violation,
    ViolationKind,
)
from murojaat.appeals.selectors.inbox import awaiting_feedback
from murojaat.core.errors import DomainError, PermissionDenied
from murojaat.core.models import CalendarOverride
from murojaat.reports.facts import VIOLATION, month_facts
from tests.appeals.helpers import PDF, TASHKENT, every_outcome, register
from tests.factories import Ministry, make_user

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)


def _at(day: int, hour: int = 11) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=TASHKENT)


def _route(m: Ministry, on: datetime, **kwargs) -> tuple[Assignment, ...]:
    with time_machine.travel(on, tick=False):
        appeal = register(received=MONDAY)
        return tuple(services.route_appeal(actor=m.wg_member, appeal=appeal, **kwargs))


# --- late routing (R-P2-2, R-P2-11) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("routed_on", "accept_by", "late"),
    [
        # Routed the day of registration: the receiver has the rest of the one day (Tue 17).
        (16, date(2026, 11, 17), False),
        # Routed Tuesday: the group missed its same day; the receiver still has Tuesday, the end
        # of the one day (a fresh day would say Wed 18).
        (17, date(2026, 11, 17), True),
        # Routed Wednesday: the one day is gone. The receiver accepts the day it got the appeal
        # (a fresh day would say Thu 19; the window alone Tue 17, already past).
        (18, date(2026, 11, 18), True),
    ],
)
def test_late_routing_is_the_working_group_s_violation_not_a_fresh_day_r_p2_11(
    ministry: Ministry, routed_on: int, accept_by: date, late: bool
) -> None:
    m = ministry
    with time_machine.travel(MONDAY, tick=False):
        appeal = register(received=MONDAY)
    with time_machine.travel(_at(routed_on), tick=False):
        top, co = services.route_appeal(
            actor=m.wg_member,
            appeal=appeal,
            to_org=m.main_directorate,
            co_executors=[m.main_directorate_2],
        )
    assert top.accept_due == co.accept_due == accept_by
    violations = Violation.objects.filter(kind=ViolationKind.LATE_ROUTING)
    if not late:
        assert not violations.exists()
        return
    # One violation, on the lead's hop, recorded against the working group, due Monday.
    (v,) = violations
    assert (v.org, v.assignment, v.due_date) == (m.working_group, top, date(2026, 11, 16))
    (event,) = Event.objects.filter(appeal=appeal, kind=EventKind.ROUTED_LATE)
    assert event.target_org == m.working_group and event.assignment == top
    # The receivers are not blamed for it: no missed deadline of theirs, and accepting on the
    # day they were given records nothing.
    assert not Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINE_MISSED).exists()
    with time_machine.travel(datetime.combine(accept_by, datetime.min.time(), TASHKENT)):
        services.accept_assignment(actor=m.md_executor, assignment=top)
    assert not Violation.objects.exclude(kind=ViolationKind.LATE_ROUTING).exists()


def test_a_late_routing_shows_on_the_timeline_and_counts_for_the_group_r_p2_13(
    ministry: Ministry, client: Client
) -> None:
    m = ministry
    (top,) = _route(m, _at(18), to_org=m.regional_a)
    with time_machine.travel(_at(18, 12)):
        client.force_login(m.wg_member)
        html = client.get(reverse("appeals:detail", args=[top.appeal.number])).content.decode()
    assert "Routed late by the working group" in html
    facts = [f for f in month_facts(2026, 11) if f.metric == VIOLATION]
    assert [(f.key, f.org_id) for f in facts] == [(ViolationKind.LATE_ROUTING, m.working_group.pk)]


def test_the_group_explains_its_late_routing_the_receiver_cannot_r_p2_11(
    ministry: Ministry,
) -> None:
    m = ministry
    (top,) = _route(m, _at(18), to_org=m.regional_a)
    v = Violation.objects.get(kind=ViolationKind.LATE_ROUTING)
    with pytest.raises(PermissionDenied):
        services.explain_delay(actor=m.regional_executor, violation=v, text="Bizda emas")
    services.explain_delay(actor=m.wg_member, violation=v, text="Tizim ishlamadi")
    v.refresh_from_db()
    assert v.explanation == "Tizim ishlamadi"


def test_a_returned_appeal_s_same_day_counts_from_its_return_r_p2_3(ministry: Ministry) -> None:
    m = ministry
    (top,) = _route(m, _at(16), to_org=m.regional_a)
    appeal = top.appeal
    with time_machine.travel(_at(18), tick=False):  # returned Wednesday
        services.return_assignment(actor=m.regional_executor, assignment=top, reason="Bizda emas")
    with time_machine.travel(_at(18, 15), tick=False):  # routed again the same day: on time
        (again,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_b)
    assert again.accept_due == date(2026, 11, 19)
    assert not Violation.objects.filter(kind=ViolationKind.LATE_ROUTING).exists()
    services.recall_assignment(actor=m.wg_member, assignment=again, reason="Xato")
    with time_machine.travel(_at(20), tick=False):  # recalled Wed, routed again on Friday
        (third,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    (v,) = Violation.objects.filter(kind=ViolationKind.LATE_ROUTING)
    assert (v.assignment, v.due_date) == (third, date(2026, 11, 18))
    assert third.accept_due == date(2026, 11, 20)


def test_the_inbox_flags_late_routing_by_the_registration_day_not_the_receipt_l_2(
    ministry: Ministry, client: Client
) -> None:
    # Received Monday 16 Nov at 19:00, after hours: registered Tuesday 17. On Tuesday it is not
    # late yet (a rule reading the receipt's day would say it is); on Wednesday it is.
    with time_machine.travel(_at(16, 19), tick=False):
        appeal = register(received=_at(16, 19))
    url = reverse("appeals:inbox") + "?tab=routing"
    for day, late in ((17, False), (18, True)):
        with time_machine.travel(_at(day)):
            client.force_login(ministry.wg_member)
            html = client.get(url).content.decode()
        assert appeal.number in html
        assert ('<span class="badge text-bg-danger ms-1">late</span>' in html) is late, day


# --- a running deadline keeps its rule (R-P2-11, L-3) ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_editing_the_procedure_does_not_rewrite_a_running_deadline_or_its_explanation_l_3(
    ministry: Ministry, client: Client
) -> None:
    m = ministry
    with time_machine.travel(_at(18, 10), tick=False):
        appeal = register()  # Wed 18 Nov: 13 calendar days is Tue 1 Dec
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    assert top.due_date == date(2026, 12, 1)
    # The administrator switches the procedure to working days while the deadline runs: by the
    # new rule 13 working days from Wed 18 Nov would be Mon 7 Dec.
    procedure = Procedure.objects.get(channel="president_vr")
    procedure.deadline_unit = "working"
    procedure.save()
    # An unrelated calendar edit (a day off after the deadline) recomputes running deadlines.
    CalendarOverride.objects.create(
        day=date(2026, 12, 25), kind="day_off", reason_en="Unrelated day off"
    )
    top.refresh_from_db()
    appeal.refresh_from_db()
    assert top.due_date == appeal.due_date == date(2026, 12, 1)
    assert not Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINES_MOVED).exists()
    for due in (services.assignment_due(top), services.appeal_due(appeal)):
        assert due.due == date(2026, 12, 1)
        assert "13 calendar days" in due.explain()
    with time_machine.travel(_at(19)):
        client.force_login(m.regional_executor)
        html = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert "13 calendar days" in html and "13 working days" not in html
    # New appeals start under the edited rule: 13 working days from Wed 18 Nov is Mon 7 Dec.
    with time_machine.travel(_at(18, 10), tick=False):
        later = register(author_name="Boshqa muallif")
    assert later.due_date == date(2026, 12, 7)
    assert "13 working days" in services.appeal_due(later).explain()


@pytest.mark.django_db(transaction=True)
def test_a_calendar_edit_moves_a_running_deadline_by_its_own_rule_with_an_event_l_3(
    ministry: Ministry,
) -> None:
    m = ministry
    with time_machine.travel(_at(18, 10), tick=False):
        appeal = register()
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    Procedure.objects.filter(channel="president_vr").update(deadline_unit="working")
    # Tue 1 Dec declared off: the calendar-days deadline rolls to Wed 2 Dec (by working days it
    # would be Tue 8 Dec), and the move is recorded.
    CalendarOverride.objects.create(day=date(2026, 12, 1), kind="day_off", reason_en="Decree")
    top.refresh_from_db()
    assert top.due_date == date(2026, 12, 2)
    due = services.assignment_due(top)
    assert due.due == top.due_date and "Decree" in due.explain()
    assert "13 calendar days" in due.explain()
    assert Event.objects.filter(appeal=appeal, kind=EventKind.DEADLINES_MOVED).exists()


# --- the author's feedback (R-P2-8) ------------------------------------------------------------


def _deputy(m: Ministry):
    return make_user("deputy-fb", m.ministry, "deputy_minister", position="Vazir oʻrinbosari")


def test_a_co_executor_s_part_goes_up_without_the_author_s_feedback_r_p2_8(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m)
    appeal = register(topics=("quality-of-care", "medicines"))  # President's procedure
    lead, co = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        co_executors=[m.main_directorate_2],
    )
    assert co.role == AssignmentRole.CO_EXECUTOR
    services.accept_assignment(actor=m.md2_executor, assignment=co)
    services.draft_answer(
        actor=m.md2_executor, assignment=co, text="Dori taʼminoti boʻyicha qism.",
        outcomes=every_outcome(appeal)[:1],
    )  # fmt: skip
    assert not services.needs_author_feedback(co)
    # Nor does the inbox's "awaiting the author's feedback" queue list the part.
    assert co not in awaiting_feedback(Assignment.objects.all())
    services.sign_answer(actor=deputy, assignment=co)
    services.submit_answer(actor=m.md2_executor, assignment=co)
    # The one consolidated letter still needs it, before the signature.
    services.accept_assignment(actor=m.md_executor, assignment=lead)
    services.draft_answer(
        actor=m.md_executor, assignment=lead, text="Yigʻma javob.", outcomes=every_outcome(appeal)
    )
    assert lead in awaiting_feedback(Assignment.objects.all())
    with pytest.raises(DomainError) as err:
        services.sign_answer(actor=deputy, assignment=lead)
    assert err.value.code == "feedback_missing"


def test_the_sign_button_waits_for_the_author_s_feedback_r_p2_8(
    ministry: Ministry, client: Client
) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.draft_answer(
        actor=m.regional_executor,
        assignment=top,
        text="Javob.",
        feedback_form="thanks",
        outcomes=every_outcome(appeal),
    )
    client.force_login(m.regional_head)
    url = reverse("appeals:detail", args=[appeal.number])
    html = client.get(url).content.decode()
    assert f'id="sign_answer-{top.pk}"' not in html
    assert "Before the signature:" in html and "Attach the author" in html
    # The feedback letter attached: the same predicate now lets the head sign.
    services.add_document(
        actor=m.regional_executor,
        appeal=appeal,
        assignment=top,
        kind="feedback",
        name="tashakkurnoma.pdf",
        content=PDF,
    )
    html = client.get(url).content.decode()
    assert f'id="sign_answer-{top.pk}"' in html and "Before the signature:" not in html
    services.sign_answer(actor=m.regional_head, assignment=top)
    assert Answer.objects.get(assignment=top).state == AnswerState.SIGNED


# --- the 10-day guidance (R-P2-11) ------------------------------------------------------------

TUESDAY = datetime(2026, 11, 17, 10, 0, tzinfo=TASHKENT)


def test_the_guidance_date_is_ten_days_counted_like_the_deadline_r_p2_11(
    ministry: Ministry,
) -> None:
    with time_machine.travel(TUESDAY, tick=False):
        appeal = register(received=TUESDAY)
    # From Tue 17 Nov: 10 days is Fri 27 Nov (9 would be Thu 26, 11 Sat 28 -> Mon 30).
    within = services.guidance_for(appeal, date(2026, 11, 27))
    past = services.guidance_for(appeal, date(2026, 11, 28))
    assert within is not None and past is not None
    assert (within.day, within.days, within.past, past.past) == (
        date(2026, 11, 27),
        10,
        False,
        True,
    )
    # A term no longer than the guidance has nothing to add.
    Appeal = type(appeal)
    Appeal.objects.filter(pk=appeal.pk).update(due_days=10)
    appeal.refresh_from_db()
    assert services.guidance_for(appeal, date(2026, 11, 20)) is None


GUIDANCE_WORDS = {
    "en": ("within guidance", "past guidance"),
    "uz": ("tavsiya muddatida", "tavsiya muddatidan oʻtgan"),
    "uz-cyrl": ("тавсия муддатида", "тавсия муддатидан ўтган"),
    "ru": ("в рекомендуемый срок", "рекомендуемый срок пройден"),
}


@pytest.mark.parametrize("language", list(GUIDANCE_WORDS))
def test_the_guidance_shows_beside_the_deadline_on_the_page_and_in_the_inbox_r_p2_11(
    ministry: Ministry, client: Client, language: str
) -> None:
    m = ministry
    with time_machine.travel(TUESDAY, tick=False):
        appeal = register(received=TUESDAY)
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    within, past = GUIDANCE_WORDS[language]
    client.cookies["django_language"] = language
    detail = reverse("appeals:detail", args=[appeal.number])
    inbox = reverse("appeals:inbox") + "?tab=to_accept"
    for day, words, other in ((27, within, past), (30, past, within)):
        with time_machine.travel(_at(day)):
            client.force_login(m.regional_executor)
            page = client.get(detail).content.decode()
            rows = client.get(inbox).content.decode()
        assert 'id="guidance"' in page
        shown, hidden = f">{words}</span>", f">{other}</span>"
        assert shown in page and shown in rows, (language, day)
        assert hidden not in rows and hidden not in page, (language, day)
        assert appeal.number in rows


def test_another_organisation_sees_no_guidance_row_of_an_appeal_it_may_not_read(
    ministry: Ministry, client: Client
) -> None:
    m = ministry
    with time_machine.travel(TUESDAY, tick=False):
        appeal = register(received=TUESDAY)
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    other = make_user("other-exec", m.regional_b, "executor")
    with time_machine.travel(_at(27)):
        client.force_login(other)
        rows = client.get(reverse("appeals:inbox") + "?tab=to_accept").content.decode()
        page = client.get(reverse("appeals:detail", args=[appeal.number]))
    assert appeal.number not in rows and "within guidance" not in rows
    assert page.status_code == 404
