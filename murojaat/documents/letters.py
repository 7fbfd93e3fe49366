"""The answer letter as an official document (R-P2-9, L-9): its context, its outgoing number,
and its two forms, DOCX to edit and PDF to send.

A draft (unsigned) letter has no number and says it is a draft; the signed one is issued once
per signature (`issue_letter`), which gives it the organisation's next outgoing number, freezes
its date and signer, and a random token for the QR code that opens the public confirmation
(number, date, signer; never the content).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from murojaat.appeals.deadlines import local_date
from murojaat.appeals.models import Answer, AnswerState
from murojaat.core.errors import DomainError

from . import render
from .models import IssuedLetter, LetterSequence


def _language(answer: Answer) -> str:
    from murojaat.appeals.documents import letter_language

    return letter_language(answer.assignment.appeal)


def _next_seq(organisation_id: int, year: int) -> int:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                LetterSequence.objects.get_or_create(organisation_id=organisation_id, year=year)
            break
        except IntegrityError:  # created concurrently: take the row the other one made
            continue
    seq = LetterSequence.objects.select_for_update().get(organisation_id=organisation_id, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


@transaction.atomic
def issue_letter(answer: Answer) -> IssuedLetter:
    """The signed answer's letter: issued once per signature, the same one on every download."""
    if answer.state != AnswerState.SIGNED or answer.signed_by is None or answer.signed_at is None:
        raise DomainError(
            _("The letter gets its number when the answer is signed."), code="not_signed"
        )
    existing = IssuedLetter.objects.filter(answer=answer, signed_at=answer.signed_at).first()
    if existing is not None:
        return existing
    org = answer.assignment.org
    issued_on = local_date(timezone.now())
    seq = _next_seq(org.pk, issued_on.year)
    signer = answer.signed_by
    return IssuedLetter.objects.create(
        answer=answer,
        signed_at=answer.signed_at,
        organisation=org,
        year=issued_on.year,
        seq=seq,
        number=f"{org.code}/{issued_on.year}-{seq}",
        issued_on=issued_on,
        signer_name=signer.full_name,
        signer_position=signer.position,
        language=_language(answer),
        token=secrets.token_urlsafe(32),
    )


def _same_sentence(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.casefold().replace("№", "no.").split()).rstrip(".")

    return norm(a) == norm(b)


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def letter_context(
    answer: Answer, issued: IssuedLetter | None, verify_url: str = ""
) -> render.Letter:
    """Everything the letter says, in the letter's language (the appeal's, not the clerk's)."""
    with translation.override(issued.language if issued else _language(answer)):
        return _context(answer, issued, verify_url)


def _context(answer: Answer, issued: IssuedLetter | None, verify_url: str) -> render.Letter:
    a = answer.assignment
    appeal = a.appeal
    org = a.org
    if issued is not None:
        number_line = _("No. %(number)s of %(date)s") % {
            "number": issued.number,
            "date": _date(issued.issued_on),
        }
        signer_name, signer_position = issued.signer_name, issued.signer_position
    else:
        number_line = _("No. %(number)s of %(date)s") % {"number": "________", "date": "__.__.____"}
        signer = answer.signed_by
        signer_name = signer.full_name if signer else "____________________"
        signer_position = signer.position if signer else ""
    addressee = [appeal.author_organisation or appeal.author_name or _("Author of the appeal")]
    if appeal.author_organisation and appeal.author_name:
        addressee.append(appeal.author_name)
    if appeal.author_address:
        addressee.append(appeal.author_address)
    reference = _("Your appeal No. %(number)s received on %(date)s has been considered.") % {
        "number": appeal.number,
        "date": _date(local_date(appeal.received_at)),
    }
    paragraphs = [p.strip() for p in answer.text.splitlines() if p.strip()]
    if paragraphs and _same_sentence(paragraphs[0], reference):
        # The executor often opens with the same sentence: the letter says it once.
        reference = ""
    outcomes = [
        (
            o.topic.name if o.topic_id else _("The appeal as a whole"),
            str(o.get_outcome_display()),
            o.legal_ground,
        )
        for o in answer.outcomes.select_related("topic").order_by("pk")
    ]
    executor = a.executor or answer.prepared_by
    phone = executor.phone or org.phone
    executor_line = _("Executor: %(name)s, phone %(phone)s") % {
        "name": executor.full_name,
        "phone": phone or "—",
    }
    return render.Letter(
        letterhead=render.Letterhead(name=org.name, address=org.address, phone=org.phone),
        number_line=number_line,
        addressee=addressee,
        reference_line=reference,
        paragraphs=paragraphs,
        outcomes_title=_("Outcome by issue:"),
        outcomes=outcomes,
        signer_position=signer_position,
        signer_name=signer_name,
        executor_line=executor_line,
        verify_url=verify_url if issued else "",
        verify_label=(
            _("Check this letter: scan the QR code or open %(url)s") % {"url": verify_url}
            if issued and verify_url
            else ""
        ),
        draft_mark="" if issued else _("DRAFT: not signed, without an outgoing number"),
    )


def letter_docx(answer: Answer, issued: IssuedLetter | None = None) -> bytes:
    return render.letter_docx(letter_context(answer, issued))


def letter_pdf(answer: Answer, issued: IssuedLetter, verify_url: str) -> bytes:
    return render.letter_pdf(letter_context(answer, issued, verify_url))


def issued_for(answer: Answer) -> IssuedLetter | None:
    """The letter of the answer's current signature, if it was issued."""
    if answer.signed_at is None:
        return None
    return IssuedLetter.objects.filter(answer=answer, signed_at=answer.signed_at).first()
