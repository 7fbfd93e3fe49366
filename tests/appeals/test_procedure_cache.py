"""The intake reads a channel's procedure once per process and tree version (issue 9 §4); an
administrator's edit (R-IN-2: "13 days to 10") takes effect at once in every worker."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from murojaat.appeals.models import Procedure
from murojaat.orgs import tree
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)


def test_a_second_registration_does_not_read_the_procedure_again(ministry: Ministry) -> None:
    register("hotline", received=MONDAY)
    with CaptureQueriesContext(connection) as queries:
        register("hotline", received=MONDAY)
    assert not [q for q in queries if 'FROM "appeals_procedure"' in q["sql"]]


def test_a_procedure_saved_in_the_admin_sets_the_next_term_in_every_worker_r_in_2(
    ministry: Ministry,
) -> None:
    """Worker A has the old procedure cached; the admin (worker B) saves 10 days instead of
    15: both register with 10 at once, since the save bumped the version they share."""
    before = register("hotline", received=MONDAY)
    procedure = Procedure.objects.get(channel="hotline")
    assert before.due_days == procedure.execution_days != 10
    with tree._lock:  # what worker A holds in its memory: the old procedure, the old version
        worker_a = (tree._state["version"], dict(tree._state["values"]))
    procedure.execution_days = 10
    procedure.save()  # what the admin's change form does
    assert register("hotline", received=MONDAY).due_days == 10  # worker B
    with tree._lock:
        tree._state["version"], tree._state["values"] = worker_a
    assert register("hotline", received=MONDAY).due_days == 10  # worker A
