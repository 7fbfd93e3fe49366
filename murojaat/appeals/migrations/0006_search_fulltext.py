"""Full-text index for the staff search (PostgreSQL only; a no-op on SQLite).

Appeal.search_text is already case-folded and transliterated to Latin (normalize_for_search), so
the `simple` configuration (no stemming, no stop words) indexes its words as they are. The search
matches a word as a prefix of an indexed word (`to_tsquery('simple', 'word:*')`) or, through the
trigram index of 0004, anywhere in the text. The expression here must stay identical to the one
selectors.search.SearchPrefix compiled, or the planner would not use the index. Dropped by 0026:
the search no longer reads it (one trigram `LIKE` per word).
"""

from django.db import migrations

INDEX = "appeals_appeal_search_text_fts"
EXPRESSION = "to_tsvector('simple'::regconfig, search_text)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON appeals_appeal USING gin ({EXPRESSION})"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0005_word_reference")]
    operations = [migrations.RunPython(create_index, drop_index)]
