"""E-mail through the configured Django backend (SMTP in production): HTML and plain text."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Notification
from .http import DeliveryError


def message_id(notification: Notification) -> str:
    """Stable per row: a receiving system can tell a repeated delivery from a new message."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    return f"<{digest}@murojaat>"


def build(notification: Notification) -> EmailMultiAlternatives:
    with translation.override(notification.language):
        html = render_to_string(
            "notifications/email.html",
            {"subject": notification.subject, "body": notification.body, "link": notification.link},
        )
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={
            "Message-ID": message_id(notification),
            "Content-Language": notification.language,
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send(notification: Notification) -> None:
    sent = build(notification).send(fail_silently=False)
    if sent != 1:
        raise DeliveryError("the mail server did not take the message")
