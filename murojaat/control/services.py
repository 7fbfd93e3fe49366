"""Writes for trainings (R-ORG-5) and discipline (R-ORG-6): one operation, one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from murojaat.accounts.models import User
from murojaat.appeals.models import Violation
from murojaat.core.errors import DomainError
from murojaat.orgs.models import Organisation
from murojaat.receptions.services import require_manager

from .models import DisciplinaryMeasure, MeasureKind, Training


@transaction.atomic
def training_record(
    *,
    actor: User,
    organisation: Organisation,
    day: date,
    topic: str,
    trainer: str = "",
    participants: Iterable[User] = (),
    participants_count: int | None = None,
    notes: str = "",
) -> Training:
    """Record a training seminar (R-ORG-5); trainees must be staff of the organisation."""
    require_manager(actor, organisation)
    if not topic.strip():
        raise DomainError(_("Enter the topic."), field="topic", code="empty_topic")
    people = list(participants)
    if any(p.organisation_id != organisation.pk for p in people):
        raise DomainError(
            _("Participants must be staff of the organisation."),
            field="participants",
            code="not_staff",
        )
    count = participants_count if participants_count is not None else len(people)
    if count < len(people):
        raise DomainError(
            _("The number of participants is smaller than the participants listed."),
            field="participants_count",
            code="bad_count",
        )
    if count < 1:
        raise DomainError(
            _("Name the participants or give their number."),
            field="participants_count",
            code="no_participants",
        )
    training = Training.objects.create(
        organisation=organisation,
        date=day,
        topic=topic.strip(),
        trainer=trainer.strip(),
        participants_count=count,
        notes=notes.strip(),
        recorded_by=actor,
    )
    if people:
        training.participants.set(people)
    return training


@transaction.atomic
def measure_record(
    *,
    actor: User,
    organisation: Organisation,
    employee: User,
    day: date,
    kind: str,
    basis: str,
    violation: Violation | None = None,
) -> DisciplinaryMeasure:
    """Record a disciplinary measure (intizomiy jazo chorasi) against staff (R-ORG-6)."""
    require_manager(actor, organisation)
    if kind not in MeasureKind.values:
        raise DomainError(_("Unknown disciplinary measure."), field="kind", code="invalid_kind")
    if employee.organisation_id != organisation.pk:
        raise DomainError(
            _("The employee must be staff of the organisation."),
            field="employee",
            code="not_staff",
        )
    if not basis.strip():
        raise DomainError(_("Enter the basis of the measure."), field="basis", code="empty_basis")
    if violation is not None and violation.org_id != organisation.pk:
        raise DomainError(
            _("The violation belongs to another organisation."),
            field="violation",
            code="foreign_violation",
        )
    return DisciplinaryMeasure.objects.create(
        organisation=organisation,
        employee=employee,
        date=day,
        kind=kind,
        basis=basis.strip(),
        violation=violation,
        recorded_by=actor,
    )
