"""The answer letter as PDF (staff) and its public confirmation (anyone with the QR code)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from murojaat.appeals.models import Answer
from murojaat.core.errors import DomainError

from . import letters
from .models import IssuedLetter


def signed_letter_pdf(request: HttpRequest, answer: Answer, docx_name: str) -> HttpResponse:
    """Called by the case view after its own visibility checks: the letter to send."""
    try:
        issued = letters.issue_letter(answer)
    except DomainError as err:
        raise Http404(str(err.message)) from err
    url = request.build_absolute_uri(reverse("public:letter", args=[issued.token]))
    content = letters.letter_pdf(answer, issued, url)
    response = HttpResponse(content, content_type="application/pdf")
    name = docx_name.removesuffix(".docx") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@cache_control(max_age=300, public=True)
def letter_confirmation(request: HttpRequest, token: str) -> HttpResponse:
    """Confirms that the letter exists: its number, date, organisation and signer. Never its
    content, addressee or appeal: the token is on paper the citizen may show to anyone."""
    letter = (
        IssuedLetter.objects.select_related("organisation").filter(token=token).first()
        if 20 <= len(token) <= 64
        else None
    )
    if letter is None:
        return render(request, "documents/letter_unknown.html", status=404)
    return render(request, "documents/letter_confirmation.html", {"letter": letter})
