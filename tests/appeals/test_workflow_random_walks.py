"""Property-based random walks over the workflow (issue 3, item 11).

At each step the walk lists the moves the transition table allows in the current states, picks
one, and performs it as a user the permission predicates put on an allowed side, with valid
input; most steps push the appeal forward, some take a detour (return, recall, rework, the
source's rejection, an extension, termination). Refusals by the services' guards (children
open, feedback missing, ...) are fine if they say why. After every step the invariants hold, and
across the run the walks must reach acceptance, forwarding, answers, signing, sending and
closing, so that a walk stuck at "sent" cannot pass unnoticed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from murojaat.appeals import services, workflow
from murojaat.appeals.models import (
    FINAL_APPEAL_STATES,
    OPEN_ASSIGNMENT_STATES,
    Answer,
    AnswerState,
    Appeal,
    AppealState,
    Assignment,
    AssignmentState,
    ExtensionRequest,
)
from murojaat.appeals.permissions import can_sign, sides_of
from murojaat.core.errors import DomainError
from tests.appeals.helpers import PDF, every_outcome, register
from tests.factories import Ministry, make_user

# Moves that take the appeal towards closure; the rest are detours.
PROGRESS = {
    "route",
    "accept",
    "forward",
    "involve",
    "draft_answer",
    "add_document",
    "sign_answer",
    "submit_answer",
    "accept_answer",
    "send_answer",
    "acknowledge",
}
# Ends the walk early: kept rare so that most walks can reach closure.
TERMINAL = {"leave", "terminate", "merge", "return_to_source"}


def _people(m: Ministry) -> list[Any]:
    return [
        m.wg_member,
        m.regional_executor,
        m.regional_head,
        m.association_executor,
        m.association_head,
        m.md_executor,
        m.md_head,
        m.md2_executor,
        m.centre_executor,
        make_user("centrehead", m.centre, "head"),
        make_user("deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari"),
        m.outsider,
    ]


def _moves(m: Ministry, appeal: Appeal, people: list[Any]) -> list[tuple[str, Any, Any]]:
    """(action, actor, assignment or None) for every move the table and predicates allow."""
    moves: list[tuple[str, Any, Any]] = []
    for action, transition in workflow.appeal_actions_in(appeal.state):
        if action in ("merge", "reopen_for_review"):
            continue  # a second appeal / the author's review request: covered by their stories
        if "source" in transition.sides and action in ("acknowledge", "source_reject"):
            moves.append((action, None, None))
        elif (
            action == "route"
            and appeal.assignments.filter(
                parent__isnull=True, role="executor", state__in=OPEN_ASSIGNMENT_STATES
            ).exists()
        ):
            continue  # a lead is in work: the services refuse a second one (tested elsewhere)
        elif "wg" in transition.sides:
            moves.append((action, people[0], None))
    for a in appeal.assignments.select_related("org", "appeal__procedure").order_by("pk"):
        step = _answer_step(a)
        # The lead first: a co-executor's part named by the group goes to it (R-P2-5).
        sides = sorted(
            ((person, sides_of(person, a)) for person in people), key=lambda ps: "lead" not in ps[1]
        )
        for action, transition in workflow.assignment_actions_in(a.state):
            if action in ANSWER_STEPS and action != step:
                continue  # one step of the answer at a time: draft, feedback, sign, submit
            if action == "forward" and (
                a.org_id != m.regional_a.pk
                or a.children.filter(state__in=OPEN_ASSIGNMENT_STATES).exists()
            ):
                continue  # only the region has an organisation below in this small ministry
            if action == "involve" and (
                a.org_id != m.main_directorate.pk
                or a.role != "executor"
                or appeal.assignments.filter(role="co_executor").exists()
            ):
                continue  # R-P2-5: the lead main directorate involves the other one, once
            for person, person_sides in sides:
                if transition.sides & person_sides:
                    moves.append((action, person, a))
                    break  # one actor per move is enough
    decidable = ExtensionRequest.objects.filter(
        assignment__appeal=appeal,
        state="pending",
        assignment__state__in=[AssignmentState.SENT, AssignmentState.ACCEPTED],
    ).first()
    if decidable is not None:
        moves.append(("decide_extension", people[0], decidable))
    return moves


ANSWER_STEPS = ("draft_answer", "add_document", "sign_answer", "submit_answer")


def _answer_step(a: Assignment) -> str | None:
    """The next step of an accepted assignment's answer."""
    if a.state != AssignmentState.ACCEPTED:
        return None
    answer = Answer.objects.filter(assignment=a).first()
    if answer is None:
        return "draft_answer"
    if answer.state == AnswerState.DRAFT:
        needs_feedback = (
            a.appeal.procedure.requires_author_feedback
            and not a.documents.filter(kind="feedback").exists()
        )
        return "add_document" if needs_feedback else "sign_answer"
    waiting = a.children.filter(state__in=OPEN_ASSIGNMENT_STATES).exists() or (
        a.parent_id is None
        and a.role == "executor"
        and a.appeal.assignments.filter(
            parent__isnull=True, role="co_executor", state__in=OPEN_ASSIGNMENT_STATES
        ).exists()
    )
    return None if waiting else "submit_answer"


