"""The case pages: registering an appeal, the appeal's page, and every action on it as a form.

Views parse input, call one service (passing the form's version as `expected_version`) and
render. What the page shows and which actions it offers is the presenter's
(`presenters.case_page`: the workflow tables and the services' predicates), so a button is never
shown for a move the service would refuse on principle. A refusal (DomainError) re-renders the
page with the message next to the form that caused it, with the error's status (400/403/409):
never a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from murojaat.accounts.models import User
from murojaat.core.errors import Conflict, DomainError, NotFound
from murojaat.gateway.throttle import client_ip

from . import services
from .documents import answer_letter_docx
from .forms import (
    APPEAL_ACTION_FORMS,
    ASSIGNMENT_ACTION_FORMS,
    ActionForm,
    ChannelChoiceForm,
    DraftAnswerForm,
    HotlineRegisterForm,
    RegisterAppealForm,
    build_action_form,
)
from .models import (
    Answer,
    Appeal,
    Assignment,
    Channel,
    DocumentKind,
    ReadKind,
    Violation,
)
from .permissions import (
    can_register_appeals,
    sides_of,
)
from .presenters import LETTER_SIDES, PERSONAL_KINDS, case_page, intake_rows
from .selectors import appeals_visible_to, can_see_personal_data, get_appeal_for
from .selectors.case import answer_of, document_of, extension_request_on, violation_on
from .services.reads import record_read

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _appeal_or_404(user: User, number: str) -> Appeal:
    try:
        return get_appeal_for(user, number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _assignment_or_404(user: User, appeal: Appeal, pk: int) -> Assignment:
    try:
        return services.get_assignment_for(user, appeal, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


# --- registration -----------------------------------------------------------------------------


def _require_registrar(user: User) -> None:
    if not can_register_appeals(user):
        raise DjangoPermissionDenied


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The first step: choose the door, then register on that door's own form.

    A POST that names its channel (a form of the single-page era, a script) is still taken as
    that door's full form, so nothing that registered before stops registering (L-2)."""
    _require_registrar(request.user)
    if request.method == "POST" and request.POST.get("channel") in Channel.values:
        return _register_at(request, request.POST["channel"], legacy=True)
    bound = request.method == "POST" or "channel" in request.GET
    chooser = ChannelChoiceForm(request.POST if request.method == "POST" else request.GET or None)
    if bound and chooser.is_valid():
        return redirect("appeals:register_channel", channel=chooser.cleaned_data["channel"])
    return render(
        request,
        "appeals/case/register_choose.html",
        {"form": chooser, "doors": DOORS, "other_doors": OTHER_DOORS},
        status=400 if bound else 200,
    )


# The doors a clerk or an operator registers at, each with its own details (R-IN-1); the others
# normally arrive by the API or the public form, and receptions register their visitors.
DOORS = [
    Channel.HOTLINE,
    Channel.POST,
    Channel.EMAIL,
    Channel.PEOPLES_RECEPTION,
    Channel.E_SERVICES,
]
OTHER_DOORS = [c for c in Channel if c not in DOORS]


@login_required
def register_channel(request: HttpRequest, channel: str) -> HttpResponse:
    """L-2: the door's clerk (or the 1003 operator) registers the appeal the same day."""
    _require_registrar(request.user)
    if channel not in Channel.values:
        raise Http404
    return _register_at(request, channel)


def _register_at(request: HttpRequest, channel: str, *, legacy: bool = False) -> HttpResponse:
    user = request.user
    form_class = HotlineRegisterForm if channel == Channel.HOTLINE and not legacy else None
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = {"submission": uuid.uuid4()}
    if form_class is not None:
        form: RegisterAppealForm = form_class(data, files, initial=initial)
    else:
        form = RegisterAppealForm(data, files, initial=initial, channel=channel)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    registration = services.register_appeal(actor=user, **form.service_kwargs())
                    appeal = registration.appeal
                    attachments = (
                        form.cleaned_data.get("attachments") or [] if registration.created else []
                    )
                    for name, content in attachments:
                        services.add_document(
                            actor=user,
                            appeal=appeal,
                            kind=DocumentKind.ATTACHMENT,
                            name=name,
                            content=content,
                        )
            except DomainError as exc:
                if exc.field == "file":
                    form.add_error("attachments", str(exc.message))
                else:
                    form.attach_domain_error(exc)
                status = exc.status
            else:
                return _registered(request, registration, channel)
    template = (
        "appeals/case/register_hotline.html"
        if isinstance(form, HotlineRegisterForm)
        else "appeals/case/register.html"
    )
    context = {"form": form, "channel": channel, "channel_label": Channel(channel).label}
    return render(request, template, context, status=status)


