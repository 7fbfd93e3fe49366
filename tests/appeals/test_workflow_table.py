"""The transition tables, exhaustively: every state x action is allowed or refused by name."""

from __future__ import annotations

import pytest

from murojaat.appeals import services, workflow
from murojaat.appeals.models import Appeal, AppealState, Assignment, AssignmentState, Procedure
from murojaat.appeals.permissions import sides_of
from murojaat.appeals.services._common import _check_appeal, _check_assignment
from murojaat.core.errors import PermissionDenied
from tests.appeals.helpers import register
from tests.factories import make_user

ALLOWED_ASSIGNMENT = {
    ("sent", "accept"): "accepted",
    ("sent", "return"): "returned",
    ("accepted", "return"): "returned",
    ("accepted", "forward"): None,
    ("accepted", "involve"): None,
    ("sent", "set_executor"): None,
    ("accepted", "set_executor"): None,
    ("accepted", "draft_answer"): None,
    ("accepted", "sign_answer"): None,
    ("accepted", "submit_answer"): "answered",
    ("answered", "accept_answer"): "done",
    ("answered", "reject_answer"): "accepted",
    ("sent", "recall"): "cancelled",
    ("accepted", "recall"): "cancelled",
    ("answered", "recall"): "cancelled",
    ("accepted", "request_extension"): None,
    ("sent", "add_document"): None,
    ("accepted", "add_document"): None,
    ("answered", "add_document"): None,
    ("done", "add_document"): None,
}

ALLOWED_APPEAL = {
    ("new", "route"): "in_work",
    ("in_work", "route"): "in_work",
    ("new", "return_to_source"): "returned_to_source",
    ("new", "leave"): "left",
    ("in_work", "leave"): "left",
    ("answer_ready", "leave"): "left",
    ("new", "merge"): "merged",
    ("in_work", "merge"): "merged",
    ("new", "terminate"): "terminated",
    ("in_work", "terminate"): "terminated",
    ("answer_ready", "terminate"): "terminated",
    # Depends on the procedure: see the closure-mode test below.
    ("answer_ready", "send_answer"): None,
    ("sent_to_source", "acknowledge"): "closed",
    ("sent_to_source", "source_reject"): "in_work",
    ("closed", "reopen_for_review"): "in_work",  # L-8, the author's review request
}


@pytest.mark.parametrize("state", AssignmentState.values)
@pytest.mark.parametrize("action", list(workflow.ASSIGNMENT_ACTIONS))
def test_assignment_table_allows_exactly_the_order_s_transitions(state: str, action: str) -> None:
    key = (state, action)
    if key in ALLOWED_ASSIGNMENT:
        assert workflow.assignment_transition(state, action).next_state == ALLOWED_ASSIGNMENT[key]
    else:
        with pytest.raises(workflow.TransitionRefused) as err:
            workflow.assignment_transition(state, action)
        assert "You cannot" in str(err.value)
        assert str(AssignmentState(state).label) in str(err.value)


@pytest.mark.parametrize("state", AppealState.values)
@pytest.mark.parametrize("action", list(workflow.APPEAL_ACTIONS))
def test_appeal_table_allows_exactly_the_order_s_transitions(state: str, action: str) -> None:
    key = (state, action)
    if key in ALLOWED_APPEAL:
        assert workflow.appeal_transition(state, action).next_state == ALLOWED_APPEAL[key]
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.appeal_transition(state, action)


def test_final_appeal_states_allow_nothing_but_a_review_of_a_closed_answer_l_8() -> None:
    for state in ("returned_to_source", "left", "terminated", "merged"):
        assert workflow.appeal_actions_in(state) == []
    assert [a for a, _t in workflow.appeal_actions_in("closed")] == ["reopen_for_review"]


@pytest.mark.parametrize(
    ("closure_mode", "next_state"),
    [("source_ack", "sent_to_source"), ("on_answer", "closed")],
)
def test_sending_the_answer_leads_where_the_procedure_closes_r_p2_10_r_p3_2(
    closure_mode: str, next_state: str
) -> None:
    transition = workflow.appeal_transition("answer_ready", "send_answer", closure_mode)
    assert transition.next_state == next_state


# --- the table through the services' gate: every state x action x side ------------------------

ALL_SIDES = ("wg", "receiver", "sender", "lead", "signer", "source")


