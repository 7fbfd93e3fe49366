"""Property-based random walks over the workflow: whatever anyone tries, in any order, the
appeal stays consistent. Refusals must be DomainErrors with a message, never crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from murojaat.appeals import services
from murojaat.appeals.models import (
    FINAL_APPEAL_STATES,
    OPEN_ASSIGNMENT_STATES,
    Answer,
    AnswerState,
    AppealState,
    AssignmentState,
    ExtensionRequest,
)
from murojaat.appeals.permissions import can_sign
from murojaat.core.errors import DomainError
from tests.appeals.helpers import PDF, register
from tests.factories import Ministry

ACTIONS = [
    "route",
    "accept",
    "return",
    "forward",
    "involve",
    "draft",
    "feedback",
    "sign",
    "submit",
    "accept_answer",
    "reject_answer",
    "recall",
    "request_extension",
    "decide_extension",
    "send_answer",
    "acknowledge",
    "source_reject",
    "terminate",
    "leave",
    "reroute",
]


def _perform(m: Ministry, appeal, action: str, who: int, pick: int) -> None:
    people = [
        m.wg_member,
        m.regional_executor,
        m.regional_head,
        m.association_executor,
        m.association_head,
        m.md_executor,
        m.md2_executor,
        m.centre_executor,
        m.outsider,
    ]
    actor = people[who % len(people)]
    assignments = list(appeal.assignments.order_by("pk"))
    a = assignments[pick % len(assignments)] if assignments else None
    appeal.refresh_from_db()
    if action in ("route", "reroute"):
        target = [m.regional_a, m.main_directorate, m.centre, m.regional_b][pick % 4]
        services.route_appeal(actor=actor, appeal=appeal, to_org=target)
    elif action == "send_answer":
        services.send_answer(actor=actor, appeal=appeal)
    elif action == "acknowledge":
        services.acknowledge_closure(appeal=appeal, as_source=True)
    elif action == "source_reject":
        services.source_rejects_answer(appeal=appeal, reason="Toʻliq emas", as_source=True)
    elif action == "terminate":
        services.terminate_appeal(actor=actor, appeal=appeal, ground="withdrawn")
    elif action == "leave":
        services.leave_without_consideration(actor=actor, appeal=appeal, ground="ZRU-445 29")
    elif action == "decide_extension":
        request = ExtensionRequest.objects.filter(assignment__appeal=appeal, state="pending")
        if request.exists():
            services.decide_extension(
                actor=actor, request=request.first(), approve=pick % 2 == 0, comment="Qaror"
            )
    elif a is None:
        return
    elif action == "accept":
        services.accept_assignment(actor=actor, assignment=a)
    elif action == "return":
        services.return_assignment(actor=actor, assignment=a, reason="Vakolatimizda emas")
    elif action == "forward":
        services.forward_assignment(actor=actor, assignment=a, to_org=m.association_a)
    elif action == "involve":
        services.involve_co_executors(actor=actor, assignment=a, orgs=[m.main_directorate_2])
    elif action == "draft":
        services.draft_answer(actor=actor, assignment=a, text="Javob", feedback_form="thanks")
    elif action == "feedback":
        services.add_document(
            actor=actor, appeal=appeal, assignment=a, kind="feedback", name="f.pdf", content=PDF
        )
    elif action == "sign":
        services.sign_answer(actor=actor, assignment=a)
    elif action == "submit":
        services.submit_answer(actor=actor, assignment=a)
    elif action == "accept_answer":
        services.accept_answer(actor=actor, assignment=a)
    elif action == "reject_answer":
        services.reject_answer(actor=actor, assignment=a, reason="Qayta ishlang")
    elif action == "recall":
        services.recall_assignment(actor=actor, assignment=a, reason="Boshqaga")
    elif action == "request_extension":
        services.request_extension(actor=actor, assignment=a, days=5, reason="Ekspertiza")


def _check_invariants(appeal) -> None:
    appeal.refresh_from_db()
    top = list(appeal.assignments.filter(parent__isnull=True).values_list("state", flat=True))
    open_any = appeal.assignments.filter(state__in=OPEN_ASSIGNMENT_STATES).exists()
    if appeal.state == AppealState.IN_WORK:
        assert any(s in OPEN_ASSIGNMENT_STATES for s in top)
    if appeal.state == AppealState.NEW:
        assert not any(s in OPEN_ASSIGNMENT_STATES for s in top)
    if appeal.state == AppealState.ANSWER_READY:
        assert AssignmentState.DONE in top and not any(s in OPEN_ASSIGNMENT_STATES for s in top)
    if appeal.state in FINAL_APPEAL_STATES:
        assert appeal.closed_at is not None
        assert not open_any or appeal.state == AppealState.CLOSED
    for assignment in appeal.assignments.select_related("org", "parent"):
        if assignment.state in (AssignmentState.ANSWERED, AssignmentState.DONE):
            answer = Answer.objects.get(assignment=assignment)
            assert answer.state == AnswerState.SIGNED
            assert can_sign(answer.signed_by, assignment)
        if assignment.parent is not None and assignment.parent.state in (
            AssignmentState.RETURNED,
            AssignmentState.CANCELLED,
            AssignmentState.DONE,
        ):
            assert assignment.state not in OPEN_ASSIGNMENT_STATES
    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds[0] == "registered"


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 8), st.integers(0, 5)),
        min_size=1,
        max_size=30,
    )
)
def test_random_walks_keep_the_appeal_consistent(ministry: Ministry, steps) -> None:
    appeal = register(channel="president_vr")
    events_seen = 1
    for action, who, pick in steps:
        try:
            _perform(ministry, appeal, action, who, pick)
        except DomainError as refusal:
            assert str(refusal).strip(), "a refusal must say why"
        _check_invariants(appeal)
        count = appeal.events.count()
        assert count >= events_seen, "events are append-only"
        events_seen = count