def _registered(request: HttpRequest, registration: Any, channel: str) -> HttpResponse:
    appeal = registration.appeal
    if not registration.created and channel == Channel.E_SERVICES:
        messages.info(
            request,
            _("This portal request is already registered under number %(number)s.")
            % {"number": appeal.number},
        )
    else:
        messages.success(
            request,
            _("The appeal is registered under number %(number)s.") % {"number": appeal.number},
        )
        if appeal.is_anonymous:
            messages.warning(request, anonymous_warning())
    if appeals_visible_to(request.user).filter(pk=appeal.pk).exists():
        return redirect("appeals:detail", number=appeal.number)
    # A responsible officer outside the working group does not see an appeal until it is sent
    # to their organisation (the one gate, selectors.appeals_visible_to): the next call, then.
    messages.info(
        request,
        _(
            "The working group routes it; it appears in your lists when it is sent to your "
            "organisation."
        ),
    )
    return redirect("appeals:register_channel", channel=channel)


def anonymous_warning() -> str:
    return _(
        "The appeal is anonymous: it has no name or no address. It is registered, but an "
        "anonymous appeal is not considered: leave it without consideration with a "
        "written conclusion."
    )


# --- the appeal's page ------------------------------------------------------------------------


def _record_read(request: HttpRequest, appeal: Appeal, kind: ReadKind, **what: Any) -> None:
    """Issue 10: the trace of who read what, written before the content leaves."""
    record_read(reader=request.user, appeal=appeal, kind=kind, ip=client_ip(request), **what)


