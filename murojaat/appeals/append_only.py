"""The appeal's history and its read trace are append-only in the database itself (issue 10).

`Event.save`/`delete` refusing a second write guards the ORM only; a queryset `.update()`, a
`.delete()` cascade, raw SQL or a console bypass it. These triggers make the database refuse:

- UPDATE or DELETE of a row of `appeals_event` (R-P2-13) or `appeals_appealread` (who read what);
- DELETE of an appeal, or of an assignment, that has events (its history would be orphaned;
  the foreign keys would refuse at commit too, the trigger says why at once).

PostgreSQL raises SQLSTATE 23001 (restrict_violation) and SQLite RAISE(ABORT): Django reports
both as IntegrityError. INSERT is untouched: writing history costs nothing more.

TRUNCATE fires no row trigger: it is the legitimate purge of a whole database (the test
harness's flush, a demo reset) and needs the TRUNCATE privilege, which the application's role
must not hold in production (docs/operations.md, "Append-only history"). On SQLite, which has no
TRUNCATE, the test harness's flush drops the triggers and installs them again around its
DELETEs (tests/conftest.py); `make demo-reset` removes the whole file.

Installed by migration appeals 0019 and again after every `migrate` (apps.py, post_migrate):
SQLite rebuilds a table for many schema changes and drops its triggers with the old table, so
re-asserting them (idempotent) keeps a later migration from silently removing them.
"""

from __future__ import annotations

from typing import Any

APPEND_ONLY_TABLES = ("appeals_event", "appeals_appealread")
# (table, column naming the history's owner): deleting the owner of an event is refused.
HISTORY_OWNERS = (("appeals_appeal", "appeal_id"), ("appeals_assignment", "assignment_id"))

_PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION murojaat_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE OR REPLACE FUNCTION murojaat_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    has_events boolean;
BEGIN
    IF TG_TABLE_NAME = 'appeals_appeal' THEN
        has_events := EXISTS (SELECT 1 FROM appeals_event WHERE appeal_id = OLD.id);
    ELSE
        has_events := EXISTS (SELECT 1 FROM appeals_event WHERE assignment_id = OLD.id);
    END IF;
    IF has_events THEN
        RAISE EXCEPTION '% % has events: DELETE refused (its history is append-only)',
            TG_TABLE_NAME, OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END
$$;
"""


def _postgresql() -> list[str]:
    sql = [_PG_FUNCTIONS]
    for table in APPEND_ONLY_TABLES:
        sql.append(
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION murojaat_refuse_change()"
        )
    for table, _column in HISTORY_OWNERS:
        sql.append(
            f"CREATE OR REPLACE TRIGGER {table}_keeps_history BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION murojaat_keep_history()"
        )
    return sql


def _sqlite() -> list[str]:
    sql = []
    for table in APPEND_ONLY_TABLES:
        for op in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
            )
    for table, column in HISTORY_OWNERS:  # the module's own constants, never input
        sql.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_keeps_history BEFORE DELETE ON {table} "  # noqa: S608
            f"WHEN EXISTS (SELECT 1 FROM appeals_event WHERE {column} = OLD.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} has events: DELETE refused "
            "(its history is append-only)'); END"
        )
    return sql


def sqlite_trigger_names() -> list[str]:
    names = [f"{t}_no_{op}" for t in APPEND_ONLY_TABLES for op in ("update", "delete")]
    return names + [f"{table}_keeps_history" for table, _column in HISTORY_OWNERS]


def install_sql(vendor: str) -> list[str]:
    """The statements that install (or re-assert) the triggers on this database vendor; none
    for a vendor without triggers we wrote (then only the ORM guards, see the docs)."""
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    return []


def drop_sql(vendor: str) -> list[str]:
    """The reverse, for the migration's rollback and the SQLite test flush only."""
    if vendor == "postgresql":
        sql = [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in APPEND_ONLY_TABLES]
        sql += [f"DROP TRIGGER IF EXISTS {t}_keeps_history ON {t}" for t, _c in HISTORY_OWNERS]
        return [
            *sql,
            "DROP FUNCTION IF EXISTS murojaat_refuse_change()",
            "DROP FUNCTION IF EXISTS murojaat_keep_history()",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_trigger_names()]
    return []


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in install_sql(connection.vendor):
            cursor.execute(statement)


def reinstall_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: re-assert the triggers (see the module's docstring), once the tables exist."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if {*APPEND_ONLY_TABLES, *(t for t, _c in HISTORY_OWNERS)} <= tables:
        install(connection)
