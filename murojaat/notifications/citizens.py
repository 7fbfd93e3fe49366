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
from murojaat.core.identity import normalise_phone

from .models import Channel, Kind, OtpPurpose, TrackingResend
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
    return send_code(appeal, channel, OtpPurpose.NEW_TRACKING_CODE)


def send_code(appeal: Appeal, channel: str, purpose: str) -> int | None:
    """A one-time code to the appeal's contact on `channel` (only its hash is kept); the
    request's id, or None past REQUESTS_PER_HOUR for that contact. Shared by the tracking
    code's re-send and the phone's list of appeals (issue 13), which differ only in `purpose`."""
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
            purpose=purpose,
            code_hash=make_password(code),
            expires_at=timezone.now() + OTP_LIFETIME,
        )
        to_citizen(
            appeal,
            kind=Kind.PHONE_CODE if purpose == OtpPurpose.PHONE_LIST else Kind.TRACKING_CODE,
            source=f"otp{resend.pk}",
            context={"code": code},
            secret=code,
            channels=[channel],
        )
    return resend.pk


def spend_code(resend_id: int, code: str, purpose: str) -> TrackingResend | None:
    """The request if `code` is its code, in time, within OTP_TRIES and unused; then used.

    Call inside a transaction: the row stays locked until the caller's own writes commit."""
    resend = (
        TrackingResend.objects.select_for_update()
        .select_related("appeal")
        .filter(pk=resend_id, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if resend is None or resend.attempts >= OTP_TRIES:
        return None
    TrackingResend.objects.filter(pk=resend.pk).update(attempts=F("attempts") + 1)
    if not check_password(code.strip(), resend.code_hash):
        return None
    TrackingResend.objects.filter(pk=resend.pk).update(used_at=timezone.now())
    return resend


@dataclass(frozen=True)
class Confirmed:
    number: str
    tracking_code: str


def confirm_resend(resend_id: int, code: str) -> Confirmed | None:
    """The right one-time code, in time and within the tries: a new tracking code."""
    with transaction.atomic():
        resend = spend_code(resend_id, code, OtpPurpose.NEW_TRACKING_CODE)
        if resend is None:
            return None
        appeal = resend.appeal
        tracking_code = readable_code()
        Appeal.objects.filter(pk=appeal.pk).update(
            tracking_secret_hash=make_password(tracking_code)
        )
        notify_receipt(
            appeal, tracking_code, source=f"newcode{resend.pk}", channels=[resend.channel]
        )
    return Confirmed(appeal.number, tracking_code)


# --- issue 13: every appeal of a phone, once the phone is proven -----------------------------


def request_phone_code(phone: str) -> int | None:
    """An SMS with a one-time code to `phone` if an appeal to the ministry's own doors was
    written with it; the request's id, or None (the caller answers the same either way).

    The code goes to the phone as written on that appeal (its normalised key is the same), so
    a stranger typing someone's number only makes that person's own phone receive a code."""
    from murojaat.appeals.selectors.citizen import appeals_of_phone

    key = normalise_phone(phone)
    latest = appeals_of_phone(key).exclude(author_phone="").first() if key else None
    if latest is None:
        return None
    return send_code(latest, Channel.SMS, OtpPurpose.PHONE_LIST)


def confirm_phone(resend_id: int, code: str) -> str | None:
    """The proven phone's normalised key, or None for a wrong, used or expired code."""
    with transaction.atomic():
        resend = spend_code(resend_id, code, OtpPurpose.PHONE_LIST)
        return resend.appeal.author_phone_key if resend is not None else None
