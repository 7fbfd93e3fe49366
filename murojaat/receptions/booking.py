"""Booking a leader's reception (R-ORG-2 personal, R-ORG-3 field): the one home of its rules.

A citizen holds a free slot with their name, phone and question; the hold becomes a booking
once they type the one-time code sent to that phone, and lapses after CODE_LIFETIME otherwise.
The database's unique constraint on (leader, time) over active bookings decides races: the
loser's insert fails and they are offered the next free slots. The limits per phone live in
`check_phone_limits` and nowhere else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.core import identity
from murojaat.core.calendar import get_calendar
from murojaat.core.codes import as_typed, digits_code, readable_code
from murojaat.core.errors import DomainError
from murojaat.notifications.models import Kind
from murojaat.notifications.services import site_url, to_phone

from .models import (
    DEFAULT_SLOT_MINUTES,
    FREEING_STATUSES,
    PERSONAL_ENDS,
    PERSONAL_STARTS,
    Booking,
    BookingStatus,
    LeaderAbsence,
    LeaderSchedule,
    ReceptionSession,
    SessionKind,
)
from .slots import TASHKENT, Hours, day_slots, receiving_days

HORIZON_DAYS = 21  # how far ahead personal receptions can be booked
CODE_LIFETIME = timedelta(minutes=10)
CODE_TRIES = 5
PER_WEEK = 3  # active bookings of one phone whose times fall in one week
ALTERNATIVES = 3
ACTIVE = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class SlotTaken(DomainError):
    """The slot went to someone else a moment ago; `alternatives` are the next free ones."""

    def __init__(self, alternatives: list[datetime]) -> None:
        super().__init__(
            _("Someone has just booked this time. Please choose another one."),
            field="slot",
            code="slot_taken",
        )
        self.alternatives = alternatives


# --- who receives, when -------------------------------------------------------------------


def leaders_of(organisation_id: int) -> QuerySet[User]:
    """The organisation's heads (R-ORG-2: the first heads receive citizens)."""
    ids = RoleGrant.objects.filter(role=Role.HEAD, organisation_id=organisation_id).values(
        "user_id"
    )
    return User.objects.filter(
        pk__in=ids, is_active=True, organisation_id=organisation_id
    ).order_by("last_name", "first_name", "pk")


def is_bookable_leader(leader: User) -> bool:
    if leader.organisation_id is None or not leader.is_active:
        return False
    if not leaders_of(leader.organisation_id).filter(pk=leader.pk).exists():
        return False
    schedule = LeaderSchedule.objects.filter(leader=leader).first()
    return schedule is None or schedule.bookable


def hours_of(leader: User) -> Hours:
    schedule = LeaderSchedule.objects.filter(leader=leader).first()
    if schedule is None:
        return Hours(PERSONAL_STARTS, PERSONAL_ENDS, DEFAULT_SLOT_MINUTES)
    return Hours(schedule.starts_at, schedule.ends_at, schedule.slot_minutes)


def session_hours(session: ReceptionSession) -> Hours:
    minutes = hours_of(session.leader).minutes
    return Hours(session.starts_at, session.ends_at, minutes)


def absences_of(leader: User, first: date, last: date) -> list[tuple[date, date]]:
    return list(
        LeaderAbsence.objects.filter(
            leader=leader, starts_on__lte=last, ends_on__gte=first
        ).values_list("starts_on", "ends_on")
    )


def _taken(leader: User, first: datetime, last: datetime, now: datetime) -> set[datetime]:
    """Slot starts held by a confirmed (or attended) booking, or by a hold still in time."""
    rows = (
        Booking.objects.filter(leader=leader, starts_at__gte=first, starts_at__lte=last)
        .exclude(status__in=FREEING_STATUSES)
        .exclude(status=BookingStatus.PENDING, code_expires_at__lte=now)
        .values_list("starts_at", flat=True)
    )
    return {t.astimezone(TASHKENT) for t in rows}


@dataclass
class Day:
    day: date
    slots: list[tuple[datetime, bool]] = field(default_factory=list)  # (start, free)

    @property
    def free(self) -> int:
        return sum(1 for _start, free in self.slots if free)


