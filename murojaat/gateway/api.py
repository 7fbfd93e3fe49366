"""HTTP API of the gateway (mounted at /api/v1/ by murojaat.api): the Virtual Reception's door.

Every operation needs a signed request (see signing.py); a client reads and changes only the
appeals it sent. Endpoints parse, call one service or selector, and shape the answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Router, Status
from ninja.files import UploadedFile

from murojaat.appeals import services
from murojaat.appeals.documents import validate_upload as validate_attachment
from murojaat.appeals.models import Appeal, Document, DocumentKind, Topic
from murojaat.appeals.selectors.answers import (
    ANSWER_DOCUMENT_KINDS,
    documents_for_source,
    sent_answer,
)
from murojaat.appeals.services.intake import check_received_at
from murojaat.core.errors import Conflict, DomainError, NotFound
from murojaat.orgs.models import District, Region
from murojaat.orgs.tree import cached

from .auth import ClientRequest, signed_request
from .models import AppealIntake
from .schemas import (
    EXTERNAL_ID_PATTERN,
    AppealIn,
    AppealOut,
    ClientOut,
    DocumentOut,
    Problem,
    RejectionIn,
)
from .selectors import find_appeal_of_client, get_appeal_of_client, has_appeal_of_client
from .services import request_digest

router = Router(tags=["gateway"], auth=signed_request)

ERRORS: dict[int, Any] = {
    401: Problem,
    404: Problem,
    409: Problem,
    413: Problem,
    415: Problem,
    422: Problem,
    429: Problem,
}

ExternalId = Annotated[
    str, Path(..., pattern=EXTERNAL_ID_PATTERN, description="Your id of the appeal.")
]


def _document(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "name": d.original_name,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
    }


def appeal_out(appeal: Appeal, *, just_registered: bool = False) -> dict[str, Any]:
    """`just_registered`: the appeal was created by this request, so no answer was sent and
    no document uploaded yet (attachments come by their own request): nothing to read."""
    if just_registered:
        sent, documents = None, []
    else:
        sent = sent_answer(appeal)
        documents = list(documents_for_source(appeal, sent))
    answer_out = None
    if sent is not None:
        answer = sent.answer
        answer_out = {
            "text": answer.text,
            "organisation": answer.assignment.org.code,
            "signed_by": answer.signed_by.full_name if answer.signed_by else None,
            "feedback_form": answer.feedback_form,
            "sent_at": sent.sent_at,
            "outcomes": [
                {
                    "topic": o.topic.code if o.topic else None,
                    "outcome": o.outcome,
                    "legal_ground": o.legal_ground,
                }
                for o in answer.outcomes.all()
            ],
            "documents": [_document(d) for d in documents if d.kind in ANSWER_DOCUMENT_KINDS],
        }
    return {
        "number": appeal.number,
        "external_id": appeal.external_id or "",
        "channel": appeal.channel,
        "state": appeal.state,
        "state_label": str(appeal.get_state_display()),
        "received_at": appeal.received_at,
        "registered_at": appeal.registered_at,
        "due_date": appeal.due_date,
        "closed_at": appeal.closed_at,
        "rating": appeal.rating,
        "attachments": [_document(d) for d in documents if d.kind == DocumentKind.ATTACHMENT],
        "answer": answer_out,
    }


def _place(payload: AppealIn) -> tuple[int | None, int | None]:
    region_id = district_id = None
    if payload.author.region:
        region = Region.objects.filter(soato=payload.author.region).first()
        if region is None:
            raise DomainError(
                _("Unknown region code."), field="author.region", code="unknown_region"
            )
        region_id = region.pk
    if payload.author.district:
        district = District.objects.filter(soato=payload.author.district).first()
        if district is None or (region_id and district.region_id != region_id):
            raise DomainError(
                _("Unknown district code for this region."),
                field="author.district",
                code="unknown_district",
            )
        district_id = district.pk
        region_id = region_id or district.region_id
    return region_id, district_id


def _active_topics() -> dict[str, Topic]:
    """The active topics by code, read once per process and tree version (a topic's save bumps
    it, orgs.tree): a registration names its topics by code. Read-only, shared by requests."""
    return cached(
        ("gateway-topics",), lambda: {t.code: t for t in Topic.objects.filter(is_active=True)}
    )


def _topics(codes: list[str]) -> list[Topic]:
    if not codes:
        return []
    active = _active_topics()
    missing = sorted(set(codes) - active.keys())
    if missing:
        raise DomainError(
            _("Unknown topic codes: %(codes)s.") % {"codes": ", ".join(missing)},
            field="topics",
            code="unknown_topic",
        )
    return [active[code] for code in dict.fromkeys(codes)]


@router.get("/client", response={200: ClientOut, **ERRORS}, summary="Who am I")
def whoami(request: ClientRequest) -> Any:
    """The calling client's own settings: a cheap way to test the signature."""
    return request.auth


