"""Issued answer letters (R-P2-9): the outgoing number, the date and the signer, frozen when the
letter is issued, and the unguessable token its QR code carries to the public confirmation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterSequence(models.Model):
    """The last outgoing number an organisation gave in a year: locked while a number is taken,
    so two letters never share one and none is skipped."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="documents_one_sequence_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class IssuedLetter(models.Model):
    """One signed answer letter. A reworked and signed-again answer is a new letter with a new
    number; the old one stays confirmable as what it was."""

    answer = models.ForeignKey(
        "appeals.Answer", on_delete=models.PROTECT, related_name="issued_letters"
    )
    signed_at = models.DateTimeField(_("signed"))
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="issued_letters"
    )
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("outgoing number"), max_length=64, unique=True)
    issued_on = models.DateField(_("date"))
    signer_name = models.CharField(_("signed by"), max_length=255)
    signer_position = models.CharField(_("position"), max_length=255, blank=True)
    language = models.CharField(max_length=10)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("issued letter")
        verbose_name_plural = _("issued letters")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "signed_at"], name="documents_one_letter_per_signature"
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "seq"], name="documents_letter_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number