def personal_days(
    leader: User, *, now: datetime | None = None, days: int = HORIZON_DAYS
) -> list[Day]:
    """The leader's receiving days from today for `days` days, each with its slots."""
    now = now or timezone.now()
    today = now.astimezone(TASHKENT).date()
    last = today + timedelta(days=days - 1)
    hours = hours_of(leader)
    away = _field_hours(leader, today, last)
    result = []
    for day in receiving_days(get_calendar(), today, last, absences_of(leader, today, last)):
        starts = [
            s
            for s in day_slots(day, hours)
            if s > now and not any(first <= s < end for first, end in away.get(day, ()))
        ]
        if starts:
            result.append(Day(day, [(s, True) for s in starts]))
    return _mark_taken(leader, result, now)


def _field_hours(
    leader: User, first: date, last: date
) -> dict[date, list[tuple[datetime, datetime]]]:
    """When the leader is away at a field reception: no personal slots then (R-ORG-3)."""
    away: dict[date, list[tuple[datetime, datetime]]] = {}
    for day, start, end in ReceptionSession.objects.filter(
        leader=leader, kind=SessionKind.FIELD, date__gte=first, date__lte=last
    ).values_list("date", "starts_at", "ends_at"):
        away.setdefault(day, []).append(
            (
                datetime.combine(day, start, tzinfo=TASHKENT),
                datetime.combine(day, end, tzinfo=TASHKENT),
            )
        )
    return away


def field_days(session: ReceptionSession, *, now: datetime | None = None) -> list[Day]:
    now = now or timezone.now()
    starts = [s for s in day_slots(session.date, session_hours(session)) if s > now]
    return _mark_taken(
        session.leader, [Day(session.date, [(s, True) for s in starts])] if starts else [], now
    )


def _mark_taken(leader: User, days: list[Day], now: datetime) -> list[Day]:
    if not days:
        return days
    taken = _taken(leader, days[0].slots[0][0], days[-1].slots[-1][0], now)
    for day in days:
        day.slots = [(s, s not in taken) for s, _free in day.slots]
    return days


def free_after(
    leader: User, slot: datetime, session: ReceptionSession | None, now: datetime
) -> list[datetime]:
    days = field_days(session, now=now) if session else personal_days(leader, now=now)
    free = [s for day in days for s, ok in day.slots if ok and s != slot]
    later = [s for s in free if s > slot]
    return (later or free)[:ALTERNATIVES]


def _check_slot(
    leader: User, slot: datetime, session: ReceptionSession | None, now: datetime
) -> None:
    days = field_days(session, now=now) if session else personal_days(leader, now=now)
    if not any(s == slot for day in days for s, _ok in day.slots):
        raise DomainError(
            _("This time is not open for booking. Please choose one from the list."),
            field="slot",
            code="slot_closed",
        )


# --- limits per phone: the only place they are decided ------------------------------------


def normalise_phone(value: str) -> str:
    """The number in E.164 by the project's one normalisation (core.identity), so a booking's
    phone meets the same person's appeals; booking also requires an Uzbek mobile number."""
    phone = identity.normalise_phone(value)
    if len(phone) != 13 or not phone.startswith("+998"):
        raise DomainError(
            _("Enter a mobile phone number of Uzbekistan, e.g. +998 90 123 45 67."),
            field="phone",
            code="bad_phone",
        )
    return phone


