"""The transition tables: state x action -> next state, and which side may act.

Pure data and one lookup function. The services consult these tables for every write, and the
templates ask the same tables which buttons to show, so the screen and the rules cannot drift
apart (the django-helpdesk mistake). Guards that need the database (deadlines, children still
open, signatures) live in the services; what is here is what holds regardless.

Sides: "wg" the working group (stage 1); "receiver" the organisation an assignment was sent to;
"sender" the organisation that sent it; "lead" the lead executor that consolidates the part of a
co-executor the working group named (R-P2-5, R-P3-4); "signer" who signs the receiver's answer
(R-P2-9); "source" the external system the appeal came from (R-P2-10).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from murojaat.core.errors import DomainError

from .models import AppealState as A
from .models import AssignmentState as S
from .models import ClosureMode as C


@dataclass(frozen=True)
class Transition:
    next_state: str | None  # None: the state does not change
    sides: frozenset[str]
    # Where the next state depends on the procedure's closure mode (R-P2-10 vs R-P3-2).
    by_closure: tuple[tuple[str, str], ...] = ()


def _t(next_state: str | None, *sides: str) -> Transition:
    return Transition(next_state, frozenset(sides))


# Assignment actions (R-P2-2..R-P2-11).
ASSIGNMENT_ACTIONS: dict[str, object] = {
    "accept": _("accept"),
    "return": _("return to the sender"),
    "forward": _("forward down"),
    "involve": _("involve co-executors"),
    "set_executor": _("assign an executor"),
    "draft_answer": _("prepare the answer"),
    "sign_answer": _("sign the answer"),
    "submit_answer": _("submit the answer"),
    "accept_answer": _("accept the answer"),
    "reject_answer": _("send the answer back for rework"),
    "recall": _("recall"),
    "request_extension": _("request an extension"),
    "add_document": _("add a document"),
}

ASSIGNMENT_TABLE: dict[tuple[str, str], Transition] = {
    (S.SENT, "accept"): _t(S.ACCEPTED, "receiver"),
    (S.SENT, "return"): _t(S.RETURNED, "receiver"),
    (S.ACCEPTED, "return"): _t(S.RETURNED, "receiver"),
    (S.ACCEPTED, "forward"): _t(None, "receiver"),
    (S.ACCEPTED, "involve"): _t(None, "receiver"),
    (S.SENT, "set_executor"): _t(None, "receiver"),
    (S.ACCEPTED, "set_executor"): _t(None, "receiver"),
    (S.ACCEPTED, "draft_answer"): _t(None, "receiver"),
    (S.ACCEPTED, "sign_answer"): _t(None, "signer"),
    (S.ACCEPTED, "submit_answer"): _t(S.ANSWERED, "receiver"),
    # A co-executor's part named by the working group goes to the lead; the services refuse the
    # group while a lead consolidates (code "consolidated_by_lead").
    (S.ANSWERED, "accept_answer"): _t(S.DONE, "sender", "lead"),
    (S.ANSWERED, "reject_answer"): _t(S.ACCEPTED, "sender", "lead"),
    (S.SENT, "recall"): _t(S.CANCELLED, "sender"),
    (S.ACCEPTED, "recall"): _t(S.CANCELLED, "sender"),
    (S.ANSWERED, "recall"): _t(S.CANCELLED, "sender"),
    (S.ACCEPTED, "request_extension"): _t(None, "receiver"),
    (S.SENT, "add_document"): _t(None, "receiver"),
    (S.ACCEPTED, "add_document"): _t(None, "receiver"),
    # After the answer went up only supporting documents for a delay (services enforce the kind).
    (S.ANSWERED, "add_document"): _t(None, "receiver"),
    (S.DONE, "add_document"): _t(None, "receiver"),
}

# Appeal actions of the working group and the source (R-P2-2, R-P2-10, L-5..L-7).
APPEAL_ACTIONS: dict[str, object] = {
    "route": _("send for execution"),
    "return_to_source": _("return to the source"),
    "leave": _("leave without consideration"),
    "merge": _("merge as a duplicate"),
    "terminate": _("terminate consideration"),
    "send_answer": _("send the answer to the source"),
    "acknowledge": _("confirm removal from control"),
    "source_reject": _("record that the source did not accept the answer"),
    "reopen_for_review": _("take the author's review request into work"),
}

_OPEN = (A.NEW, A.IN_WORK, A.ANSWER_READY)
APPEAL_TABLE: dict[tuple[str, str], Transition] = {
    (A.NEW, "route"): _t(A.IN_WORK, "wg"),
    # Co-executors still work but the lead returned it: the group names a new lead.
    (A.IN_WORK, "route"): _t(A.IN_WORK, "wg"),
    (A.NEW, "return_to_source"): _t(A.RETURNED_TO_SOURCE, "wg"),
    **{(s, "leave"): _t(A.LEFT_WITHOUT_CONSIDERATION, "wg") for s in _OPEN},
    **{(s, "merge"): _t(A.MERGED, "wg") for s in (A.NEW, A.IN_WORK)},
    **{(s, "terminate"): _t(A.TERMINATED, "wg") for s in _OPEN},
    # R-P2-10: the President's procedure waits for the source; R-P3-2: the Minister's closes here.
    (A.ANSWER_READY, "send_answer"): Transition(
        None,
        frozenset({"wg"}),
        by_closure=((C.SOURCE_ACK, A.SENT_TO_SOURCE), (C.ON_ANSWER, A.CLOSED)),
    ),
    # The source confirms (R-P2-10). The group may record a confirmation only for an appeal that
    # did not come through the API (the services check it, with a required reference).
    (A.SENT_TO_SOURCE, "acknowledge"): _t(A.CLOSED, "source", "wg"),
    (A.SENT_TO_SOURCE, "source_reject"): _t(A.IN_WORK, "source", "wg"),
    # L-8: the author asks for the answer to be corrected; the group reopens it for rework
    # (services.reviews.take_review_into_work). The one way back from a closed appeal.
    (A.CLOSED, "reopen_for_review"): _t(A.IN_WORK, "wg"),
}


class TransitionRefused(DomainError):
    code = "transition_refused"
    status = 409


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def assignment_transition(state: str, action: str) -> Transition:
    """The transition for an assignment, or TransitionRefused saying why not."""
    found = ASSIGNMENT_TABLE.get((state, action))
    if found is None:
        raise TransitionRefused(
            _("You cannot %(action)s: the assignment is “%(state)s”.")
            % {"action": ASSIGNMENT_ACTIONS.get(action, action), "state": _label(S, state)}
        )
    return found


def appeal_transition(state: str, action: str, closure_mode: str | None = None) -> Transition:
    """The transition for an appeal, or TransitionRefused saying why not.

    A transition whose next state depends on the procedure is resolved with `closure_mode`;
    without it the next state stays None (unknown), never a guess.
    """
    found = APPEAL_TABLE.get((state, action))
    if found is None:
        raise TransitionRefused(
            _("You cannot %(action)s: the appeal is “%(state)s”.")
            % {"action": APPEAL_ACTIONS.get(action, action), "state": _label(A, state)}
        )
    if found.by_closure and closure_mode is not None:
        return replace(found, next_state=dict(found.by_closure)[closure_mode])
    return found


def assignment_actions_in(state: str) -> list[tuple[str, Transition]]:
    return [(action, t) for (s, action), t in ASSIGNMENT_TABLE.items() if s == state]


def appeal_actions_in(state: str) -> list[tuple[str, Transition]]:
    return [(action, t) for (s, action), t in APPEAL_TABLE.items() if s == state]