def _render_case(
    request: HttpRequest, appeal: Appeal, *, failed: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    _record_read(request, appeal, ReadKind.PAGE)
    page = case_page(request.user, appeal, failed, reads_before=_read_id(request))
    return render(request, "appeals/case/detail.html", page.context(), status=status)


def _read_id(request: HttpRequest) -> int | None:
    """The auditors' panel's page-back id (`?reads_before=`); anything but a row id is ignored."""
    value = request.GET.get("reads_before", "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**63 else None


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_case(request, _appeal_or_404(request.user, number))


# --- actions ----------------------------------------------------------------------------------

Handler = Callable[[User, ActionForm], str]


def _d(form: ActionForm) -> dict[str, Any]:
    return form.cleaned_data


def _route(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.route_appeal(
        actor=user,
        appeal=f.appeal,
        to_org=d["to_org"],
        co_executors=list(d["co_executors"]),
        due_days=d["due_days"],
        instructions=d["instructions"],
        **({"complaint_against": d.get("complaint_against")} if "complaint_against" in d else {}),
        topics=list(d["topics"]),
        expected_version=d["version"],
    )
    return _("The appeal was sent to %(org)s.") % {"org": d["to_org"].name}


def _return_to_source(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.return_to_source(
        actor=user, appeal=f.appeal, reason=d["reason"], expected_version=d["version"]
    )
    return _("The appeal was returned to the source.")


def _leave(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.leave_without_consideration(
        actor=user,
        appeal=f.appeal,
        ground=d["ground"],
        anonymous=d["anonymous"],
        expected_version=d["version"],
    )
    return _("The appeal was left without consideration.")


def _terminate(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.terminate_appeal(
        actor=user,
        appeal=f.appeal,
        ground=d["ground"],
        comment=d["comment"],
        expected_version=d["version"],
    )
    return _("Consideration of the appeal was terminated.")


def _merge(user: User, f: ActionForm) -> str:
    d = _d(f)
    number = d["into"].strip().upper()
    into = appeals_visible_to(user).filter(number=number).first()
    if into is None:
        raise DomainError(
            _("There is no appeal with the number %(number)s.") % {"number": number},
            field="into",
            code="unknown_appeal",
        )
    services.merge_duplicate(actor=user, appeal=f.appeal, into=into, expected_version=d["version"])
    return _("The appeal was merged into %(number)s.") % {"number": into.number}


def _send_answer(user: User, f: ActionForm) -> str:
    appeal = services.send_answer(actor=user, appeal=f.appeal, expected_version=_d(f)["version"])
    if appeal.state == "closed":
        return _("The answer was sent and the appeal is closed.")
    return _("The answer was sent to the source; the appeal awaits its confirmation.")


def _acknowledge(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.acknowledge_closure(
        appeal=f.appeal, actor=user, reference=d["reference"], expected_version=d["version"]
    )
    return _("The confirmation is recorded: the appeal is removed from control.")


def _source_reject(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.source_rejects_answer(
        appeal=f.appeal, actor=user, reason=d["reason"], expected_version=d["version"]
    )
    return _("The rejection is recorded: the answer went back for rework.")


def _a(f: ActionForm) -> Assignment:
    assert f.assignment is not None
    return f.assignment


def _accept(user: User, f: ActionForm) -> str:
    services.accept_assignment(actor=user, assignment=_a(f), expected_version=_d(f)["version"])
    return _("The appeal is accepted for execution.")


def _return(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.return_assignment(
        actor=user, assignment=_a(f), reason=d["reason"], expected_version=d["version"]
    )
    return _("The appeal was returned to the sender.")


def _forward(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.forward_assignment(
        actor=user,
        assignment=_a(f),
        to_org=d["to_org"],
        due_days=d["due_days"],
        instructions=d["instructions"],
        ask_word_reference=d["ask_word_reference"],
        expected_version=d["version"],
    )
    return _("The appeal was forwarded to %(org)s.") % {"org": d["to_org"].name}


def _involve(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.involve_co_executors(
        actor=user,
        assignment=_a(f),
        orgs=list(d["orgs"]),
        instructions=d["instructions"],
        expected_version=d["version"],
    )
    return _("The co-executors are involved.")


def _set_executor(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.set_executor(
        actor=user, assignment=_a(f), executor=d["executor"], expected_version=d["version"]
    )
    return _("%(name)s is the executor.") % {"name": d["executor"].full_name}


def _draft_answer(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.draft_answer(
        actor=user,
        assignment=_a(f),
        text=d["text"],
        feedback_form=d["feedback_form"],
        outcomes=_draft(f).outcomes(),
        expected_version=d["version"],
    )
    return _("The answer is saved; it awaits the head's signature.")


def _draft(f: ActionForm) -> DraftAnswerForm:
    assert isinstance(f, DraftAnswerForm)
    return f


def _sign(user: User, f: ActionForm) -> str:
    services.sign_answer(actor=user, assignment=_a(f), expected_version=_d(f)["version"])
    return _("The answer is signed.")


def _submit(user: User, f: ActionForm) -> str:
    services.submit_answer(actor=user, assignment=_a(f), expected_version=_d(f)["version"])
    return _("The answer was submitted to %(org)s.") % {"org": _a(f).sender_org.name}


def _accept_answer(user: User, f: ActionForm) -> str:
    services.accept_answer(actor=user, assignment=_a(f), expected_version=_d(f)["version"])
    return _("The answer of %(org)s is accepted.") % {"org": _a(f).org.name}


def _reject_answer(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.reject_answer(
        actor=user, assignment=_a(f), reason=d["reason"], expected_version=d["version"]
    )
    return _("The answer was sent back for rework.")


def _recall(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.recall_assignment(
        actor=user, assignment=_a(f), reason=d["reason"], expected_version=d["version"]
    )
    return _("The assignment was recalled.")


def _request_extension(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.request_extension(
        actor=user,
        assignment=_a(f),
        days=d["days"],
        reason=d["reason"],
        expected_version=d["version"],
    )
    return _("The extension is requested; the working group decides.")


def _add_document(user: User, f: ActionForm) -> str:
    d = _d(f)
    name, content = d["file"]
    services.add_document(
        actor=user,
        appeal=f.appeal,
        assignment=_a(f),
        kind=d["kind"],
        name=name,
        content=content,
        expected_version=d["version"],
    )
    return _("The document “%(name)s” is added.") % {"name": name}


def _store_answer_letter(user: User, f: ActionForm) -> str:
    a = _a(f)
    answer = answer_of(a)
    if answer is None:
        raise DomainError(_("Prepare the answer first."), code="no_answer")
    content = answer_letter_docx(_with_relations(answer, a))
    name = _letter_name(a)
    services.add_document(
        actor=user,
        appeal=f.appeal,
        assignment=a,
        kind=DocumentKind.ANSWER_LETTER,
        name=name,
        content=content,
        expected_version=_d(f)["version"],
    )
    return _("The answer letter “%(name)s” is attached.") % {"name": name}


def _violation_of(f: ActionForm) -> Violation:
    v = violation_on(_a(f), _d(f)["violation"])
    if v is None:
        raise DomainError(_("No such delay on this assignment."), code="not_found")
    return v


def _explain_delay(user: User, f: ActionForm) -> str:
    d = _d(f)
    services.explain_delay(
        actor=user, violation=_violation_of(f), text=d["text"], expected_version=d["version"]
    )
    return _("The explanation is sent to the working group.")


def _decide_violation(user: User, f: ActionForm) -> str:
    d = _d(f)
    excuse = d["decision"] == "excuse"
    services.decide_violation(
        actor=user,
        violation=_violation_of(f),
        excuse=excuse,
        comment=d["comment"],
        expected_version=d["version"],
    )
    return _("The delay is excused.") if excuse else _("The violation is recorded.")


def _decide_extension(user: User, f: ActionForm) -> str:
    d = _d(f)
    request = extension_request_on(_a(f), d["request"])
    if request is None:
        raise DomainError(_("No such extension request on this assignment."), code="not_found")
    approve = d["decision"] == "approve"
    services.decide_extension(
        actor=user,
        request=request,
        approve=approve,
        comment=d["comment"],
        expected_version=d["version"],
    )
    return _("The extension is approved.") if approve else _("The extension is refused.")


HANDLERS: dict[str, Handler] = {
    "route": _route,
    "return_to_source": _return_to_source,
    "leave": _leave,
    "terminate": _terminate,
    "merge": _merge,
    "send_answer": _send_answer,
    "acknowledge": _acknowledge,
    "source_reject": _source_reject,
    "accept": _accept,
    "return": _return,
    "forward": _forward,
    "involve": _involve,
    "set_executor": _set_executor,
    "draft_answer": _draft_answer,
    "sign_answer": _sign,
    "submit_answer": _submit,
    "accept_answer": _accept_answer,
    "reject_answer": _reject_answer,
    "recall": _recall,
    "request_extension": _request_extension,
    "add_document": _add_document,
    "store_answer_letter": _store_answer_letter,
    "explain_delay": _explain_delay,
    "decide_violation": _decide_violation,
    "decide_extension": _decide_extension,
}


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def act(
    request: HttpRequest, number: str, action: str, assignment_id: int | None = None
) -> HttpResponse:
    """One action from the appeal's page: parse, call the service, redirect back (PRG)."""
    appeal = _appeal_or_404(request.user, number)
    assignment = None
    if assignment_id is None:
        if action not in APPEAL_ACTION_FORMS:
            raise Http404("unknown action")
    else:
        if action not in ASSIGNMENT_ACTION_FORMS:
            raise Http404("unknown action")
        assignment = _assignment_or_404(request.user, appeal, assignment_id)
    target_id = _int_or_none(request.POST.get("violation") or request.POST.get("request"))
    form = build_action_form(
        action,
        appeal=appeal,
        assignment=assignment,
        target_id=target_id,
        data=request.POST,
        files=request.FILES,
    )
    if not form.is_valid():
        return _render_case(request, appeal, failed=form, status=400)
    try:
        message = HANDLERS[action](request.user, form)
    except DomainError as exc:
        form.attach_domain_error(exc)
        form.stale = exc.status == Conflict.status
        fresh = _appeal_or_404(request.user, number)
        return _render_case(request, fresh, failed=form, status=exc.status)
    messages.success(request, message)
    url = reverse("appeals:detail", args=[appeal.number])
    if assignment is not None:
        url += f"#assignment-{assignment.pk}"
    return redirect(url)


# --- documents --------------------------------------------------------------------------------


@login_required
def document(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A document of an appeal, re-checked against the reading scope (404 for outsiders).

    The appeal's attachments, letters and the author's feedback carry the author's personal
    data: withheld (L-10) from those who may not see it.
    """
    appeal = _appeal_or_404(request.user, number)
    doc = document_of(appeal, pk)
    if doc is None:
        raise Http404("no such document")
    if doc.kind in PERSONAL_KINDS and not can_see_personal_data(request.user, appeal):
        raise Http404("withheld")
    try:
        handle = doc.file.open("rb")
    except OSError as exc:  # the row outlived its file (storage restored from an older backup)
        raise Http404("file missing") from exc
    try:
        _record_read(request, appeal, ReadKind.DOCUMENT, document=doc)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=doc.original_name,
        content_type=doc.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _with_relations(answer: Answer, a: Assignment) -> Answer:
    answer.assignment = a
    return answer


def _letter_name(a: Assignment) -> str:
    return f"{a.appeal.number}-{a.org.code}-javob-xati.docx"


@login_required
def answer_letter(request: HttpRequest, number: str, assignment_id: int) -> HttpResponse:
    """R-P2-9 / R-P2-12: the answer letter generated as DOCX, for the head to sign."""
    appeal = _appeal_or_404(request.user, number)
    a = _assignment_or_404(request.user, appeal, assignment_id)
    if not sides_of(request.user, a) & LETTER_SIDES:
        raise Http404("not yours")
    answer = answer_of(a)
    if answer is None or not can_see_personal_data(request.user, appeal):
        raise Http404("no answer")
    a.appeal = appeal
    pdf = request.path.endswith(".pdf")
    if pdf:
        # The letter to send: only a signed answer has one (its number, date and QR code).
        from murojaat.documents.views import signed_letter_pdf

        response = signed_letter_pdf(request, _with_relations(answer, a), _letter_name(a))
    else:
        content = answer_letter_docx(_with_relations(answer, a))
        response = HttpResponse(content, content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{_letter_name(a)}"'
        response["Cache-Control"] = "private, no-store"
    kind = ReadKind.ANSWER_LETTER_PDF if pdf else ReadKind.ANSWER_LETTER
    _record_read(request, appeal, kind, assignment=a)
    return response


__all__ = [
    "act",
    "answer_letter",
    "detail",
    "document",
    "intake_rows",
    "register",
    "register_channel",
]