def lock_phone(phone: str) -> None:
    """Serialise one phone's bookings for the rest of the transaction, so two holds sent at
    once cannot both pass the limits. PostgreSQL's transaction-scoped advisory lock; SQLite
    runs one writing transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.sha256(f"reception-phone:{phone}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def check_phone_limits(
    phone: str, leader: User, slot: datetime, now: datetime, *, exclude: int | None = None
) -> None:
    """One active booking per phone with one leader on one day, PER_WEEK in one week: one
    person cannot fill a reception. Holds that lapsed do not count."""
    active = Booking.objects.filter(phone=phone, status__in=ACTIVE).exclude(
        status=BookingStatus.PENDING, code_expires_at__lte=now
    )
    if exclude is not None:
        active = active.exclude(pk=exclude)
    local = slot.astimezone(TASHKENT)
    day_start = datetime.combine(local.date(), datetime.min.time(), tzinfo=TASHKENT)
    if active.filter(
        leader=leader, starts_at__gte=day_start, starts_at__lt=day_start + timedelta(days=1)
    ).exists():
        raise DomainError(
            _("You already have a booking with this leader on this day."),
            field="slot",
            code="limit_day",
        )
    week_start = day_start - timedelta(days=local.weekday())
    in_week = active.filter(
        starts_at__gte=week_start, starts_at__lt=week_start + timedelta(days=7)
    ).count()
    if in_week >= PER_WEEK:
        raise DomainError(
            _("One phone number may hold at most %(n)s bookings in one week.") % {"n": PER_WEEK},
            field="phone",
            code="limit_week",
        )


# --- the citizen's steps ------------------------------------------------------------------


def reference_hash(reference: str) -> str:
    return hashlib.sha256(as_typed(reference).encode()).hexdigest()


def manage_link() -> str:
    return site_url(reverse("public_receptions:manage"))


def _when(slot: datetime) -> str:
    return slot.astimezone(TASHKENT).strftime("%d.%m.%Y %H:%M")


def place_of(booking: Booking) -> str:
    if booking.session_id is not None and booking.session is not None:
        return booking.session.place
    org = booking.organisation
    return org.address or str(org.name)


@dataclass(frozen=True)
class Held:
    booking: Booking
    reference: str


def hold(
    *,
    leader: User,
    slot: datetime,
    name: str,
    phone: str,
    topic: str,
    language: str,
    session: ReceptionSession | None = None,
    now: datetime | None = None,
) -> Held:
    """Hold a slot and send the one-time code to the phone; SlotTaken if someone got it first."""
    now = now or timezone.now()
    name, topic = name.strip(), topic.strip()
    if not name:
        raise DomainError(_("Enter your full name."), field="name", code="empty_name")
    if len(topic) < 5:
        raise DomainError(
            _("Describe your question in a few words."), field="topic", code="empty_topic"
        )
    phone = normalise_phone(phone)
    if session is not None:
        if session.kind != SessionKind.FIELD or session.leader_id != leader.pk:
            raise DomainError(_("This reception cannot be booked."), code="not_bookable")
    elif not is_bookable_leader(leader):
        raise DomainError(
            _("This leader's reception cannot be booked online."), code="not_bookable"
        )
    organisation_id = leader.organisation_id
    if organisation_id is None:
        raise DomainError(_("This reception cannot be booked."), code="not_bookable")
    _check_slot(leader, slot, session, now)
    code = digits_code()
    reference = readable_code(10)
    try:
        with transaction.atomic():
            lock_phone(phone)
            check_phone_limits(phone, leader, slot, now)
            # A lapsed hold on this slot gives way; the constraint still guards the insert.
            Booking.objects.filter(
                leader=leader,
                starts_at=slot,
                status=BookingStatus.PENDING,
                code_expires_at__lte=now,
            ).update(status=BookingStatus.EXPIRED)
            booking = Booking.objects.create(
                organisation_id=organisation_id,
                leader=leader,
                session=session,
                starts_at=slot,
                minutes=(session_hours(session) if session else hours_of(leader)).minutes,
                name=name[:255],
                phone=phone,
                topic=topic,
                language=language,
                reference_hash=reference_hash(reference),
                code_hash=make_password(code),
                code_expires_at=now + CODE_LIFETIME,
            )
            to_phone(
                phone,
                kind=Kind.BOOKING_CODE,
                source=f"booking{booking.pk}:code",
                language=language,
                context={"code": code, "when": _when(slot)},
                secret=code,
            )
    except IntegrityError as exc:
        raise SlotTaken(free_after(leader, slot, session, now)) from exc
    return Held(booking, reference)


def confirm(
    booking_id: int, code: str, *, reference: str = "", now: datetime | None = None
) -> Booking | None:
    """The right code, in time and within the tries, confirms the hold; None otherwise.

    The confirmation SMS carries the reference that cancels or moves the booking (only its hash
    is stored, so the caller passes the one it showed)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(pk=booking_id, status=BookingStatus.PENDING, code_expires_at__gt=now)
            .first()
        )
        if booking is None or booking.code_attempts >= CODE_TRIES:
            return None
        Booking.objects.filter(pk=booking.pk).update(code_attempts=F("code_attempts") + 1)
        if not check_password(code.strip(), booking.code_hash):
            return None
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
        booking.code_hash = ""
        booking.save(update_fields=["status", "confirmed_at", "code_hash"])
        comment = (
            _("To cancel or move it, use the reference %(ref)s.") % {"ref": reference}
            if reference
            else ""
        )
        _tell(booking, changed=False, comment=comment, secret=reference)
    return booking


