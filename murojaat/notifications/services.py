"""Events become notifications: one function maps an appeal Event to outbox rows.

`notify_event` runs inside the transaction that writes the event (the services' event helper
calls it), so the rows commit or roll back with the change. Each row's key names its source,
recipient and channel; writing goes through get_or_create on that key, so a retried call never
writes a second row. Delivery is enqueued after commit; the periodic sweep catches anything the
enqueue missed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from murojaat.accounts.models import User
from murojaat.appeals.models import Appeal, Assignment, AssignmentRole, Event, EventKind
from murojaat.appeals.permissions import consolidating_lead

from . import recipients
from .models import STAFF_KINDS, Channel, Kind, Notification, Preference, Profile, State
from .texts import render

log = logging.getLogger("murojaat.notifications")

# A staff member's channels when they chose nothing: in the application and by e-mail always,
# Telegram once they linked it; SMS costs money per message, so only when asked for.
DEFAULT_ON = {Channel.IN_APP: True, Channel.EMAIL: True, Channel.TELEGRAM: True, Channel.SMS: False}

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}

TARGET_WORDS = {
    "executor": _("the executor"),
    "head": _("the organisation's head"),
    "parent": _("the parent organisation"),
    "working_group": _("the working group"),
}


def site_url(path: str) -> str:
    return settings.MUROJAAT_SITE_URL.rstrip("/") + path


def appeal_link(appeal: Appeal) -> str:
    return site_url(reverse("appeals:detail", args=[appeal.number]))


def tracking_link() -> str:
    """The public tracking page, where the citizen types the number and the code."""
    return site_url(reverse("citizens:public_track"))


def _language(value: str) -> str:
    value = (value or "").lower().replace("_", "-")
    return value if value in LANGUAGE_CODES else settings.LANGUAGE_CODE


# --- preferences ----------------------------------------------------------------------------


def channel_enabled(user: User, kind: str, channel: str) -> bool:
    pref = Preference.objects.filter(user=user, kind=kind, channel=channel).first()
    return pref.enabled if pref is not None else DEFAULT_ON[Channel(channel)]


def address_of(user: User, channel: str) -> str:
    if channel == Channel.IN_APP:
        return ""
    if channel == Channel.EMAIL:
        return user.email
    if channel == Channel.SMS:
        return user.phone
    profile = Profile.objects.filter(user=user).first()
    return profile.telegram_chat_id if profile else ""


def after_quiet_hours(user: User | None, now: datetime) -> datetime:
    """The first moment outside the person's quiet hours (now if they are not in them)."""
    profile = Profile.objects.filter(user=user).first() if user else None
    if profile is None or profile.quiet_from is None or profile.quiet_until is None:
        return now
    local = timezone.localtime(now)
    start, end = profile.quiet_from, profile.quiet_until
    t = local.time()
    quiet = (start <= t < end) if start <= end else (t >= start or t < end)
    if not quiet:
        return now
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=local.tzinfo)


# --- writing rows ---------------------------------------------------------------------------


def _write(
    *,
    key: str,
    kind: str,
    channel: str,
    language: str,
    context: dict[str, Any],
    appeal: Appeal | None,
    event: Event | None,
    link: str,
    user: User | None = None,
    address: str = "",
    secret: str = "",
) -> Notification | None:
    subject, body = render(kind, language, context)
    now = timezone.now()
    in_app = channel == Channel.IN_APP
    row, created = Notification.objects.get_or_create(
        key=key[:200],
        defaults={
            "kind": kind,
            "channel": channel,
            "user": user,
            "address": address,
            "appeal": appeal,
            "event": event,
            "language": language,
            "subject": subject,
            "body": body,
            "link": link,
            "secret": secret,
            # The row itself is the in-app message: it is delivered by being written.
            "state": State.SENT if in_app else State.PENDING,
            "sent_at": now if in_app else None,
            "next_attempt_at": now if in_app else after_quiet_hours(user, now),
        },
    )
    if not created:
        return None
    if in_app and user is not None:
        from .selectors import forget_unread

        forget_unread(user.pk)  # now for this request, and after commit for everyone else
        transaction.on_commit(lambda: forget_unread(user.pk))
    else:
        transaction.on_commit(lambda: enqueue(row.pk))
    return row


