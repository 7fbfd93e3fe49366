"""The appeal's page as a typed view model: what the template shows, computed once.

`case_page` reads the appeal's file through the selectors (`selectors.case_file`), asks the
workflow tables and the services' predicates which forms to offer (so a button is never shown
for a move the service would refuse on principle), and returns a `CasePage` whose parts are
dataclasses, not attributes attached to model instances."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.calendar import get_calendar

from . import services, workflow
from .deadlines import local_date, working_days_left
from .forms import (
    APPEAL_ACTION_FORMS,
    DETAIL_LABELS,
    EXTRA_ACTION_TITLES,
    PERSONAL_DETAILS,
    ActionForm,
    build_action_form,
)
from .models import (
    Answer,
    AnswerState,
    Appeal,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Channel,
    Document,
    DocumentKind,
    Event,
    ExtensionRequest,
    ExtensionState,
    Topic,
    Violation,
    ViolationState,
)
from .permissions import (
    appeal_sides,
    consolidating_lead,
    is_working_group,
    may_explain,
    remember_leads,
    sides_of,
)
from .selectors import can_see_personal_data
from .selectors.authors import earlier_appeal_shown_to
from .selectors.case import case_file
from .selectors.reads import ReadsPanel, reads_panel

RUNNING = (AssignmentState.SENT, AssignmentState.ACCEPTED)
# Documents that carry the author's name and address: withheld with the personal data (L-10).
PERSONAL_KINDS = frozenset(
    {
        DocumentKind.ATTACHMENT,
        DocumentKind.SCAN,
        DocumentKind.ANSWER_LETTER,
        DocumentKind.FEEDBACK,
        DocumentKind.REFUSAL_ACT,
    }
)
UNDECIDED_VIOLATION = (ViolationState.AWAITING_EXPLANATION, ViolationState.EXPLAINED)
# Who may download an assignment's answer letter (with the personal data, L-10).
LETTER_SIDES = frozenset({"receiver", "signer", "sender", "wg"})


@dataclass
class AssignmentNode:
    """One assignment in the routing tree, with what the page shows and offers on it."""

    assignment: Assignment
    answer: Answer | None
    documents: list[Document]
    due_css: str
    due_explanation: str
    actions: list[ActionForm]
    can_download_letter: bool
    nodes: list[AssignmentNode] = field(default_factory=list)
    # Why an action the workflow allows is held back (e.g. the signature without the author's
    # feedback, R-P2-8): the service's own refusal, shown where the button would be.
    held_back: list[str] = field(default_factory=list)
    guidance: services.Guidance | None = None


@dataclass
class CasePage:
    appeal: Appeal
    topics: list[Topic]
    show_personal_data: bool
    intake_rows: list[tuple[Any, Any]]
    withheld_kinds: list[str]
    roots: list[AssignmentNode]
    nodes: list[AssignmentNode]
    extension_requests: list[ExtensionRequest]
    violations: list[Violation]
    documents: list[Document]
    events: list[Event]
    appeal_forms: list[ActionForm]
    orphan_form: ActionForm | None
    days_left: int | None
    due_css: str
    due_explanation: str
    today: date
    is_wg: bool
    # L-6: the author's earlier appeal the viewer may open (None where L-10 withholds it).
    earlier_by_author: Appeal | None = None
    # Who read this appeal (issue 10): only for auditors, the newest page of reads.
    reads: ReadsPanel | None = None
    guidance: services.Guidance | None = None

    @property
    def answers(self) -> list[AssignmentNode]:
        return [n for n in self.nodes if n.answer is not None]

    @property
    def appeal_documents(self) -> list[Document]:
        return [d for d in self.documents if d.assignment_id is None]

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    def context(self) -> dict[str, Any]:
        """The template's names (appeals/case/detail.html)."""
        return {
            "case": self,
            "appeal": self.appeal,
            "topics": self.topics,
            "show_personal_data": self.show_personal_data,
            "intake_rows": self.intake_rows,
            "withheld_kinds": self.withheld_kinds,
            "roots": self.roots,
            "answers": self.answers,
            "extension_requests": self.extension_requests,
            "violations": self.violations,
            "appeal_documents": self.appeal_documents,
            "documents": self.documents,
            "events": self.events,
            "appeal_forms": self.appeal_forms,
            "orphan_form": self.orphan_form,
            "days_left": self.days_left,
            "due_css": self.due_css,
            "days_overdue": self.days_overdue,
            "due_explanation": self.due_explanation,
            "today": self.today,
            "is_wg": self.is_wg,
            "earlier_by_author": self.earlier_by_author,
            "reads": self.reads,
            "guidance": self.guidance,
        }


