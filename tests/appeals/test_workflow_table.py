"""The transition tables, exhaustively: every state x action is allowed or refused by name."""

from __future__ import annotations

import pytest

from murojaat.appeals import workflow
from murojaat.appeals.models import AppealState, AssignmentState

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


def test_only_the_working_group_routes_and_only_the_source_or_group_acknowledges_r_p2_10() -> None:
    assert workflow.appeal_transition("new", "route").sides == {"wg"}
    assert workflow.appeal_transition("sent_to_source", "acknowledge").sides == {"source", "wg"}
    assert workflow.assignment_transition("accepted", "sign_answer").sides == {"signer"}
    assert workflow.assignment_transition("answered", "accept_answer").sides == {"sender", "lead"}


@pytest.mark.parametrize(
    ("closure_mode", "next_state"),
    [("source_ack", "sent_to_source"), ("on_answer", "closed")],
)
def test_sending_the_answer_leads_where_the_procedure_closes_r_p2_10_r_p3_2(
    closure_mode: str, next_state: str
) -> None:
    transition = workflow.appeal_transition("answer_ready", "send_answer", closure_mode)
    assert transition.next_state == next_state