@router.post(
    "/appeals",
    response={200: AppealOut, 201: AppealOut, **ERRORS},
    summary="Register an appeal (idempotent on external_id)",
)
def create_appeal(request: ClientRequest, payload: AppealIn) -> Any:
    """201 with the new appeal; 200 with the same appeal when this external_id was sent before
    with the same body; 409 `conflict` when it was sent before with a different body.

    The channel is the client's (the President's or the Minister's Virtual Reception).
    """
    client = request.auth
    digest = request_digest(payload.model_dump(mode="json"))
    # Only the client's own appeals are read: an external id is unique per client, so another
    # client's use of the same id is neither found, refused nor revealed.
    if has_appeal_of_client(client, payload.external_id):
        existing = find_appeal_of_client(client, payload.external_id)
        if existing is not None:
            return _repeated_create(client, existing, digest)
    if payload.received_at is not None:
        check_received_at(payload.received_at)
    region_id, district_id = _place(payload)
    a = payload.author
    registration = services.register_appeal(
        actor=None,
        channel=client.channel,
        text=payload.text,
        received_at=payload.received_at,
        kind=payload.kind,
        author_type=a.type,
        author_name=a.name,
        author_organisation=a.organisation,
        author_address=a.address,
        author_region_id=region_id,
        author_district_id=district_id,
        author_phone=a.phone,
        author_email=a.email,
        is_collective=payload.is_collective,
        signatories=payload.signatories,
        language=payload.language,
        hide_personal_data=payload.hide_personal_data,
        topics=_topics(payload.topics),
        external_id=payload.external_id,
        source_client=client,
        external_id_checked=True,  # just above; a concurrent twin is caught by the index
        # The body's digest is written in the registration's own transaction: one transaction,
        # no savepoint; a lost race is rolled back whole and the winner's appeal returned.
        also=lambda appeal: AppealIntake.objects.create(
            appeal=appeal, client=client, body_sha256=digest
        ),
    )
    if not registration.created:  # lost a race: the winner's row and body decide
        return _repeated_create(client, registration.appeal, digest)
    return Status(201, appeal_out(registration.appeal, just_registered=True))


def _repeated_create(client: Any, appeal: Appeal, digest: str) -> Any:
    stored = (
        AppealIntake.objects.filter(appeal=appeal).values_list("body_sha256", flat=True).first()
    )
    # Appeals created before bodies were kept have nothing to compare: a retry, as before.
    if stored is not None and stored != digest:
        raise Conflict(
            _(
                "An appeal with this external id was already received with different content. "
                "A retry must send exactly the same body; a new appeal needs a new external id."
            ),
            code="conflict",
            field="external_id",
        )
    return Status(200, appeal_out(appeal))


@router.get("/appeals/{external_id}", response={200: AppealOut, **ERRORS}, summary="Status")
def get_appeal(request: ClientRequest, external_id: ExternalId) -> Any:
    """The appeal's state, deadline and, once sent, the ministry's answer."""
    return appeal_out(get_appeal_of_client(request.auth, external_id))


@router.post(
    "/appeals/{external_id}/attachments",
    response={200: DocumentOut, 201: DocumentOut, **ERRORS},
    summary="Upload an attachment (multipart/form-data, field `file`)",
)
def upload_attachment(
    request: ClientRequest, external_id: ExternalId, file: File[UploadedFile]
) -> Any:
    """Checked by content (PDF, JPEG, PNG, TIFF, DOCX, XLSX), not by name. Sending the same
    bytes again returns the stored document with 200."""
    appeal = get_appeal_of_client(request.auth, external_id)
    limit = settings.MUROJAAT_MAX_ATTACHMENT_BYTES
    if file.size is not None and file.size > limit:
        raise DomainError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field="file",
            code="file_too_large",
        )
    content = file.read(limit + 1)
    name = (file.name or "attachment")[:255]
    validate_attachment(name, content)
    document, created = services.add_source_attachment(appeal=appeal, name=name, content=content)
    return Status(201 if created else 200, _document(document))


@router.get(
    "/appeals/{external_id}/documents/{document_id}",
    response={200: None, **ERRORS},
    summary="Download a document of the answer or an attachment",
)
def download_document(request: ClientRequest, external_id: ExternalId, document_id: int) -> Any:
    appeal = get_appeal_of_client(request.auth, external_id)
    # Not an answer document before the answer went out (a draft letter is internal).
    document = documents_for_source(appeal).filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("No such document."))
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )


@router.post(
    "/appeals/{external_id}/acknowledgement",
    response={200: AppealOut, **ERRORS},
    summary="Confirm the answer was accepted: the appeal is closed (R-P2-10)",
)
def acknowledge(request: ClientRequest, external_id: ExternalId) -> Any:
    """Idempotent: acknowledging a closed appeal again changes nothing and answers 200."""
    appeal = get_appeal_of_client(request.auth, external_id)
    appeal = services.acknowledge_closure(appeal=appeal, as_source=True)
    return appeal_out(appeal)


@router.post(
    "/appeals/{external_id}/rejection",
    response={200: AppealOut, **ERRORS},
    summary="Refuse the answer: it goes back for rework",
)
def reject(request: ClientRequest, external_id: ExternalId, payload: RejectionIn) -> Any:
    appeal = get_appeal_of_client(request.auth, external_id)
    appeal = services.source_rejects_answer(appeal=appeal, reason=payload.reason, as_source=True)
    return appeal_out(appeal)