def enqueue(pk: int) -> None:
    """Ask a worker to deliver now; the periodic sweep delivers it if this fails."""
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(pk)
    except Exception:  # a broker outage must not fail the request that committed the change
        log.warning("could not enqueue a notification", extra={"notification": pk})


def to_staff(
    users: Iterable[User],
    *,
    kind: str,
    appeal: Appeal,
    source: str,
    context: dict[str, Any],
    event: Event | None = None,
) -> list[Notification]:
    """Rows for each staff member who may see the appeal, on each channel they keep open."""
    assert kind in STAFF_KINDS, kind
    written = []
    link = appeal_link(appeal)
    for user in recipients.may_see(users, appeal):
        language = _language(user.language)
        for channel in Channel:
            if not channel_enabled(user, kind, channel):
                continue
            address = address_of(user, channel)
            if channel != Channel.IN_APP and not address:
                continue
            row = _write(
                key=f"{source}:u{user.pk}:{channel}",
                kind=kind,
                channel=channel,
                language=language,
                context={**context, "number": appeal.number, "link": link},
                appeal=appeal,
                event=event,
                link=link,
                user=user,
                address=address,
            )
            if row is not None:
                written.append(row)
    return written


def to_citizen(
    appeal: Appeal,
    *,
    kind: str,
    source: str,
    context: dict[str, Any],
    event: Event | None = None,
    secret: str = "",
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """Rows to the contacts the author gave (e-mail, SMS), in the appeal's language.

    The author of an appeal that came through the President's Virtual Reception hears from the
    Reception itself (the outbox to the source); only the ministry's own doors write here.
    """
    if appeal.source_client_id is not None:
        return []
    contacts = {Channel.EMAIL: appeal.author_email.strip(), Channel.SMS: appeal.author_phone}
    wanted = set(channels) if channels is not None else set(contacts)
    link = tracking_link()
    written = []
    for channel, address in contacts.items():
        if not address or channel not in wanted:
            continue
        row = _write(
            key=f"{source}:c:{channel}",
            kind=kind,
            channel=channel,
            language=_language(appeal.language),
            context={"number": appeal.number, "link": link, **context},
            appeal=appeal,
            event=event,
            link=link,
            address=address.strip(),
            secret=secret,
        )
        if row is not None:
            written.append(row)
    return written


# --- events -> notifications ----------------------------------------------------------------


def _org_name(org: Any) -> str:
    return str(org.name) if org is not None else ""


def _assignment_context(a: Assignment) -> dict[str, Any]:
    return {
        "org": _org_name(a.org),
        "due": a.due_date.isoformat(),
        "accept_due": a.accept_due.isoformat(),
    }


def notify_event(event: Event) -> None:
    """The one mapping from an appeal event to the people who must hear of it."""
    handler = HANDLERS.get(event.kind)
    if handler is not None:
        handler(event)


def _tell(event: Event, kind: str, people: Iterable[User], **context: Any) -> None:
    """Staff rows for one event: the assignment's organisation and dates, plus `context`."""
    a = event.assignment
    base = _assignment_context(a) if a is not None else {}
    to_staff(
        people,
        kind=kind,
        appeal=event.appeal,
        source=f"ev{event.pk}",
        context={**base, "comment": event.comment, **context},
        event=event,
    )


def _tell_citizen(event: Event, kind: str, **context: Any) -> None:
    to_citizen(event.appeal, kind=kind, source=f"ev{event.pk}", context=context, event=event)


def _executor_and_officer(a: Assignment) -> list[User]:
    return [*recipients.executor_or_responsible(a), *recipients.responsible(a.org_id)]


def _is_lead(a: Assignment) -> bool:
    return a.parent_id is None and a.role == AssignmentRole.EXECUTOR


def _assigned(event: Event) -> None:
    """R-ORG-4: a new assignment goes to the organisation's responsible officer; the citizen
    learns which organisation now holds the appeal (the lead's, never a co-executor's)."""
    a = event.assignment
    if a is None:
        return
    _tell(event, Kind.ASSIGNED, recipients.responsible(a.org_id))
    if a.role == AssignmentRole.EXECUTOR and not event.data.get("co_executor"):
        _tell_citizen(event, Kind.ROUTED, org=_org_name(a.org))


def _executor_set(event: Event) -> None:
    a = event.assignment
    if a is not None and a.executor is not None:
        _tell(event, Kind.ASSIGNED, [a.executor])


def _extension(event: Event) -> None:
    a = event.assignment
    if a is None:
        return
    approved = event.kind == EventKind.EXTENSION_APPROVED
    _tell(
        event,
        Kind.EXTENSION_DECIDED,
        _executor_and_officer(a),
        due=event.data.get("due") or a.due_date.isoformat(),
        decision=_("approved") if approved else _("refused"),
    )
    if approved and _is_lead(a):
        due = event.appeal.due_date.isoformat()
        _tell_citizen(event, Kind.DEADLINE_EXTENDED, due=due, comment=event.comment)


def _rework(event: Event) -> None:
    if event.assignment is not None:
        _tell(event, Kind.ANSWER_REWORK, _executor_and_officer(event.assignment))


def _drafted(event: Event) -> None:
    if event.assignment is not None:
        _tell(event, Kind.SIGNATURE_NEEDED, recipients.signers(event.assignment))


def _submitted(event: Event) -> None:
    """A co-executor's or a forwarded executor's part reached the organisation that waits."""
    a = event.assignment
    if a is None or _is_lead(a):
        return
    # R-P2-5: a co-executor named by the working group reports to the lead, who consolidates;
    # a forwarded executor reports to the organisation that forwarded it.
    waiting = consolidating_lead(a) or a.parent
    people = recipients.responsible(waiting.org_id if waiting else a.sender_org_id)
    if waiting is not None and waiting.executor is not None:
        people.append(waiting.executor)
    _tell(event, Kind.PART_ARRIVED, people)


def _review_requested(event: Event) -> None:
    _tell(event, Kind.REVIEW_REQUESTED, recipients.working_group())


def _source_rejected(event: Event) -> None:
    a = event.assignment
    lead = _executor_and_officer(a) if a is not None else []
    _tell(event, Kind.SOURCE_REJECTED, [*recipients.working_group(), *lead])


def _missed(event: Event) -> None:
    a = event.assignment
    if a is not None:
        people = [*_executor_and_officer(a), *recipients.head(a.org_id)]
        _tell(event, Kind.OVERDUE, people, due=event.data.get("due", a.due_date.isoformat()))


def _answer_sent(event: Event) -> None:
    _tell_citizen(event, Kind.ANSWER_READY)


def _review_closed(event: Event) -> None:
    _tell_citizen(event, Kind.REVIEW_REPLY, comment=event.comment)


def _escalated(event: Event) -> None:
    from .sweeps import escalation_recipients

    a = event.assignment
    if a is not None:
        target = str(event.data.get("target", ""))
        people = escalation_recipients(a, target)
        _tell(event, Kind.ESCALATION, people, target=TARGET_WORDS.get(target, target))


def _urgent(event: Event) -> None:
    """Issue 14: an appeal flagged urgent at intake is the working group's to route today; the
    words that triggered the flag tell them why without opening it."""
    words = ", ".join(str(w) for w in event.data.get("words", []))
    at = event.data.get("route_by")
    route_by = timezone.localtime(datetime.fromisoformat(at)).strftime("%H:%M") if at else ""
    _tell(event, Kind.URGENT, recipients.working_group(), words=words, route_by=route_by)


HANDLERS = {
    EventKind.ROUTED: _assigned,
    EventKind.FORWARDED: _assigned,
    EventKind.CO_EXECUTORS: _assigned,
    EventKind.EXECUTOR_SET: _executor_set,
    EventKind.EXTENSION_APPROVED: _extension,
    EventKind.EXTENSION_REFUSED: _extension,
    EventKind.ANSWER_REJECTED: _rework,
    EventKind.ANSWER_DRAFTED: _drafted,
    EventKind.ANSWER_SUBMITTED: _submitted,
    EventKind.REVIEW_REQUESTED: _review_requested,
    EventKind.SOURCE_REJECTED: _source_rejected,
    EventKind.DEADLINE_MISSED: _missed,
    EventKind.ANSWER_SENT: _answer_sent,
    EventKind.REVIEW_CLOSED: _review_closed,
    "escalated": _escalated,
    EventKind.URGENT_FLAGGED: _urgent,
}


# --- called by other services ---------------------------------------------------------------


def notify_receipt(
    appeal: Appeal,
    tracking_code: str | None,
    *,
    source: str = "",
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """The citizen's receipt: number, tracking link and code (called by the intake, which alone
    holds the code; the stored hash cannot give it back)."""
    if not tracking_code:
        return []
    return to_citizen(
        appeal,
        kind=Kind.RECEIPT,
        source=source or f"receipt{appeal.pk}",
        context={"tracking_code": tracking_code},
        secret=tracking_code,
        channels=channels,
    )


def notify_booking(
    *,
    appeal: Appeal,
    booking_key: str,
    version: int,
    when: datetime,
    place: str,
    changed: bool,
    comment: str = "",
) -> list[Notification]:
    """For the reception bookings (issue 13): a booking confirmed, or changed (each version once).

    `booking_key` names the booking, `version` its revision: a second call for the same revision
    writes nothing, a new revision is a new message."""
    local = timezone.localtime(when)
    return to_citizen(
        appeal,
        kind=Kind.BOOKING,
        source=f"booking:{booking_key}:v{version}",
        context={
            "status": _("changed") if changed else _("confirmed"),
            "when": local.strftime("%Y-%m-%d %H:%M"),
            "place": place,
            "comment": comment,
        },
    )


def to_phone(
    phone: str,
    *,
    kind: str,
    source: str,
    language: str,
    context: dict[str, Any],
    link: str = "",
    secret: str = "",
) -> Notification | None:
    """One SMS to a citizen known only by a phone number (a reception booking: no appeal yet).
    Like every row, keyed by its source, so a retried call sends nothing twice."""
    return _write(
        key=f"{source}:phone:{Channel.SMS}",
        kind=kind,
        channel=Channel.SMS,
        language=_language(language),
        context={"link": link, **context},
        appeal=None,
        event=None,
        link=link,
        address=phone.strip(),
        secret=secret,
    )


def quiet_window(user: User) -> tuple[time | None, time | None]:
    profile = Profile.objects.filter(user=user).first()
    return (profile.quiet_from, profile.quiet_until) if profile else (None, None)


def mark_read(user: User, pk: int | None = None) -> int:
    """Mark one (or, without pk, every) unread in-app message of this person as read."""
    rows = Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    from .selectors import forget_unread

    changed = rows.update(read_at=timezone.now())
    forget_unread(user.pk)
    return changed


def save_preferences(
    user: User,
    *,
    enabled: dict[tuple[str, str], bool],
    quiet_from: time | None,
    quiet_until: time | None,
) -> None:
    """Keep a row only where the choice differs from the channel's default."""
    with transaction.atomic():
        Preference.objects.filter(user=user).delete()
        Preference.objects.bulk_create(
            Preference(user=user, kind=kind, channel=channel, enabled=on)
            for (kind, channel), on in enabled.items()
            if on != DEFAULT_ON[Channel(channel)]
        )
        Profile.objects.update_or_create(
            user=user, defaults={"quiet_from": quiet_from, "quiet_until": quiet_until}
        )
