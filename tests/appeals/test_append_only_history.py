"""Events and reads are append-only in the database itself, not only in `Model.save` (issue 10,
item 10; R-P2-13): an UPDATE or DELETE from any path is refused, and so is deleting an appeal or
an assignment that has history. Raw SQL runs on both databases; the PostgreSQL tests also pin
the SQLSTATE and that the triggers are installed by the migrations."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from murojaat.appeals.append_only import drop_sql, reinstall_after_migrate
from murojaat.appeals.models import Appeal, AppealRead, Assignment, Event, ReadKind
from murojaat.appeals.services import route_appeal
from murojaat.appeals.services.reads import record_read
from tests.appeals.helpers import register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(ministry: Ministry) -> tuple[Appeal, Assignment, Event, AppealRead]:
    m = ministry
    appeal = register()
    (top,) = route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    event = Event.objects.filter(assignment=top).first()
    assert event is not None
    read = record_read(reader=m.auditor, appeal=appeal, kind=ReadKind.PAGE, ip="10.0.0.1")
    return appeal, top, event, read


def refused(sql: str, params: list[object]) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return caught.value


def test_the_models_refuse_a_second_save_and_a_delete(history) -> None:
    appeal, top, event, read = history
    event.comment = "rewritten"
    for row in (event, read):
        with pytest.raises(ValueError, match="immutable"):
            row.save()
        with pytest.raises(ValueError, match="immutable"):
            row.delete()


def test_querysets_that_bypass_save_are_refused_by_the_database(history) -> None:
    """`.update()` and `.delete()` on a queryset never call `Model.save`/`delete`."""
    appeal, top, event, read = history
    for qs in (Event.objects.filter(pk=event.pk), AppealRead.objects.filter(pk=read.pk)):
        with pytest.raises(IntegrityError), transaction.atomic():
            qs.update(at=event.at)
        with pytest.raises(IntegrityError), transaction.atomic():
            qs.delete()
    event.refresh_from_db()
    assert Event.objects.filter(pk=event.pk).exists() and AppealRead.objects.count() == 1


def test_an_appeal_or_assignment_with_history_cannot_be_deleted(history) -> None:
    appeal, top, event, read = history
    with pytest.raises(ProtectedError), transaction.atomic():
        appeal.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        top.delete()
    assert Appeal.objects.filter(pk=appeal.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE appeals_event SET comment = 'rewritten' WHERE id = %s",
        "DELETE FROM appeals_event WHERE id = %s",
        "UPDATE appeals_event SET appeal_id = appeal_id WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_event(history, sql: str) -> None:
    appeal, top, event, read = history
    error = refused(sql, [event.pk])
    assert "append-only" in str(error)
    assert Event.objects.get(pk=event.pk).comment == event.comment


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE appeals_appealread SET ip = '10.9.9.9' WHERE id = %s",
        "DELETE FROM appeals_appealread WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_read(history, sql: str) -> None:
    appeal, top, event, read = history
    assert "append-only" in str(refused(sql, [read.pk]))
    assert AppealRead.objects.get(pk=read.pk).ip == "10.0.0.1"


def test_raw_sql_cannot_delete_an_appeal_or_assignment_with_events(history) -> None:
    appeal, top, event, read = history
    assert "has events" in str(refused("DELETE FROM appeals_assignment WHERE id = %s", [top.pk]))
    assert "has events" in str(refused("DELETE FROM appeals_appeal WHERE id = %s", [appeal.pk]))


def test_inserting_history_is_untouched(history) -> None:
    appeal, top, event, read = history
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO appeals_event (appeal_id, kind, at, comment, data) "
            "VALUES (%s, 'comment', %s, 'added', '{}')",
            [appeal.pk, event.at],
        )
    assert appeal.events.filter(comment="added").exists()


def test_the_triggers_come_back_after_migrate_if_a_table_rebuild_dropped_them(history) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it: post_migrate re-asserts
    them. (On PostgreSQL the same call is a no-op `CREATE OR REPLACE`.)"""
    appeal, top, event, read = history
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor):
            cursor.execute(statement)
    reinstall_after_migrate(using="default")
    refused("DELETE FROM appeals_event WHERE id = %s", [event.pk])


@pytest.mark.django_db(transaction=True)
def test_the_harness_can_still_wipe_a_database_with_history(ministry: Ministry) -> None:
    """A transactional test's flush (TRUNCATE on PostgreSQL; on SQLite the conftest drops and
    re-installs the triggers around its DELETEs) must empty the tables: this test's teardown
    does it with events and reads present, and the next test starts empty."""
    appeal = register()
    record_read(reader=ministry.auditor, appeal=appeal, kind=ReadKind.PAGE)
    assert Event.objects.exists() and AppealRead.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_starts_empty_and_guarded(ministry: Ministry) -> None:
    assert not Event.objects.exists() and not AppealRead.objects.exists()
    appeal = register()
    with pytest.raises(IntegrityError):
        Event.objects.filter(appeal=appeal).update(comment="x")


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL's triggers and SQLSTATE")
def test_postgresql_refuses_with_restrict_violation_from_its_triggers(history) -> None:
    appeal, top, event, read = history
    for sql, pk in (
        ("UPDATE appeals_event SET comment = 'x' WHERE id = %s", event.pk),
        ("DELETE FROM appeals_event WHERE id = %s", event.pk),
        ("UPDATE appeals_appealread SET ip = NULL WHERE id = %s", read.pk),
        ("DELETE FROM appeals_appealread WHERE id = %s", read.pk),
        ("DELETE FROM appeals_appeal WHERE id = %s", appeal.pk),
        ("DELETE FROM appeals_assignment WHERE id = %s", top.pk),
    ):
        error = refused(sql, [pk])
        assert error.__cause__ is not None
        assert getattr(error.__cause__, "sqlstate", None) == "23001", sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
            "('appeals_event'::regclass, 'appeals_appealread'::regclass, "
            "'appeals_appeal'::regclass, 'appeals_assignment'::regclass)"
        )
        names = {row[0] for row in cursor.fetchall()}
    # Other triggers may live on these tables too (the scope array's held_by trigger).
    assert {
        "appeals_event_append_only",
        "appeals_appealread_append_only",
        "appeals_appeal_keeps_history",
        "appeals_assignment_keeps_history",
    } <= names


def test_an_appeal_without_history_can_still_be_deleted(ministry: Ministry) -> None:
    """The appeal's trigger refuses only where events exist: it is not a blanket ban (a row
    copied without its history, as a data-fix script might leave, can be removed)."""
    bare = register()
    bare.pk = None
    bare.number, bare.seq = "X-1", bare.seq + 1000
    bare.save()
    Appeal.objects.filter(pk=bare.pk).delete()
    assert not Appeal.objects.filter(number="X-1").exists()
