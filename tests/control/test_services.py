"""Services of trainings (R-ORG-5) and discipline (R-ORG-6)."""

from __future__ import annotations

from datetime import date

import pytest

from murojaat.control import services
from murojaat.control.models import DisciplinaryMeasure
from murojaat.core.errors import DomainError
from tests.factories import make_user

DAY = date(2026, 11, 24)


def test_trainees_must_be_staff_of_the_organisation_r_org_5(ministry) -> None:
    with pytest.raises(DomainError, match="Participants must be staff"):
        services.training_record(
            actor=ministry.regional_head,
            organisation=ministry.regional_a,
            day=DAY,
            topic="Law on appeals",
            participants=[ministry.regional_executor, ministry.outsider],
        )
    training = services.training_record(
        actor=ministry.regional_head,
        organisation=ministry.regional_a,
        day=DAY,
        topic="Law on appeals",
        participants=[ministry.regional_executor],
    )
    assert training.participants_count == 1
    assert list(training.participants.all()) == [ministry.regional_executor]


def test_a_disciplinary_measure_is_recorded_for_staff_only_r_org_6(ministry) -> None:
    with pytest.raises(DomainError, match="employee must be staff"):
        services.measure_record(
            actor=ministry.regional_head,
            organisation=ministry.regional_a,
            employee=ministry.outsider,
            day=DAY,
            kind="reprimand",
            basis="Late answer",
        )
    with pytest.raises(DomainError, match="Unknown disciplinary measure"):
        services.measure_record(
            actor=ministry.regional_head,
            organisation=ministry.regional_a,
            employee=ministry.regional_executor,
            day=DAY,
            kind="flogging",
            basis="Late answer",
        )
    clerk = make_user("rdclerk", ministry.regional_a)
    services.measure_record(
        actor=ministry.regional_head,
        organisation=ministry.regional_a,
        employee=clerk,
        day=DAY,
        kind="severe_reprimand",
        basis="Answer sent after the deadline",
    )
    assert DisciplinaryMeasure.objects.get().recorded_by == ministry.regional_head
