"""Appeals in every inbox state, for the workspace and dashboard tests (region A and region B)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import time_machine

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Assignment, Outcome, Topic
from tests.appeals.helpers import PDF, TASHKENT, register
from tests.factories import Ministry, make_user

TODAY = date(2026, 11, 18)  # a Wednesday


def at(day: date, hour: int = 11):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=TASHKENT), tick=False
    )


def received(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TASHKENT)


@dataclass
class Scenario:
    new_today: Appeal
    new_late: Appeal
    at_association: Appeal  # region A: rd-1727 forwarded to tma-1727237, sent, not accepted
    child: Assignment
    top: Assignment
    in_work_b: Appeal  # region B: accepted by rd-1718
    top_b: Assignment
    answered: Appeal  # region A, answered by the main directorate, awaiting the wg
    answered_top: Assignment
    returned: Appeal  # returned by the centre to the wg


def build(m: Ministry) -> Scenario:
    """Everything happens on 16-18 Nov 2026; callers travel to TODAY to look at it."""
    region_a = {"author_region_id": m.region_a.pk, "author_district_id": m.district_a.pk}
    region_b = {"author_region_id": m.region_b.pk, "author_district_id": m.district_b.pk}
    rd_b_exec = make_user("rdbexec", m.regional_b, "executor")
    deputy = make_user("deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari")
    with at(date(2026, 11, 16)):
        new_late = register(
            received=received(date(2026, 11, 16)),
            text="Kasalxonada dori yoʻq, Urgut.",
            author_name="Late Author",
            author_phone="+998 71 000-11-22",
            **region_b,
        )
        at_association = register(
            received=received(date(2026, 11, 16)),
            author_name="Karimova Dilnoza",
            text="Poliklinikada shifokor qabul qilmadi, navbat uch kun.",
            **region_a,
        )
        (top,) = services.route_appeal(
            actor=m.wg_member, appeal=at_association, to_org=m.regional_a
        )
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        child = services.forward_assignment(
            actor=m.regional_executor, assignment=top, to_org=m.association_a
        )
        in_work_b = register(
            received=received(date(2026, 11, 16)),
            author_name="Samarqandlik Bemor",
            author_phone="+998915550000",
            text="Urgut tumanida tez yordam kech keldi.",
            **region_b,
        )
        (top_b,) = services.route_appeal(actor=m.wg_member, appeal=in_work_b, to_org=m.regional_b)
        services.accept_assignment(actor=rd_b_exec, assignment=top_b)
        answered = register(
            "minister_vr",
            received=received(date(2026, 11, 16)),
            author_name="Toshkentlik",
            text="Davolanish sifati haqida taklif.",
            **region_a,
        )
        (answered_top,) = services.route_appeal(
            actor=m.wg_member, appeal=answered, to_org=m.main_directorate
        )
        services.accept_assignment(actor=m.md_executor, assignment=answered_top)
        services.draft_answer(
            actor=m.md_executor,
            assignment=answered_top,
            text="Javob.",
            outcomes=[
                services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
            ],
        )
        services.sign_answer(actor=deputy, assignment=answered_top)
        services.submit_answer(actor=m.md_executor, assignment=answered_top)
        returned = register(
            "minister_vr", received=received(date(2026, 11, 16)), text="Yurak markazi.", **region_a
        )
        (ret_top,) = services.route_appeal(actor=m.wg_member, appeal=returned, to_org=m.centre)
        services.return_assignment(
            actor=m.centre_executor, assignment=ret_top, reason="Bizga tegishli emas"
        )
    with at(TODAY):
        new_today = register(
            received=received(TODAY),
            author_name="Каримова Дилноза",
            text="Шифокор қабул қилмади, навбат.",
            **region_a,
        )
    for a in (new_late, at_association, in_work_b, answered, returned, new_today):
        a.refresh_from_db()
    return Scenario(
        new_today=new_today,
        new_late=new_late,
        at_association=at_association,
        child=child,
        top=top,
        in_work_b=in_work_b,
        top_b=top_b,
        answered=answered,
        answered_top=answered_top,
        returned=returned,
    )


__all__ = ["PDF", "Scenario", "at", "build", "received", "TODAY"]
