"""Documents: checked by content against an allow-list, stored by hash, and the answer letter.

A file's name and declared type are the sender's claims; its bytes are the fact. The store
path is derived from the content hash, so no user-supplied name ever reaches the file system.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from murojaat.core.errors import DomainError

from .models import Answer, AnswerState, Appeal, Assignment, Document, DocumentKind

# Uzbek in Latin script, the state language: what a letter and a new appeal default to.
STATE_LANGUAGE = "uz"

# MIME types accepted, by what the content really is (R-P2-1 signed scans; R-P2-12 Word).
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


# File name endings that may honestly name each type.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg", "jpe"},
    "image/png": {"png"},
    "image/tiff": {"tif", "tiff"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
}


def _what(mime: str) -> str:
    labels = {
        "application/pdf": _("a PDF document"),
        "image/jpeg": _("a JPEG image"),
        "image/png": _("a PNG image"),
        "image/tiff": _("a TIFF image"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _(
            "a Word (DOCX) document"
        ),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _(
            "an Excel (XLSX) workbook"
        ),
    }
    return str(labels.get(mime, mime))


def sniff(content: bytes) -> str | None:
    """The allowed MIME type the bytes really are, or None."""
    kind = filetype.guess(content)
    if kind is None:
        return None
    mime = kind.mime
    return mime if mime in ALLOWED_TYPES else None


def validate_upload(name: str, content: bytes) -> str:
    """Return the sniffed MIME type or raise a DomainError saying what is wrong."""
    limit = settings.MUROJAAT_MAX_ATTACHMENT_BYTES
    if not content:
        raise DomainError(
            _("The file “%(name)s” is empty.") % {"name": name}, field="file", code="empty_file"
        )
    if len(content) > limit:
        raise DomainError(
            _("The file “%(name)s” is larger than %(mb)s MB.")
            % {"name": name, "mb": limit // (1024 * 1024)},
            field="file",
            code="file_too_large",
        )
    mime = sniff(content)
    if mime is None:
        raise DomainError(
            _(
                "The file “%(name)s” is not a PDF, JPEG, PNG, TIFF, DOCX or XLSX document "
                "(checked by its content)."
            )
            % {"name": name},
            field="file",
            code="file_type_not_allowed",
        )
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    if suffix and suffix not in EXTENSIONS[mime]:
        # A "scan.pdf" that is really a PNG would open in the wrong program downstream.
        raise DomainError(
            _(
                "The file “%(name)s” is named as .%(ext)s but its content is %(what)s "
                "(checked by its content). Rename it or send the right file."
            )
            % {"name": name, "ext": suffix, "what": _what(mime)},
            field="file",
            code="file_type_mismatch",
        )
    return mime


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return "".join(ch for ch in base if ch.isprintable())[:200]


def store_document(
    *,
    appeal: Appeal,
    assignment: Assignment | None,
    kind: str,
    name: str,
    content: bytes,
    uploaded_by: Any,
) -> Document:
    if kind not in DocumentKind.values:
        raise DomainError(_("Unknown document kind."), field="kind", code="invalid_kind")
    mime = validate_upload(name, content)
    digest = Document.digest(content)
    document = Document(
        appeal=appeal,
        assignment=assignment,
        kind=kind,
        original_name=_clean_name(name),
        content_type=mime,
        size=len(content),
        sha256=digest,
        uploaded_by=uploaded_by if uploaded_by and uploaded_by.pk else None,
    )
    document.file.save(f"{digest}.{ALLOWED_TYPES[mime]}", ContentFile(content), save=False)
    document.save()
    return document


def letter_language(appeal: Appeal) -> str:
    """The language the citizen wrote in, not the clerk's screen: the letter is theirs to read.

    Uzbek (Latin), the state language, when the appeal does not say or says something the
    interface does not speak."""
    if appeal.language in dict(settings.LANGUAGES):
        return appeal.language
    return STATE_LANGUAGE


def answer_letter_docx(answer: Answer) -> bytes:
    """R-P2-9: the answer letter to edit, in the appeal's language (letter_language): A4, the
    organisation's letterhead, the outgoing number once the answer is signed (a draft says it
    is one), the text once, the outcome per issue, the signer and the executor. Rendered by
    `murojaat.documents`, which also gives the PDF to send."""
    from murojaat.documents import letters

    issued = letters.issue_letter(answer) if answer.state == AnswerState.SIGNED else None
    return letters.letter_docx(answer, issued)
