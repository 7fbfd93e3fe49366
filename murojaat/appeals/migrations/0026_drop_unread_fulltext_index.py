"""Drop the full-text index of 0006: since the search is one trigram `LIKE` per word
(selectors/search.py, issue 9 sixth pass) nothing reads it, and every registration and every
edit of an appeal's text still paid for its GIN entries. PostgreSQL only; CONCURRENTLY, so a
live table is not locked against the staff while it goes (hence a non-atomic migration)."""

from django.db import migrations

INDEX = "appeals_appeal_search_text_fts"
EXPRESSION = "to_tsvector('simple'::regconfig, search_text)"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON appeals_appeal USING gin ({EXPRESSION})"
    )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("appeals", "0025_indexes_for_the_running_month")]
    operations = [migrations.RunPython(drop_index, create_index)]
