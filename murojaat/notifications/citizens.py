"""The citizen never loses access: a new tracking code, proved by a one-time code.

Only the hash of a tracking code is stored, so a lost code cannot be sent again as it was; the
author proves they hold the phone or e-mail on file with a one-time code sent there, and a new
tracking code replaces the old one (sent to the same contact and shown once). Every answer to
the first step is the same whether or not the number and contact matched, so the page tells a
stranger nothing; a one-time code allows five tries within fifteen minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from murojaat.appeals.models import Appeal
from murojaat.core.codes import digits_code, readable_code

from .models import Channel, Kind, TrackingResend
from .services import notify_receipt, to_citizen

OTP_LIFETIME = timedelta(minutes=15)
OTP_TRIES = 5
REQUESTS_PER_HOUR = 3


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def _channel_for(appeal: Appeal, contact: str) -> str | None:
    contact = contact.strip()
    if "@" in contact:
        same = appeal.author_email and appeal.author_email.strip().lower() == contact.lower()
        return Channel.EMAIL if same else None
    digits = _digits(contact)
    on_file = _digits(appeal.author_phone)
    # The last nine digits are the subscriber number: +998 90 ... and 90 ... are the same phone.
    if len(digits) >= 9 and on_file and on_file[-9:] == digits[-9:]:
        return Channel.SMS
    return None


def request_resend(*, number: str, contact: str) -> int | None:
    """Send a one-time code to the contact on file if it matches; the request's id, or None."""
    appeal = (
        Appeal.objects.filter(number=number.strip().upper(), source_client__isnull=True)
        .exclude(tracking_secret_hash="")
        .first()
    )
    channel = _channel_for(appeal, contact) if appeal else None
    if appeal is None or channel is None:
        return None
    recent = TrackingResend.objects.filter(
        appeal=appeal, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= REQUESTS_PER_HOUR:
        return None
    code = digits_code()
    with transaction.atomic():
        resend = TrackingResend.objects.create(
            appeal=appeal,
            channel=channel,
            code_hash=make_password(code),
            expires_at=timezone.now() + OTP_LIFETIME,
        )
        to_citizen(
            appeal,
            kind=Kind.TRACKING_CODE,
            source=f"otp{resend.pk}",
            context={"code": code},
            secret=code,
            channels=[channel],
        )
    return resend.pk


@dataclass(frozen=True)
class Confirmed:
    number: str
    tracking_code: str


def confirm_resend(resend_id: int, code: str) -> Confirmed | None:
    """The right one-time code, in time and within the tries: a new tracking code."""
    with transaction.atomic():
        resend = (
            TrackingResend.objects.select_for_update()
            .select_related("appeal")
            .filter(pk=resend_id, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if resend is None or resend.attempts >= OTP_TRIES:
            return None
        TrackingResend.objects.filter(pk=resend.pk).update(attempts=F("attempts") + 1)
        if not check_password(code.strip(), resend.code_hash):
            return None
        TrackingResend.objects.filter(pk=resend.pk).update(used_at=timezone.now())
        appeal = resend.appeal
        tracking_code = readable_code()
        Appeal.objects.filter(pk=appeal.pk).update(
            tracking_secret_hash=make_password(tracking_code)
        )
        notify_receipt(
            appeal, tracking_code, source=f"newcode{resend.pk}", channels=[resend.channel]
        )
    return Confirmed(appeal.number, tracking_code)
