"""Every write to an appeal: one function per domain operation, atomic, audited.

Each service locks the rows it changes (appeal first, then assignment: one lock order, no
deadlocks), checks the transition table and the guards, writes, records the Event in the same
transaction, and tells the source system through a signal the gateway turns into an outbox row.
Views and the API only parse input and call one of these.

Concurrency: forms carry the version they were rendered from; a mismatch raises Conflict
("changed by someone else") instead of applying an action to a state the user never saw."""

from __future__ import annotations

from ..selectors.answers import final_answer
from ._common import (
    DOCX_MIME,
    assignment_due,
    assignment_due_with,
    due_soon_threshold,
    explain_due,
    get_assignment_for,
)
from .citizen import (
    SentAnswer,
    can_request_review,
    current_rating,
    rate_appeal,
    request_review,
    sent_answer,
    withdraw_appeal,
)
from .execution import (
    OutcomeInput,
    accept_answer,
    accept_assignment,
    add_document,
    add_source_attachment,
    draft_answer,
    forward_assignment,
    involve_co_executors,
    parts_to_consolidate,
    recall_assignment,
    reject_answer,
    return_assignment,
    set_executor,
    sign_answer,
    submit_answer,
)
from .intake import Registration, appeal_due, receipt_of, register_appeal
from .reviews import (
    POOR_RATING,
    REVIEW_DAYS,
    ReviewState,
    ReviewStatus,
    close_review,
    is_review_item,
    review_items_q,
    review_statuses,
    take_review_into_work,
)
from .routing import (
    TerminationGround,
    acknowledge_closure,
    answer_payload,
    leave_without_consideration,
    merge_duplicate,
    return_to_source,
    route_appeal,
    send_answer,
    source_must_confirm,
    source_rejects_answer,
    terminate_appeal,
)
from .targets import ROUTABLE_KINDS, co_executor_targets, forward_targets, routable_orgs
from .timing import (
    can_extend,
    can_request_extension,
    decide_extension,
    decide_violation,
    explain_delay,
    extension_refusal,
    recompute_running_deadlines,
    record_overdue,
    request_extension,
)

__all__ = [
    "DOCX_MIME",
    "POOR_RATING",
    "REVIEW_DAYS",
    "ROUTABLE_KINDS",
    "OutcomeInput",
    "Registration",
    "ReviewState",
    "ReviewStatus",
    "SentAnswer",
    "TerminationGround",
    "accept_answer",
    "accept_assignment",
    "acknowledge_closure",
    "add_document",
    "add_source_attachment",
    "answer_payload",
    "appeal_due",
    "assignment_due",
    "assignment_due_with",
    "can_extend",
    "can_request_extension",
    "can_request_review",
    "close_review",
    "co_executor_targets",
    "current_rating",
    "decide_extension",
    "decide_violation",
    "draft_answer",
    "due_soon_threshold",
    "explain_delay",
    "explain_due",
    "extension_refusal",
    "final_answer",
    "forward_assignment",
    "forward_targets",
    "get_assignment_for",
    "involve_co_executors",
    "is_review_item",
    "leave_without_consideration",
    "merge_duplicate",
    "parts_to_consolidate",
    "rate_appeal",
    "recall_assignment",
    "receipt_of",
    "recompute_running_deadlines",
    "record_overdue",
    "register_appeal",
    "reject_answer",
    "request_extension",
    "request_review",
    "return_assignment",
    "return_to_source",
    "review_items_q",
    "review_statuses",
    "routable_orgs",
    "route_appeal",
    "send_answer",
    "sent_answer",
    "set_executor",
    "sign_answer",
    "source_must_confirm",
    "source_rejects_answer",
    "submit_answer",
    "take_review_into_work",
    "terminate_appeal",
    "withdraw_appeal",
]
