"""The built-in wording of every kind, in the four languages through the catalogues.

Each text is a Django template over the kind's context; an administrator's Template row for a
(kind, language) replaces it without a release. Citizens' texts say no more than the public
tracking page shows: the number, which organisation holds the appeal, dates and the link.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Kind, Template

log = logging.getLogger("murojaat.notifications")

DEFAULTS: dict[str, tuple[Any, Any]] = {
    Kind.ASSIGNED: (
        _("New assignment: appeal {{ number }}"),
        _(
            "Appeal {{ number }} was assigned to {{ org }}. Accept it by {{ accept_due }}; "
            "the answer is due on {{ due }}.\n{{ link }}"
        ),
    ),
    Kind.ACCEPT_DUE: (
        _("Accept appeal {{ number }} today"),
        _("Appeal {{ number }} sent to {{ org }} must be accepted today.\n{{ link }}"),
    ),
    Kind.EXECUTION_DUE: (
        _("Appeal {{ number }}: answer due on {{ due }}"),
        _(
            "The answer to appeal {{ number }} ({{ org }}) is due on {{ due }}: "
            "{{ days_left }} working day(s) left.\n{{ link }}"
        ),
    ),
    Kind.OVERDUE: (
        _("Appeal {{ number }}: deadline missed"),
        _(
            "The deadline of {{ due }} for appeal {{ number }} ({{ org }}) was missed. "
            "An explanation is required.\n{{ link }}"
        ),
    ),
    Kind.EXTENSION_DECIDED: (
        _("Appeal {{ number }}: extension {{ decision }}"),
        _(
            "The working group {{ decision }} the extension for appeal {{ number }}. "
            "Due date: {{ due }}. {{ comment }}\n{{ link }}"
        ),
    ),
    Kind.ANSWER_REWORK: (
        _("Appeal {{ number }}: answer sent back for rework"),
        _("The answer to appeal {{ number }} was sent back for rework: {{ comment }}\n{{ link }}"),
    ),
    Kind.SIGNATURE_NEEDED: (
        _("Appeal {{ number }}: answer awaits your signature"),
        _("The answer of {{ org }} to appeal {{ number }} awaits your signature.\n{{ link }}"),
    ),
    Kind.PART_ARRIVED: (
        _("Appeal {{ number }}: a part of the answer arrived"),
        _("{{ org }} submitted its part of the answer to appeal {{ number }}.\n{{ link }}"),
    ),
    Kind.REVIEW_REQUESTED: (
        _("Appeal {{ number }}: the author asks for a review"),
        _("The author of appeal {{ number }} asks for a review of the answer.\n{{ link }}"),
    ),
    Kind.SOURCE_REJECTED: (
        _("Appeal {{ number }}: the source did not accept the answer"),
        _("The source did not accept the answer to appeal {{ number }}: {{ comment }}\n{{ link }}"),
    ),
    Kind.URGENT: (
        _("Appeal {{ number }} is flagged as urgent"),
        _(
            "Appeal {{ number }} describes an immediate risk to life or health ({{ words }}). "
            "Route it today, by {{ route_by }}, or clear the flag.\n{{ link }}"
        ),
    ),
    Kind.ESCALATION: (
        _("Appeal {{ number }}: deadline {{ due }} ({{ org }})"),
        _(
            "Escalation: the assignment of appeal {{ number }} to {{ org }} is due on {{ due }} "
            "and is not answered yet. You are told as {{ target }}.\n{{ link }}"
        ),
    ),
    Kind.RECEIPT: (
        _("Your appeal {{ number }} was received"),
        _(
            "Your appeal was registered under number {{ number }}. Follow it at {{ link }} "
            "with the number and the code {{ tracking_code }}."
        ),
    ),
    Kind.ROUTED: (
        _("Your appeal {{ number }} is being considered"),
        _("Your appeal {{ number }} was sent to {{ org }} for consideration.\n{{ link }}"),
    ),
    Kind.DEADLINE_EXTENDED: (
        _("Your appeal {{ number }}: the deadline was extended"),
        _(
            "The consideration of your appeal {{ number }} was extended until {{ due }}. "
            "Reason: {{ comment }}\n{{ link }}"
        ),
    ),
    Kind.ANSWER_READY: (
        _("Your appeal {{ number }} was answered"),
        _("The answer to your appeal {{ number }} is ready. See it at {{ link }}"),
    ),
    Kind.REVIEW_REPLY: (
        _("Your review request for appeal {{ number }}"),
        _(
            "The working group replied to your review request for appeal {{ number }}: "
            "{{ comment }}\n{{ link }}"
        ),
    ),
    Kind.BOOKING: (
        _("Reception booking {{ status }}"),
        _(
            "Your reception booking is {{ status }}: {{ when }}, {{ place }}. {{ comment }}\n"
            "{{ link }}"
        ),
    ),
    Kind.BOOKING_CODE: (
        _("Confirmation code for your reception booking"),
        _(
            "Your code to confirm the reception on {{ when }}: {{ code }}. "
            "It is valid for 10 minutes. Do not share it."
        ),
    ),
    Kind.TRACKING_CODE: (
        _("Confirmation code for appeal {{ number }}"),
        _(
            "Your one-time confirmation code for appeal {{ number }}: {{ code }}. "
            "It is valid for 15 minutes. Do not share it."
        ),
    ),
    Kind.PHONE_CODE: (
        _("Code to see your appeals"),
        _(
            "Your one-time code to see the appeals written with this phone: {{ code }}. "
            "It is valid for 15 minutes. Do not share it."
        ),
    ),
}

_ENGINE = Engine(autoescape=False)


def wording(kind: str, language: str) -> tuple[str, str]:
    """The administrator's template for this kind and language, else the built-in one."""
    own = Template.objects.filter(kind=kind, language=language).first()
    if own is not None:
        return own.subject, own.body
    subject, body = DEFAULTS[kind]
    with translation.override(language):
        return str(subject), str(body)


def check_syntax(text: str) -> None:
    """Raises TemplateSyntaxError for a wording that would not render (the admin form asks)."""
    _ENGINE.from_string(text)


def _render(subject: str, body: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    ctx = Context(context, autoescape=False)
    with translation.override(language):
        rendered_subject = _ENGINE.from_string(subject).render(ctx)
        rendered_body = _ENGINE.from_string(body).render(ctx)
    return " ".join(rendered_subject.split())[:300], rendered_body.strip()


def render(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """The message in `language`. A stored wording that no longer renders never blocks the
    change that caused the message (it runs in that transaction): the built-in text is used."""
    subject, body = wording(kind, language)
    try:
        return _render(subject, body, language, context)
    except TemplateSyntaxError:
        log.exception("notification template %s/%s does not render", kind, language)
        with translation.override(language):
            default_subject, default_body = (str(t) for t in DEFAULTS[kind])
        return _render(default_subject, default_body, language, context)