def _personas_on_a_forwarded_part(m):
    """A regional directorate forwarded the appeal to an association (R-P2-6)."""
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    personas = {
        # persona: (user, the sides the permission predicates must give them)
        "association executor": (m.association_executor, {"receiver"}),
        "association head": (m.association_head, {"receiver", "signer"}),
        "regional executor": (m.regional_executor, {"sender"}),
        "working group": (m.wg_member, {"wg"}),
        "outsider": (m.outsider, set()),
    }
    return child, personas


def _personas_on_a_co_executor_named_by_the_group(m):
    """The group named a lead and a co-executor (R-P2-5): the part goes to the lead."""
    appeal = register(topics=("quality-of-care", "medicines"))
    _lead, co = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        co_executors=[m.main_directorate_2],
    )
    personas = {
        "co-executor": (m.md2_executor, {"receiver"}),
        "lead executor": (m.md_executor, {"lead"}),
        "working group": (m.wg_member, {"wg", "sender"}),
        "deputy minister": (make_user("deputy", m.ministry, "deputy_minister"), {"signer"}),
        "outsider": (m.outsider, set()),
    }
    return co, personas


@pytest.mark.django_db
@pytest.mark.parametrize("state", AssignmentState.values)
@pytest.mark.parametrize(
    "shape", [_personas_on_a_forwarded_part, _personas_on_a_co_executor_named_by_the_group]
)
def test_every_assignment_action_is_allowed_to_its_sides_and_refused_by_code(
    ministry, state: str, shape
) -> None:
    """R-P2-2..R-P2-11: the services' gate applies the table to the sides the predicates give."""
    assignment, personas = shape(ministry)
    Assignment.objects.filter(pk=assignment.pk).update(state=state)
    assignment.refresh_from_db()
    for name, (user, expected_sides) in personas.items():
        user = type(user).objects.get(pk=user.pk)  # fresh role cache
        assert sides_of(user, assignment) == expected_sides, name
        for action in workflow.ASSIGNMENT_ACTIONS:
            allowed = workflow.ASSIGNMENT_TABLE.get((state, action))
            if allowed is None:
                with pytest.raises(workflow.TransitionRefused) as err:
                    _check_assignment(user, assignment, action)
                assert err.value.code == "transition_refused"
            elif not allowed.sides & expected_sides:
                with pytest.raises(PermissionDenied) as denied:
                    _check_assignment(user, assignment, action)
                assert denied.value.code == "forbidden", (name, action)
            else:
                assert _check_assignment(user, assignment, action) == allowed


@pytest.mark.django_db
@pytest.mark.parametrize("state", AppealState.values)
@pytest.mark.parametrize("closure_mode", ["source_ack", "on_answer"])
def test_every_appeal_action_is_allowed_to_its_sides_and_refused_by_code(
    ministry, state: str, closure_mode: str
) -> None:
    """R-P2-2, R-P2-10, L-5..L-7: the group acts on the appeal, the source confirms or rejects."""
    appeal = register()
    Procedure.objects.filter(pk=appeal.procedure_id).update(closure_mode=closure_mode)
    Appeal.objects.filter(pk=appeal.pk).update(state=state)
    appeal = Appeal.objects.select_related("procedure").get(pk=appeal.pk)
    actors = {
        "working group": (ministry.wg_member, False, {"wg"}),
        "source": (None, True, {"source"}),
        "executor": (ministry.regional_executor, False, set()),
    }
    for name, (user, as_source, sides) in actors.items():
        for action in workflow.APPEAL_ACTIONS:
            allowed = workflow.APPEAL_TABLE.get((state, action))
            if allowed is None:
                with pytest.raises(workflow.TransitionRefused) as err:
                    _check_appeal(user, appeal, action, as_source=as_source)
                assert err.value.code == "transition_refused"
            elif not allowed.sides & sides:
                with pytest.raises(PermissionDenied) as denied:
                    _check_appeal(user, appeal, action, as_source=as_source)
                assert denied.value.code == "forbidden", (name, action)
            else:
                got = _check_appeal(user, appeal, action, as_source=as_source)
                expected = (
                    dict(allowed.by_closure)[closure_mode]
                    if allowed.by_closure
                    else allowed.next_state
                )
                assert got.next_state == expected
                assert got.next_state is not None or ALLOWED_APPEAL[(state, action)] is None
