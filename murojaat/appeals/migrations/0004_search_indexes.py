"""Trigram index for the staff search (PostgreSQL only; SQLite scans, which is fine for a demo).

The search compares case-folded, script-normalised words with Appeal.search_text using
LIKE '%word%' (`contains`); a GIN index with gin_trgm_ops answers that without a full scan.
On any other database the operations do nothing, so the migration graph stays the same.
"""

from django.db import migrations

INDEX = "appeals_appeal_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON appeals_appeal USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_reference_data")]
    operations = [migrations.RunPython(create_index, drop_index)]