def _tell(booking: Booking, *, changed: bool, comment: object = "", secret: str = "") -> None:
    to_phone(
        booking.phone,
        kind=Kind.BOOKING,
        source=f"booking{booking.pk}:v{booking.version}:{booking.status}",
        language=booking.language,
        context={
            "status": _("changed") if changed else _("confirmed"),
            "when": _when(booking.starts_at),
            "place": place_of(booking),
            "comment": comment,
        },
        link=manage_link(),
        secret=secret,
    )


def by_reference(reference: str) -> Booking | None:
    """The citizen's own booking, opened by the reference alone (no personal data is asked)."""
    if not reference.strip():
        return None
    return (
        Booking.objects.select_related("organisation", "leader", "session")
        .filter(reference_hash=reference_hash(reference))
        .exclude(status=BookingStatus.EXPIRED)
        .first()
    )


def can_change(booking: Booking, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return booking.status == BookingStatus.CONFIRMED and booking.starts_at > now


def cancel(booking: Booking, *, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == BookingStatus.CANCELLED:
            return locked
        if not can_change(locked, now):
            raise DomainError(_("This booking can no longer be cancelled."), code="not_changeable")
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = now
        locked.version += 1
        locked.save(update_fields=["status", "cancelled_at", "version"])
        _tell(locked, changed=True, comment=str(_("The booking was cancelled.")))
    return locked


def move(booking: Booking, slot: datetime, *, now: datetime | None = None) -> Booking:
    """Another free time with the same leader (and the same field reception, if any)."""
    now = now or timezone.now()
    leader = booking.leader
    _check_slot(leader, slot, booking.session, now)
    try:
        with transaction.atomic():
            lock_phone(booking.phone)
            check_phone_limits(booking.phone, leader, slot, now, exclude=booking.pk)
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if not can_change(locked, now):
                raise DomainError(_("This booking can no longer be moved."), code="not_changeable")
            Booking.objects.filter(
                leader=leader,
                starts_at=slot,
                status=BookingStatus.PENDING,
                code_expires_at__lte=now,
            ).update(status=BookingStatus.EXPIRED)
            with transaction.atomic():
                locked.starts_at = slot
                locked.version += 1
                locked.save(update_fields=["starts_at", "version"])
            _tell(locked, changed=True)
    except IntegrityError as exc:
        raise SlotTaken(free_after(leader, slot, booking.session, now)) from exc
    return locked


def announced_field_receptions(*, today: date) -> QuerySet[ReceptionSession]:
    """R-ORG-3: field receptions announced from today on, for the public page."""
    return (
        ReceptionSession.objects.filter(kind=SessionKind.FIELD, date__gte=today)
        .select_related("organisation", "leader")
        .order_by("date", "starts_at", "pk")
    )


# --- the leader's office ------------------------------------------------------------------


def _personal_session(booking: Booking, actor: User) -> ReceptionSession:
    """The day's personal reception of the leader, created the first time someone is received."""
    local = booking.starts_at.astimezone(TASHKENT)
    hours = hours_of(booking.leader)
    outside = hours.starts_at < PERSONAL_STARTS or hours.ends_at > PERSONAL_ENDS
    session, _created = ReceptionSession.objects.get_or_create(
        organisation=booking.organisation,
        leader=booking.leader,
        kind=SessionKind.PERSONAL,
        date=local.date(),
        defaults={
            "starts_at": hours.starts_at,
            "ends_at": hours.ends_at,
            "hours_override_reason": _("Hours set by the leader's office") if outside else "",
            "created_by": actor,
        },
    )
    return session


def record_came(*, actor: User, booking: Booking, outcome: str = "") -> Booking:
    """The citizen came: a visit is recorded in the day's reception (personal or field), so it
    can be registered as an appeal like any other visit."""
    from .services import require_keeper, visit_record

    require_keeper(actor, booking.organisation)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status not in (BookingStatus.CONFIRMED, BookingStatus.MISSED, BookingStatus.CAME):
            raise DomainError(
                _("Only a confirmed booking can be marked as attended."), code="not_confirmed"
            )
        if locked.visit_id is None:
            session = locked.session or _personal_session(locked, actor)
            locked.visit = visit_record(
                actor=actor,
                session=session,
                visitor_name=locked.name,
                phone=locked.phone,
                question=locked.topic,
                outcome=outcome,
            )
        elif outcome.strip():
            visit = locked.visit
            assert visit is not None
            visit.outcome = outcome.strip()
            visit.save(update_fields=["outcome"])
        locked.status = BookingStatus.CAME
        locked.outcome = outcome.strip()
        locked.save(update_fields=["status", "visit", "outcome"])
    return locked


def record_missed(*, actor: User, booking: Booking) -> Booking:
    from .services import require_keeper

    require_keeper(actor, booking.organisation)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status not in (BookingStatus.CONFIRMED, BookingStatus.MISSED):
            raise DomainError(
                _("Only a confirmed booking can be marked as missed."), code="not_confirmed"
            )
        locked.status = BookingStatus.MISSED
        locked.save(update_fields=["status"])
    return locked


# --- the office edits the schedule ----------------------------------------------------------


def schedule_save(
    *,
    actor: User,
    leader: User,
    starts_at: time,
    ends_at: time,
    slot_minutes: int,
    bookable: bool,
) -> LeaderSchedule:
    """Hours the office sets; bookings already made keep their times (the office calls them)."""
    from .services import require_keeper

    if leader.organisation is None:
        raise DomainError(_("The leader must be staff of an organisation."), code="not_staff")
    require_keeper(actor, leader.organisation)
    if starts_at >= ends_at:
        raise DomainError(
            _("The reception must end after it starts."), field="ends_at", code="bad_hours"
        )
    if not 5 <= slot_minutes <= 120:
        raise DomainError(
            _("A slot lasts from 5 to 120 minutes."), field="slot_minutes", code="bad_slot"
        )
    schedule, _created = LeaderSchedule.objects.update_or_create(
        leader=leader,
        defaults={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "slot_minutes": slot_minutes,
            "bookable": bookable,
        },
    )
    return schedule


def absence_add(
    *,
    actor: User,
    leader: User,
    starts_on: date,
    ends_on: date,
    reason: str = "",
    now: datetime | None = None,
) -> LeaderAbsence:
    from .services import require_keeper

    if leader.organisation is None:
        raise DomainError(_("The leader must be staff of an organisation."), code="not_staff")
    require_keeper(actor, leader.organisation)
    if starts_on > ends_on:
        raise DomainError(
            _("The absence must end on or after its first day."),
            field="ends_on",
            code="bad_dates",
        )
    with transaction.atomic():
        absence = LeaderAbsence.objects.create(
            leader=leader, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
        )
        absence.cancelled_bookings = _cancel_for_absence(
            leader, starts_on, ends_on, now or timezone.now()
        )
    return absence


def _cancel_for_absence(leader: User, starts_on: date, ends_on: date, now: datetime) -> int:
    """A leader who will not receive on those days cannot keep the citizens booked there
    waiting at the door: each confirmed booking is cancelled and its citizen told by SMS, in
    the citizen's language, with the link to book another time; a booking still awaiting its
    code is dropped quietly (its citizen was never promised the time). Returns how many
    citizens were told, for the office's message."""
    first = datetime.combine(starts_on, time.min, tzinfo=TASHKENT)
    last = datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=TASHKENT)
    rows = Booking.objects.select_for_update().filter(
        leader=leader,
        starts_at__gte=max(first, now),
        starts_at__lt=last,
        status__in=(BookingStatus.CONFIRMED, BookingStatus.PENDING),
    )
    told = 0
    for row in rows.order_by("starts_at", "pk"):
        was_confirmed = row.status == BookingStatus.CONFIRMED
        row.status = BookingStatus.CANCELLED
        row.cancelled_at = now
        row.version += 1
        row.save(update_fields=["status", "cancelled_at", "version"])
        if was_confirmed:
            # Lazy: rendered in the booking's language, not the office's.
            comment = gettext_lazy(
                "The leader will not receive on that day, so the booking was cancelled. "
                "Please book another time."
            )
            _tell(row, changed=True, comment=comment)
            told += 1
    return told


def absence_remove(*, actor: User, absence: LeaderAbsence) -> None:
    from .services import require_keeper

    leader = absence.leader
    if leader.organisation is None:
        raise DomainError(_("The leader must be staff of an organisation."), code="not_staff")
    require_keeper(actor, leader.organisation)
    absence.delete()