def _perform(m: Ministry, appeal: Appeal, action: str, actor, target, pick: int) -> None:
    a = target
    if action == "route":
        orgs = [m.regional_a, m.main_directorate, m.centre]
        co = [m.main_directorate_2] if pick == 4 else []  # pick 1: the lead involves later
        services.route_appeal(actor=actor, appeal=appeal, to_org=orgs[pick % 3], co_executors=co)
    elif action == "return_to_source":
        services.return_to_source(actor=actor, appeal=appeal, reason="Vakolatga kirmaydi")
    elif action == "leave":
        services.leave_without_consideration(actor=actor, appeal=appeal, ground="ZRU-445 29")
    elif action == "terminate":
        services.terminate_appeal(actor=actor, appeal=appeal, ground="withdrawn")
    elif action == "send_answer":
        services.send_answer(actor=actor, appeal=appeal)
    elif action == "acknowledge":
        services.acknowledge_closure(appeal=appeal, as_source=True)
    elif action == "source_reject":
        services.source_rejects_answer(appeal=appeal, reason="Toʻliq emas", as_source=True)
    elif action == "decide_extension":
        services.decide_extension(actor=actor, request=a, approve=pick % 2 == 0, comment="Qaror")
    elif action == "accept":
        services.accept_assignment(actor=actor, assignment=a)
    elif action == "return":
        services.return_assignment(actor=actor, assignment=a, reason="Vakolatimizda emas")
    elif action == "forward":
        below = {m.regional_a.pk: m.association_a}.get(a.org_id)
        if below is None:
            raise DomainError("no organisation below in this ministry", code="nothing_below")
        services.forward_assignment(actor=actor, assignment=a, to_org=below)
    elif action == "involve":
        services.involve_co_executors(actor=actor, assignment=a, orgs=[m.main_directorate_2])
    elif action == "set_executor":
        services.set_executor(actor=actor, assignment=a, executor=actor)
    elif action == "draft_answer":
        services.draft_answer(
            actor=actor,
            assignment=a,
            text="Javob",
            feedback_form="thanks",
            outcomes=every_outcome(appeal),
        )
    elif action == "add_document":
        services.add_document(
            actor=actor, appeal=appeal, assignment=a, kind="feedback", name="f.pdf", content=PDF
        )
    elif action == "sign_answer":
        services.sign_answer(actor=actor, assignment=a)
    elif action == "submit_answer":
        services.submit_answer(actor=actor, assignment=a)
    elif action == "accept_answer":
        services.accept_answer(actor=actor, assignment=a)
    elif action == "reject_answer":
        services.reject_answer(actor=actor, assignment=a, reason="Qayta ishlang")
    elif action == "recall":
        services.recall_assignment(actor=actor, assignment=a, reason="Boshqaga")
    elif action == "request_extension":
        services.request_extension(actor=actor, assignment=a, days=5, reason="Ekspertiza")
    else:  # pragma: no cover - a new table action must be taught to the walk
        raise AssertionError(f"the walk does not know {action}")


