"""L-9 in the services, not only the form: an answer is signed and goes up only with an outcome
for every issue the appeal raises."""

from __future__ import annotations

import pytest

from murojaat.appeals import services
from murojaat.appeals.models import Outcome, Topic
from murojaat.core.errors import DomainError
from tests.appeals.helpers import every_outcome, register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db


def _accepted_at_centre(m: Ministry, topics: tuple[str, ...]):
    appeal = register("minister_vr", topics=topics)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    return appeal, top, make_user("centrehead", m.centre, "head")


def test_an_answer_missing_an_issue_s_outcome_is_not_signed_l_9(ministry: Ministry) -> None:
    m = ministry
    appeal, top, head = _accepted_at_centre(m, ("quality-of-care", "medicines"))
    services.draft_answer(
        actor=m.centre_executor,
        assignment=top,
        text="Faqat bitta masala",
        outcomes=[
            services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
        ],
    )
    with pytest.raises(DomainError) as err:
        services.sign_answer(actor=head, assignment=top)
    assert err.value.code == "outcomes_missing" and err.value.field == "outcomes"
    assert Topic.objects.get(code="medicines").name in str(err.value)
    services.draft_answer(
        actor=m.centre_executor,
        assignment=top,
        text="Ikkala masala",
        outcomes=every_outcome(appeal),
    )
    services.sign_answer(actor=head, assignment=top)


def test_an_appeal_without_topics_needs_an_outcome_for_the_whole_appeal_l_9(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal, top, head = _accepted_at_centre(m, ())
    services.draft_answer(actor=m.centre_executor, assignment=top, text="Javob")
    with pytest.raises(DomainError) as err:
        services.sign_answer(actor=head, assignment=top)
    assert err.value.code == "outcomes_missing"


def test_an_issue_added_after_signing_stops_the_answer_going_up_l_9(ministry: Ministry) -> None:
    m = ministry
    appeal, top, head = _accepted_at_centre(m, ("quality-of-care",))
    services.draft_answer(
        actor=m.centre_executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
    )
    services.sign_answer(actor=head, assignment=top)
    appeal.topics.add(Topic.objects.get(code="medicines"))
    with pytest.raises(DomainError) as err:
        services.submit_answer(actor=m.centre_executor, assignment=top)
    assert err.value.code == "outcomes_missing"


def test_a_co_executor_s_part_records_the_outcome_of_its_issue_l_9_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register("minister_vr", topics=("quality-of-care", "medicines"))
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
    services.accept_assignment(actor=m.md_executor, assignment=top)
    (co,) = services.involve_co_executors(
        actor=m.md_executor, assignment=top, orgs=[m.main_directorate_2]
    )
    services.accept_assignment(actor=m.md2_executor, assignment=co)
    services.draft_answer(actor=m.md2_executor, assignment=co, text="Dori masalasi")
    deputy = make_user("deputy", m.ministry, "deputy_minister")
    with pytest.raises(DomainError) as err:
        services.sign_answer(actor=deputy, assignment=co)
    assert err.value.code == "outcomes_missing"
    services.draft_answer(
        actor=m.md2_executor,
        assignment=co,
        text="Dori masalasi",
        outcomes=[services.OutcomeInput(Topic.objects.get(code="medicines"), Outcome.EXPLAINED)],
    )
    services.sign_answer(actor=deputy, assignment=co)