def intake_rows(appeal: Appeal, show_personal_data: bool) -> list[tuple[Any, Any]]:
    """The door's details for the appeal's page, in the door's words; the author's contacts
    among them only to those who may see personal data (L-10)."""
    labels = DETAIL_LABELS.get(appeal.channel, {})
    rows: list[tuple[Any, Any]] = []
    if appeal.channel == Channel.HOTLINE and appeal.registered_by is not None:
        rows.append((_("Operator"), appeal.registered_by.full_name))
    for name, label in labels.items():
        if name in PERSONAL_DETAILS and not show_personal_data:
            continue
        if name == "portal_request_id":
            value: Any = appeal.external_id or ""
        elif name in ("reception_region", "reception_district"):
            place = getattr(appeal, name)
            value = place.name if place else ""
        else:
            value = getattr(appeal, name)
        if value:
            rows.append((label, value))
    return rows


def offered_assignment_actions(
    user: User,
    appeal: Appeal,
    a: Assignment,
    answer: Answer | None,
    requests: list[ExtensionRequest],
    violations: list[Violation],
    held_back: list[str] | None = None,
) -> list[ActionForm]:
    """The forms this user may use on this assignment now (the workflow table decides)."""
    sides = sides_of(user, a)
    forms: list[ActionForm] = []
    for action, transition in workflow.assignment_actions_in(a.state):
        if not transition.sides & sides:
            continue
        if action == "sign_answer" and (answer is None or answer.state == AnswerState.SIGNED):
            continue
        if action in ("sign_answer", "submit_answer") and answer is not None:
            refusal = services.feedback_refusal(a, answer)
            if refusal is not None:
                if held_back is not None and str(refusal.message) not in held_back:
                    held_back.append(str(refusal.message))
                continue  # R-P2-8: the same predicate the signature and the sending ask
        if action == "submit_answer" and (answer is None or answer.state != AnswerState.SIGNED):
            continue
        if action == "involve" and a.role != AssignmentRole.EXECUTOR:
            continue
        if (
            action in ("accept_answer", "reject_answer")
            and "lead" not in sides
            and consolidating_lead(a) is not None
        ):
            continue  # a co-executor's part goes to the lead (R-P2-5)
        if action == "request_extension" and not services.can_request_extension(a, requests):
            continue
        if action == "forward" and not services.forward_targets(a).exists():
            continue  # R-P2-6: nowhere below to forward to
        forms.append(
            build_action_form(action, appeal=appeal, assignment=a, answer=answer, answer_read=True)
        )
        if action == "draft_answer" and answer is not None:
            forms.append(build_action_form("store_answer_letter", appeal=appeal, assignment=a))
    for v in violations:
        if v.state in UNDECIDED_VIOLATION and may_explain(user, v):
            forms.append(
                build_action_form("explain_delay", appeal=appeal, assignment=a, target_id=v.pk)
            )
    if "wg" in sides and services.can_extend(a):
        # A request left pending on a recalled or finished assignment is moot: not offered.
        for r in requests:
            if r.state == ExtensionState.PENDING:
                forms.append(
                    build_action_form(
                        "decide_extension", appeal=appeal, assignment=a, target_id=r.pk
                    )
                )
    if "wg" in sides:
        for v in violations:
            if v.state in UNDECIDED_VIOLATION:
                forms.append(
                    build_action_form(
                        "decide_violation", appeal=appeal, assignment=a, target_id=v.pk
                    )
                )
    for form in forms:
        decorate(form)
    return forms


def decorate(form: ActionForm) -> ActionForm:
    """Where the form posts, its title and how it renders."""
    appeal, a = form.appeal, form.assignment
    args: list[Any] = [appeal.number, form.action]
    if a is not None:
        args.append(a.pk)
    form.url = reverse("appeals:act", args=args)
    if a is not None:
        title = EXTRA_ACTION_TITLES.get(form.action) or workflow.ASSIGNMENT_ACTIONS.get(form.action)
    else:
        title = workflow.APPEAL_ACTIONS.get(form.action)
    form.title = title or form.action
    form.has_fields = bool(form.visible_fields())
    form.multipart = any(f.field.widget.needs_multipart_form for f in form.visible_fields())
    return form