def _check_invariants(appeal: Appeal, history: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    appeal.refresh_from_db()
    top = list(appeal.assignments.filter(parent__isnull=True))
    top_states = [a.state for a in top]
    open_top = [a for a in top if a.state in OPEN_ASSIGNMENT_STATES]
    if appeal.state == AppealState.IN_WORK:
        assert open_top
    if appeal.state == AppealState.NEW:
        assert not open_top
    if appeal.state == AppealState.ANSWER_READY:
        assert not open_top
        assert any(a.state == AssignmentState.DONE and a.role == "executor" for a in top)
    if appeal.state in FINAL_APPEAL_STATES:
        assert appeal.closed_at is not None
        # Closed, left, terminated...: nothing is still being worked on.
        assert not appeal.assignments.filter(state__in=OPEN_ASSIGNMENT_STATES).exists()
    if open_top:
        # R-P2-11: the appeal's clock is its latest open top-level assignment's.
        assert appeal.due_date == max(a.due_date for a in open_top)
    for a in appeal.assignments.select_related("org", "parent"):
        if a.state in (AssignmentState.ANSWERED, AssignmentState.DONE):
            answer = Answer.objects.get(assignment=a)
            assert answer.state == AnswerState.SIGNED
            assert can_sign(answer.signed_by, a)
        if a.parent is not None and a.parent.state in (
            AssignmentState.RETURNED,
            AssignmentState.CANCELLED,
            AssignmentState.DONE,
        ):
            assert a.state not in OPEN_ASSIGNMENT_STATES
    assert (
        AssignmentState.DONE not in top_states
        or appeal.state != AppealState.NEW
        or any(a.role == "co_executor" for a in top if a.state == AssignmentState.DONE)
    )
    # Events are append-only: what was written before is unchanged, in the same order.
    now = list(appeal.events.order_by("pk").values_list("pk", "kind", "at", "comment", "data"))
    assert now[: len(history)] == history, "an event was changed or removed"
    assert now[0][1] == "registered"
    return now


@pytest.mark.django_db
def test_random_walks_reach_closure_and_keep_the_appeal_consistent(ministry: Ministry) -> None:
    m = ministry
    people = _people(m)
    done: Counter[str] = Counter()
    final_states: Counter[str] = Counter()
    refused: Counter[tuple[str, str]] = Counter()

    @settings(
        max_examples=30,
        derandomize=True,  # a fixed seed: the coverage asserted below never flickers
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def walk(data: st.DataObject) -> None:
        appeal = register(channel=data.draw(st.sampled_from(["president_vr", "minister_vr"])))
        history = _check_invariants(appeal, [])
        for _step in range(40):
            appeal.refresh_from_db()
            moves = _moves(m, appeal, people)
            if not moves:
                break
            forward = [mv for mv in moves if mv[0] in PROGRESS]
            detours = [mv for mv in moves if mv[0] not in PROGRESS]
            roll = data.draw(st.integers(0, 99))
            calm = [mv for mv in detours if mv[0] not in TERMINAL]
            if roll < 2 and detours:
                pool = detours  # now and then: return, leave, terminate...
            elif (roll < 25 and calm) or not forward:
                pool = calm or detours
            else:
                pool = forward
            action, actor, target = data.draw(st.sampled_from(pool))
            pick = data.draw(st.integers(0, 5))
            try:
                _perform(m, appeal, action, actor, target, pick)
            except DomainError as refusal:
                assert str(refusal).strip(), "a refusal must say why"
                event(f"refused {refusal.code}")
                refused[(action, refusal.code)] += 1
            else:
                done[action] += 1
            history = _check_invariants(appeal, history)
        appeal.refresh_from_db()
        final_states[appeal.state] += 1
        event(f"ended {appeal.state}")

    walk()
    # The walks really exercised the lifecycle: every stage happened, and many appeals closed.
    for action in (
        "route",
        "accept",
        "forward",
        "involve",
        "draft_answer",
        "sign_answer",
        "submit_answer",
        "accept_answer",
        "reject_answer",
        "send_answer",
        "acknowledge",
        "recall",
        "request_extension",
        "decide_extension",
    ):
        assert done[action] > 0, (action, done, refused, final_states)
    assert final_states[AppealState.CLOSED] >= 6, final_states
    assert Assignment.objects.filter(state=AssignmentState.DONE).count() >= 6
