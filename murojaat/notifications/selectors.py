"""Reads of notifications: a person sees only their own in-app messages; the head's digest
reads assignments only through the appeals' scoped selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from murojaat.accounts.models import User
from murojaat.appeals.models import AnswerState, Assignment, AssignmentState, Event, EventKind
from murojaat.appeals.permissions import signable_q
from murojaat.appeals.selectors import (
    appeals_visible_to,
    due_soon,
    my_assignments,
    open_assignments,
    overdue,
)
from murojaat.appeals.services import due_soon_threshold

from .models import Channel, Notification

UNREAD_CACHE_SECONDS = 300


def inbox_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).select_related("appeal")


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User) -> int:
    """The header's count on every page: kept in the shared cache, so a page costs no query
    for it; every write of an in-app row or a read mark drops the cached number."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = inbox_of(user).filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return int(count)


def forget_unread(user_id: int) -> None:
    cache.delete(_unread_key(user_id))


def since_yesterday(user: User) -> QuerySet[Notification]:
    return inbox_of(user).filter(created_at__gte=timezone.now() - timedelta(days=1))


@dataclass(frozen=True)
class Digest:
    """What a head reads each morning about their own organisation."""

    day: date
    new: list[Assignment]
    accept_today: list[Assignment]
    due_soon: list[Assignment]
    overdue: list[Assignment]
    to_sign: list[Assignment]
    escalations: list[Event]


def digest_for(user: User, day: date) -> Digest:
    own = my_assignments(user).select_related("appeal", "org", "executor")
    running = open_assignments(own)
    start = datetime.combine(
        day - timedelta(days=1), time(0), tzinfo=timezone.get_current_timezone()
    )
    visible = appeals_visible_to(user)
    signable = Assignment.objects.filter(
        signable_q(user), state=AssignmentState.ACCEPTED, answer__state=AnswerState.DRAFT
    ).filter(appeal__in=visible)
    return Digest(
        day=day,
        new=list(own.filter(sent_at__gte=start).order_by("-sent_at")[:50]),
        accept_today=list(
            own.filter(state=AssignmentState.SENT, accept_due__lte=day).order_by("accept_due")[:50]
        ),
        due_soon=list(due_soon(running, day, due_soon_threshold(day)).order_by("due_date")[:50]),
        overdue=list(overdue(running, day).order_by("due_date")[:50]),
        to_sign=list(signable.select_related("appeal", "org").order_by("answered_at", "pk")[:50]),
        escalations=list(
            Event.objects.filter(kind=EventKind.ESCALATED, at__gte=start, appeal__in=visible)
            .filter(
                Q(target_org_id=user.organisation_id) | Q(assignment__org_id=user.organisation_id)
            )
            .select_related("appeal", "assignment__org")
            .order_by("-at")[:50]
        ),
    )