def _ended_on(a: Assignment, today: date) -> date:
    """The day the guidance is judged on: today while the assignment works, else the day its
    answer went up (or it ended)."""
    moment = a.answered_at or (None if a.is_open else a.finished_at)
    return local_date(moment) if moment is not None else today


def _due_class(a: Assignment, today: date, threshold: date) -> str:
    if a.state not in RUNNING:
        return ""
    if a.due_date < today:
        return "due-overdue"
    if a.due_date <= threshold:
        return "due-soon"
    return ""


def case_page(
    user: User, appeal: Appeal, failed: ActionForm | None = None, *, reads_before: int | None = None
) -> CasePage:
    """The page of an appeal the user may read (`get_appeal_for`); `failed` is a form the
    user just sent that was refused: it replaces its fresh twin, errors and all;
    `reads_before` pages the auditors' "who read this" panel back (a read record's id)."""
    calendar = get_calendar()
    today = local_date(timezone.now())
    threshold = services.due_soon_threshold(today, calendar)
    file = case_file(appeal)
    remember_leads(file.assignments)
    show_personal_data = can_see_personal_data(user, appeal)

    nodes: list[AssignmentNode] = []
    by_parent: dict[int | None, list[AssignmentNode]] = {}
    for a in file.assignments:
        answer = file.answers.get(a.pk)
        held_back: list[str] = []
        # The date on the row and its explanation are one computation, under the rule the
        # assignment started with (issue 10, item 13).
        due = services.assignment_due(a, calendar)
        node = AssignmentNode(
            assignment=a,
            answer=answer,
            documents=[d for d in file.documents if d.assignment_id == a.pk],
            due_css=_due_class(a, today, threshold),
            due_explanation=due.explain(),
            actions=offered_assignment_actions(
                user,
                appeal,
                a,
                answer,
                [r for r in file.extension_requests if r.assignment_id == a.pk],
                [v for v in file.violations if v.assignment_id == a.pk],
                held_back,
            ),
            can_download_letter=(
                answer is not None and show_personal_data and bool(sides_of(user, a) & LETTER_SIDES)
            ),
            held_back=held_back,
            guidance=services.guidance_for(a, _ended_on(a, today), calendar),
        )
        nodes.append(node)
        by_parent.setdefault(a.parent_id, []).append(node)
    for node in nodes:
        node.nodes = by_parent.get(node.assignment.pk, [])

    appeal_forms: list[ActionForm] = []
    sides = appeal_sides(user)
    for action, transition in workflow.appeal_actions_in(appeal.state):
        if action == "acknowledge" and services.source_must_confirm(appeal):
            continue  # only the source system closes what came through its API (R-P2-10)
        if transition.sides & sides and action in APPEAL_ACTION_FORMS:
            appeal_forms.append(decorate(build_action_form(action, appeal=appeal)))

    orphan = None
    if failed is not None:
        decorate(failed)
        replaced = False
        for collection in [appeal_forms, *(node.actions for node in nodes)]:
            for i, form in enumerate(collection):
                if form.key == failed.key:
                    failed.assignment = form.assignment
                    collection[i] = failed
                    replaced = True
        if not replaced:
            orphan = failed

    days_left = None
    due_css = ""
    if appeal.is_open:
        days_left = working_days_left(today, appeal.due_date, calendar)
        if appeal.due_date < today:
            due_css = "due-overdue"
        elif appeal.due_date <= threshold:
            due_css = "due-soon"

    return CasePage(
        appeal=appeal,
        topics=file.topics,
        show_personal_data=show_personal_data,
        intake_rows=intake_rows(appeal, show_personal_data),
        withheld_kinds=[] if show_personal_data else sorted(PERSONAL_KINDS),
        roots=by_parent.get(None, []),
        nodes=nodes,
        extension_requests=file.extension_requests,
        violations=file.violations,
        documents=file.documents,
        events=file.events,
        appeal_forms=appeal_forms,
        orphan_form=orphan,
        days_left=days_left,
        due_css=due_css,
        due_explanation=services.appeal_due(appeal, calendar=calendar).explain(),
        guidance=services.guidance_for(
            appeal,
            local_date(appeal.closed_at) if appeal.closed_at is not None else today,
            calendar,
        ),
        today=today,
        is_wg=is_working_group(user),
        earlier_by_author=earlier_appeal_shown_to(user, appeal, shows_author=show_personal_data),
        reads=reads_panel(user, appeal, before=reads_before),
    )
