from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from murojaat.appeals.models import Appeal, AppealState

pytestmark = pytest.mark.django_db


def test_load_demo_creates_appeals_in_several_states_once() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = Appeal.objects.count()
    assert first >= 14
    states = set(Appeal.objects.values_list("state", flat=True))
    assert {AppealState.NEW, AppealState.IN_WORK, AppealState.CLOSED} <= states
    call_command("load_demo", stdout=io.StringIO())
    assert Appeal.objects.count() == first


def test_load_demo_adds_receptions_and_a_training_once() -> None:
    from murojaat.control.models import Training
    from murojaat.receptions.models import ReceptionSession, ReceptionVisit

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert ReceptionSession.objects.count() == 2
    assert ReceptionVisit.objects.filter(appeal__isnull=False).count() == 1
    assert Training.objects.count() == 1
