"""One consolidated answer by the lead (R-P2-5, R-P3-4): a co-executor's part is never the answer
sent to the source, never closes the appeal on its own, and a rejection reopens the lead."""

from __future__ import annotations

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import AppealState, AssignmentState, Outcome, Topic
from murojaat.core.errors import DomainError
from tests.appeals.helpers import register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db


def _deputy(m: Ministry):
    return make_user("deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari")


def _answer(executor, signer, assignment, text: str, codes: tuple[str, ...]) -> None:
    services.accept_assignment(actor=executor, assignment=assignment)
    services.draft_answer(
        actor=executor,
        assignment=assignment,
        text=text,
        outcomes=[
            services.OutcomeInput(Topic.objects.get(code=c), Outcome.SATISFIED) for c in codes
        ],
    )
    services.sign_answer(actor=signer, assignment=assignment)
    services.submit_answer(actor=executor, assignment=assignment)


def _routed_with_co_executor(m: Ministry, channel: str = "minister_vr"):
    appeal = register(channel, topics=("quality-of-care", "medicines"))
    lead, co = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        co_executors=[m.main_directorate_2],
    )
    return appeal, lead, co


def test_the_final_answer_is_the_lead_s_consolidation_not_a_co_executor_s_part_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m)
    appeal, lead, co = _routed_with_co_executor(m)
    # The co-executor's part goes to the lead, who consolidates it.
    _answer(m.md2_executor, deputy, co, "CO part: medicines", ("medicines",))
    services.accept_answer(actor=m.md_executor, assignment=co)
    _answer(m.md_executor, deputy, lead, "LEAD consolidated", ("quality-of-care", "medicines"))
    services.accept_answer(actor=m.wg_member, assignment=lead)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ANSWER_READY
    assert services.final_answer(appeal).text == "LEAD consolidated"
    assert services.answer_payload(appeal, services.final_answer(appeal))["text"] == (
        "LEAD consolidated"
    )


def test_a_co_executor_s_part_alone_never_makes_the_appeal_answer_ready_r_p2_5_r_p3_4(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m)
    appeal, lead, co = _routed_with_co_executor(m)
    services.return_assignment(actor=m.md_executor, assignment=lead, reason="Bizniki emas")
    _answer(m.md2_executor, deputy, co, "CO part only", ("medicines",))
    # No lead in work: the working group holds the part until it names a new lead.
    services.accept_answer(actor=m.wg_member, assignment=co)
    appeal.refresh_from_db()
    assert appeal.state != AppealState.ANSWER_READY
    assert services.final_answer(appeal) is None
    with pytest.raises(DomainError):
        services.send_answer(actor=m.wg_member, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.state != AppealState.CLOSED


def test_the_working_group_does_not_take_a_co_executor_s_part_while_a_lead_consolidates_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m)
    appeal, lead, co = _routed_with_co_executor(m)
    _answer(m.md2_executor, deputy, co, "CO part", ("medicines",))
    with pytest.raises(DomainError) as err:
        services.accept_answer(actor=m.wg_member, assignment=co)
    assert err.value.code == "consolidated_by_lead"


def test_the_lead_submits_only_after_the_co_executors_named_by_the_group_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m)
    appeal, lead, co = _routed_with_co_executor(m)
    with pytest.raises(DomainError) as err:
        _answer(m.md_executor, deputy, lead, "Too early", ("quality-of-care", "medicines"))
    assert err.value.code == "children_open"
    lead.refresh_from_db()
    assert lead.state == AssignmentState.ACCEPTED


def test_the_source_s_rejection_reopens_the_lead_not_the_co_executor_r_p2_10(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m)
    appeal, lead, co = _routed_with_co_executor(m, channel="president_vr")
    appeal.procedure.requires_author_feedback = False
    appeal.procedure.save()
    _answer(m.md2_executor, deputy, co, "CO part", ("medicines",))
    services.accept_answer(actor=m.md_executor, assignment=co)
    _answer(m.md_executor, deputy, lead, "LEAD", ("quality-of-care", "medicines"))
    services.accept_answer(actor=m.wg_member, assignment=lead)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)
    services.source_rejects_answer(appeal=appeal, reason="Toʻliq emas", as_source=True)
    lead.refresh_from_db()
    co.refresh_from_db()
    assert lead.state == AssignmentState.ACCEPTED
    assert co.state == AssignmentState.DONE
