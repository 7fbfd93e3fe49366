"""Registration of appeals (L-2, L-5, L-6): numbering, idempotency on the source's id."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.core.codes import readable_code
from murojaat.core.errors import DomainError

from ..deadlines import TASHKENT, Calendar, Due, Receipt, registration_day
from ..limits import APPEAL_TEXT_MAX_CHARS
from ..models import (
    CHANNEL_PREFIX,
    Appeal,
    Channel,
    EventKind,
    NumberSequence,
    Procedure,
    Topic,
)
from ..selectors.authors import earlier_of_author
from ._common import (
    _calendar,
    _event,
    _search_texts,
    explain_due,
    log,
    rule_fields,
    stored_due,
)

# A clock a few minutes ahead (a clerk's PC, a source system) is not a future receipt.
RECEIVED_AT_CLOCK_SKEW = timedelta(minutes=5)
# L-2 registers an appeal the day it arrives; a receipt older than this is a typo (1990 for
# 2026) or a wrong field, not a late registration. Settable: MUROJAAT_RECEIVED_AT_MAX_AGE_DAYS.
RECEIVED_AT_MAX_AGE_DAYS = 366


class InvalidReceivedAt(DomainError):
    """The stated time of receipt cannot be true; the request is well-formed but wrong (422)."""

    code = "invalid_received_at"
    status = 422


def check_received_at(value: datetime, *, now: datetime | None = None) -> datetime:
    """The one rule for a stated time of receipt, for every door where someone types or sends
    it (the API, the clerk's form); receptions derive it from the session itself.

    The time decides the number's year and the deadline's start (L-2, L-3), so a naive time, a
    future one or one from another decade would silently misnumber and misdate the appeal.
    Comparisons only, no conversion: year 1 or 9999 with an offset cannot overflow here.
    """
    if timezone.is_naive(value):
        raise InvalidReceivedAt(
            _("Give the time of receipt with its time zone, e.g. 2026-11-16T10:00:00+05:00."),
            field="received_at",
            code="received_at_without_timezone",
        )
    now = now or timezone.now()
    if value > now + RECEIVED_AT_CLOCK_SKEW:
        raise InvalidReceivedAt(
            _("The appeal cannot be received in the future."),
            field="received_at",
            code="received_at_in_future",
        )
    max_age = int(getattr(settings, "MUROJAAT_RECEIVED_AT_MAX_AGE_DAYS", RECEIVED_AT_MAX_AGE_DAYS))
    if value < now - timedelta(days=max_age):
        raise InvalidReceivedAt(
            _("The time of receipt is more than %(days)s days ago: check the date.")
            % {"days": max_age},
            field="received_at",
            code="received_at_too_old",
        )
    return value


@dataclass(frozen=True)
class IntakeDetails:
    """What a door records besides the author (R-IN-1); blank where the channel has none."""

    caller_phone: str = ""
    source_reference: str = ""
    source_reference_date: date | None = None
    sender_address: str = ""
    sender_email: str = ""
    email_subject: str = ""
    reception_region_id: int | None = None
    reception_district_id: int | None = None

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) not in ("", None)]


# The details each door may carry. A detail of another door is refused rather than stored, so
# a post appeal never shows a caller's phone and a query on a detail finds only its channel.
CHANNEL_DETAILS: dict[str, frozenset[str]] = {
    Channel.HOTLINE: frozenset({"caller_phone", "source_reference"}),
    Channel.POST: frozenset({"source_reference", "source_reference_date", "sender_address"}),
    Channel.EMAIL: frozenset({"sender_email", "source_reference_date", "email_subject"}),
    Channel.PEOPLES_RECEPTION: frozenset(
        {
            "reception_region_id",
            "reception_district_id",
            "source_reference",
            "source_reference_date",
        }
    ),
}


def _check_details(channel: str, details: IntakeDetails) -> None:
    allowed = CHANNEL_DETAILS.get(channel, frozenset())
    for name in details.given():
        if name not in allowed:
            raise DomainError(
                _("This detail is not recorded for the chosen channel."),
                field=name.removesuffix("_id"),
                code="intake_detail_not_for_channel",
            )


@dataclass
class Registration:
    appeal: Appeal
    created: bool
    tracking_code: str | None = None


def _next_number(channel: str, year: int) -> tuple[int, str]:
    """The next number of the channel's register for the year (L-2), gapless under concurrency.

    On PostgreSQL one `UPDATE ... RETURNING` takes the row lock, increments and reads the new
    value in a single statement (issue 9: intake near the database's limit); the first appeal
    of a year creates the row. Elsewhere: lock, increment, read back."""
    table = NumberSequence._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET "last" = "last" + 1 '  # noqa: S608 - the model's own table
                'WHERE "channel" = %s AND "year" = %s RETURNING "last"',
                [channel, year],
            )
            row = cursor.fetchone()
        if row is not None:
            last = int(row[0])
            return last, f"{CHANNEL_PREFIX[Channel(channel)]}-{year}-{last:06d}"
    seq_row, _created = NumberSequence.objects.select_for_update().get_or_create(
        channel=channel, year=year
    )
    NumberSequence.objects.filter(pk=seq_row.pk).update(last=F("last") + 1)
    seq_row.refresh_from_db(fields=["last"])
    return seq_row.last, f"{CHANNEL_PREFIX[Channel(channel)]}-{year}-{seq_row.last:06d}"


def register_appeal(
    *,
    actor: User | None,
    channel: str,
    text: str,
    received_at: datetime | None = None,
    kind: str = "application",
    author_type: str = "individual",
    author_name: str = "",
    author_organisation: str = "",
    author_address: str = "",
    author_region_id: int | None = None,
    author_district_id: int | None = None,
    author_phone: str = "",
    author_email: str = "",
    is_collective: bool = False,
    signatories: int = 1,
    language: str = "",
    hide_personal_data: bool = False,
    topics: Iterable[Topic] = (),
    external_id: str | None = None,
    source_client: Any = None,
    with_tracking_code: bool = False,
    details: IntakeDetails | None = None,
    external_id_checked: bool = False,
    also: Callable[[Appeal], object] | None = None,
) -> Registration:
    """Register an appeal (L-2: registration is never refused; anonymity is decided later, L-5).

    Idempotent on the sender's own id (per API client, or per channel for a door without one):
    the same id twice returns the first appeal, so a retried push never creates a duplicate.
    `external_id_checked`: the caller has just looked the id up (the API does, to compare the
    bodies), so the read is not repeated; a concurrent twin still hits the unique index and
    gets the winner's appeal below.
    `also(appeal)`: the caller's own rows of a new appeal, written in the same transaction
    (the API's record of the body), so the caller needs no transaction of its own around
    this one: outside one, this transaction is the outermost, with no savepoint, and a lost
    race is rolled back whole before the winner is read.
    """
    if channel not in Channel.values:
        raise DomainError(
            _("Unknown channel “%(channel)s”.") % {"channel": channel},
            field="channel",
            code="invalid_channel",
        )
    if not text or not text.strip():
        raise DomainError(_("The text of the appeal is empty."), field="text", code="empty_text")
    if len(text.strip()) > APPEAL_TEXT_MAX_CHARS:
        raise DomainError(
            _("The text of the appeal is longer than %(n)s characters.")
            % {"n": APPEAL_TEXT_MAX_CHARS},
            field="text",
            code="text_too_long",
        )
    details = details or IntakeDetails()
    _check_details(channel, details)
    if external_id and not external_id_checked:
        existing = _same_external_id(channel, external_id, source_client)
        if existing:
            return Registration(existing, created=False)
    procedure = procedure_of_channel(channel)
    if procedure is None:
        raise DomainError(_("No procedure is configured for this channel."), code="no_procedure")
    received_at = received_at or timezone.now()
    calendar = _calendar()
    receipt = receipt_of(procedure, received_at, calendar=calendar)
    try:
        with transaction.atomic():
            # L-2: the registration day numbers the appeal and starts its deadlines; an appeal
            # received on the evening of 31 December belongs to the next year's register.
            start = receipt.day
            year = start.year
            seq, number = _next_number(channel, year)
            days = procedure.execution_days_for(kind)
            due = explain_due(procedure=procedure, start=start, days=days, calendar=calendar)
            code = readable_code() if with_tracking_code else None
            appeal = Appeal(
                number=number,
                channel=channel,
                year=year,
                seq=seq,
                procedure=procedure,
                external_id=external_id or None,
                source_client=source_client,
                kind=kind,
                author_type=author_type,
                author_name=author_name.strip(),
                author_organisation=author_organisation.strip(),
                author_address=author_address.strip(),
                author_region_id=author_region_id,
                author_district_id=author_district_id,
                author_phone=author_phone.strip(),
                author_email=author_email.strip(),
                is_collective=is_collective,
                signatories=max(1, signatories),
                language=language,
                hide_personal_data=hide_personal_data,
                text=text.strip(),
                caller_phone=details.caller_phone.strip(),
                source_reference=details.source_reference.strip(),
                source_reference_date=details.source_reference_date,
                sender_address=details.sender_address.strip(),
                sender_email=details.sender_email.strip(),
                email_subject=details.email_subject.strip(),
                reception_region_id=details.reception_region_id,
                reception_district_id=details.reception_district_id,
                received_at=received_at,
                # The registration moment of an after-hours receipt is the opening of its
                # registration day; the event keeps the true moment of entry, `received_at`
                # the true moment of receipt. Written with the row (no second UPDATE).
                registered_at=(
                    datetime.combine(start, procedure.working_day_starts, tzinfo=TASHKENT)
                    if receipt.moved
                    else timezone.now()
                ),
                registered_by=actor if actor and actor.pk else None,
                due_start=start,
                due_days=days,
                due_date=due.due,
                **rule_fields(procedure),
                tracking_secret_hash=make_password(code) if code else "",
            )
            appeal.search_text, appeal.content_search_text = _search_texts(appeal)
            # L-6 before the insert: the keys are known, so the link is written with the row.
            appeal.set_author_keys()
            appeal.repeat_of = _find_earlier_appeal(appeal)
            appeal.save()
            topic_ids = sorted({t.pk for t in topics})
            if topic_ids:
                # A new appeal has no topics yet: one INSERT, not set()'s read-then-insert.
                through = Appeal.topics.through
                through.objects.bulk_create(
                    [through(appeal_id=appeal.pk, topic_id=pk) for pk in topic_ids]
                )
            _event(
                appeal,
                EventKind.REGISTERED,
                actor,
                channel=channel,
                anonymous=appeal.is_anonymous,
                repeat_of=appeal.repeat_of.number if appeal.repeat_of else None,
                registered_on=start.isoformat(),
            )
            from murojaat.notifications.services import notify_receipt

            notify_receipt(appeal, code)  # the citizen's receipt, in this transaction
            # The working group's assistants: urgent triage now, duplicates after commit.
            # It never raises, so it never makes a registration fail (L-2).
            from murojaat.assist.services import assess_at_intake

            assess_at_intake(appeal)
            if also is not None:
                also(appeal)
    except IntegrityError:
        # A concurrent push of the same external id won the race: return its appeal.
        if external_id:
            existing = _same_external_id(channel, external_id, source_client)
            if existing:
                return Registration(existing, created=False)
        raise
    log.info("appeal registered", extra={"appeal": appeal.number, "channel": channel})
    return Registration(appeal, created=True, tracking_code=code)


def procedure_of_channel(channel: str) -> Procedure | None:
    """The channel's procedure (R-IN-2), read once per process and tree version: saving a
    procedure (the admin does) bumps the shared version, so every worker reads the new terms
    at its next registration (orgs.tree). Read-only: the instance is shared by requests."""
    from murojaat.orgs.tree import cached

    return cached(("procedure", channel), lambda: Procedure.objects.filter(channel=channel).first())


def _same_external_id(channel: str, external_id: str, source_client: Any) -> Appeal | None:
    """The appeal registered before under this sender's own id: a retry, not a new appeal.

    An external id is the sender's: unique per API client (two Virtual Receptions may both
    number their requests VR-1), and per channel for a door without a client (the public
    form's submission ids). Another client's id is never found here, so nobody can claim or
    probe another system's ids (the database's constraints say the same).
    """
    if source_client is not None:
        found = Appeal.objects.filter(source_client=source_client, external_id=external_id)
    else:
        found = Appeal.objects.filter(
            channel=channel, source_client__isnull=True, external_id=external_id
        )
    return found.first()


def receipt_of(
    procedure: Procedure, received_at: datetime, *, calendar: Calendar | None = None
) -> Receipt:
    """The registration day of a receipt under `procedure`'s working hours (L-2)."""
    return registration_day(
        received_at,
        working_day_ends=procedure.working_day_ends,
        calendar=calendar or _calendar(),
    )


def appeal_due(appeal: Appeal, *, calendar: Calendar | None = None) -> Due:
    """The appeal's due date from its stored inputs, explaining a start after the receipt (L-2).

    The stored `due_start` is the truth: the receipt only tells why it is later than the day of
    receipt, so a calendar changed since registration never rewrites the explanation's start.
    """
    cal = calendar or _calendar()
    due = stored_due(appeal, cal)
    receipt = replace(receipt_of(appeal.procedure, appeal.received_at, calendar=cal), day=due.start)
    return replace(due, receipt=receipt)


def _find_earlier_appeal(appeal: Appeal) -> Appeal | None:
    """L-6: the same author wrote before, on the normalised keys written with the appeal (one
    rule with the appeal page's link and the duplicate finder: `selectors.authors`); one probe
    of a partial index, and "+998 90 123-45-67" is the same phone as "901234567". The link
    and the event need its id and number only."""
    return earlier_of_author(appeal, Appeal.objects.only("pk", "number")).first()
