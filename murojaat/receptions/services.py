"""Writes for the heads' duties (R-ORG): one domain operation per function, one transaction."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.appeals.models import Channel
from murojaat.appeals.services import register_appeal
from murojaat.core.errors import DomainError
from murojaat.orgs.models import Organisation

from .models import (
    PERSONAL_ENDS,
    PERSONAL_STARTS,
    ReceptionSession,
    ReceptionVisit,
    ResponsibleOfficer,
    SessionKind,
)
from .permissions import can_manage, keeps_receptions

TASHKENT = ZoneInfo("Asia/Tashkent")

CHANNEL_OF_KIND = {
    SessionKind.PERSONAL: Channel.PERSONAL_RECEPTION,
    SessionKind.FIELD: Channel.FIELD_RECEPTION,
}


def require_manager(actor: User, organisation: Organisation) -> None:
    if not can_manage(actor, organisation):
        raise DomainError(
            _("Only the organisation's head or the working group may do this."),
            code="forbidden",
        )


def require_keeper(actor: User, organisation: Organisation) -> None:
    if not keeps_receptions(actor, organisation):
        raise DomainError(
            _(
                "Only the organisation's head, its responsible officer or the working group "
                "may do this."
            ),
            code="forbidden",
        )


@transaction.atomic
def session_plan(
    *,
    actor: User,
    organisation: Organisation,
    leader: User,
    kind: str,
    day: date,
    starts_at: time | None = None,
    ends_at: time | None = None,
    place: str = "",
    notes: str = "",
    override_reason: str = "",
) -> ReceptionSession:
    """Plan a reception (R-ORG-2 personal 08:00-11:00 daily; R-ORG-3 field, with a place).

    Other hours for a personal reception are refused unless a reason is given: the order fixes
    the hours so citizens can count on them, and an exception must be explained.
    """
    require_manager(actor, organisation)
    if kind not in SessionKind.values:
        raise DomainError(_("Unknown kind of reception."), field="kind", code="invalid_kind")
    if leader.organisation_id != organisation.pk:
        raise DomainError(
            _("The leader must be staff of the organisation."), field="leader", code="not_staff"
        )
    starts_at = starts_at or PERSONAL_STARTS
    ends_at = ends_at or PERSONAL_ENDS
    if starts_at >= ends_at:
        raise DomainError(
            _("The reception must end after it starts."), field="ends_at", code="bad_hours"
        )
    place = place.strip()
    override_reason = override_reason.strip()
    if kind == SessionKind.PERSONAL:
        outside = starts_at < PERSONAL_STARTS or ends_at > PERSONAL_ENDS
        if outside and not override_reason:
            raise DomainError(
                _(
                    "Personal receptions are held from 08:00 to 11:00; "
                    "give a reason for other hours."
                ),
                field="starts_at",
                code="outside_reception_hours",
            )
    elif not place:
        raise DomainError(
            _("A field reception needs a place."), field="place", code="place_required"
        )
    return ReceptionSession.objects.create(
        organisation=organisation,
        leader=leader,
        kind=kind,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        notes=notes.strip(),
        hours_override_reason=override_reason,
        created_by=actor,
    )


@transaction.atomic
def visit_record(
    *,
    actor: User,
    session: ReceptionSession,
    visitor_name: str,
    question: str,
    address: str = "",
    phone: str = "",
    outcome: str = "",
) -> ReceptionVisit:
    """Record a citizen received at a session (R-ORG-2, R-ORG-3)."""
    require_keeper(actor, session.organisation)
    if not visitor_name.strip():
        raise DomainError(
            _("Enter the visitor's name."), field="visitor_name", code="empty_visitor"
        )
    if not question.strip():
        raise DomainError(_("Enter the visitor's question."), field="question", code="empty_text")
    return ReceptionVisit.objects.create(
        session=session,
        visitor_name=visitor_name.strip(),
        question=question.strip(),
        address=address.strip(),
        phone=phone.strip(),
        outcome=outcome.strip(),
    )


@transaction.atomic
def visit_register_appeal(*, actor: User, visit: ReceptionVisit) -> ReceptionVisit:
    """Register the visit's question as an appeal, once (L-2: registration is never refused).

    The visit row is locked so two clicks cannot register two appeals; a visit that already has
    its appeal is returned unchanged. received_at is the reception's own start in Tashkent time,
    so deadlines run from the day the citizen was heard, not from the day of data entry.
    """
    locked = (
        ReceptionVisit.objects.select_for_update()
        .select_related("session__organisation")
        .get(pk=visit.pk)
    )
    session = locked.session
    require_keeper(actor, session.organisation)
    if locked.appeal_id is not None:
        return locked
    received_at = datetime.combine(session.date, session.starts_at, tzinfo=TASHKENT)
    registration = register_appeal(
        actor=actor,
        channel=CHANNEL_OF_KIND[SessionKind(session.kind)],
        text=locked.question,
        received_at=received_at,
        author_name=locked.visitor_name,
        author_address=locked.address,
        author_phone=locked.phone,
    )
    locked.appeal = registration.appeal
    locked.save(update_fields=["appeal"])
    return locked


@transaction.atomic
def officer_appoint(
    *,
    actor: User,
    organisation: Organisation,
    full_name: str,
    starts_on: date,
    position: str = "",
    phone: str = "",
    order_ref: str = "",
) -> ResponsibleOfficer:
    """R-ORG-4: a new responsible officer for appeals; the one holding the post until then
    hands over the day before, so the history has no gap and no overlap."""
    require_manager(actor, organisation)
    if not full_name.strip():
        raise DomainError(_("Enter the officer's full name."), field="full_name", code="empty")
    holders = ResponsibleOfficer.objects.select_for_update().filter(organisation=organisation)
    if holders.filter(starts_on__gte=starts_on).exists():
        raise DomainError(
            _("The new officer must be appointed after the current one."),
            field="starts_on",
            code="bad_dates",
        )
    holders.filter(ends_on__isnull=True).update(ends_on=starts_on - timedelta(days=1))
    return ResponsibleOfficer.objects.create(
        organisation=organisation,
        full_name=full_name.strip(),
        position=position.strip(),
        phone=phone.strip(),
        starts_on=starts_on,
        order_ref=order_ref.strip(),
    )
