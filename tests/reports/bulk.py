"""Many appeals in many states, for the query-count bounds (5 vs 50 must cost the same)."""

from __future__ import annotations

from datetime import date, timedelta

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, FeedbackForm, Outcome, Topic
from tests.appeals.helpers import PDF, register
from tests.factories import Ministry
from tests.reports.scenario import at, received

START = date(2026, 11, 2)


def make_appeals(m: Ministry, n: int) -> list[Appeal]:
    """n appeals of region A: a third waiting for routing, a third at the association (accepted,
    with an answer and feedback submitted), a third in work at the main directorate."""
    topics = list(Topic.objects.all()[:3])
    appeals = []
    for i in range(n):
        day = START + timedelta(days=i % 10)
        with at(day):
            appeal = register(
                "president_vr" if i % 2 else "minister_vr",
                received=received(day),
                topics=tuple(t.code for t in topics[: 1 + i % 3]),
                author_name=f"Muallif {i}",
                author_phone=f"+99890{i:07d}",
                text=f"Navbat va shifokor haqida murojaat {i}.",
                author_region_id=m.region_a.pk,
                author_district_id=m.district_a.pk,
            )
            if i % 3 == 1:
                (top,) = services.route_appeal(
                    actor=m.wg_member, appeal=appeal, to_org=m.regional_a
                )
                services.accept_assignment(actor=m.regional_executor, assignment=top)
                child = services.forward_assignment(
                    actor=m.regional_executor, assignment=top, to_org=m.association_a
                )
                services.accept_assignment(actor=m.association_executor, assignment=child)
                services.draft_answer(
                    actor=m.association_executor,
                    assignment=child,
                    text="Oʻrganildi.",
                    feedback_form=FeedbackForm.THANKS,
                    # L-9: an outcome for every issue the appeal raises.
                    outcomes=[
                        services.OutcomeInput(t, Outcome.SATISFIED) for t in topics[: 1 + i % 3]
                    ],
                )
                services.add_document(
                    actor=m.association_executor,
                    appeal=appeal,
                    assignment=child,
                    kind="feedback",
                    name="tashakkurnoma.pdf",
                    content=PDF,
                )
                services.sign_answer(actor=m.association_head, assignment=child)
                services.submit_answer(actor=m.association_executor, assignment=child)
            elif i % 3 == 2:
                (top,) = services.route_appeal(
                    actor=m.wg_member, appeal=appeal, to_org=m.main_directorate
                )
                services.accept_assignment(actor=m.md_executor, assignment=top)
        appeals.append(appeal)
    return appeals
