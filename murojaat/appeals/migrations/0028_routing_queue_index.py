"""The working group's "to route" and "returned" tabs read off an index (issue 9, eighth pass):
`(due_date, received_at, id) WHERE state = 'new'`, a few thousand entries whatever the history.
CONCURRENTLY on PostgreSQL, so registrations are not blocked while it builds (hence a
non-atomic migration); the model state is the plain index."""

from django.db import migrations, models

INDEX = models.Index(
    fields=["due_date", "received_at", "id"],
    name="appeal_to_route",
    condition=models.Q(state="new"),
)


def create_index(apps, schema_editor):
    model = apps.get_model("appeals", "Appeal")
    if schema_editor.connection.vendor == "postgresql":
        sql = str(INDEX.create_sql(model, schema_editor, concurrently=True))
        schema_editor.execute(
            sql.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1)
        )
    else:
        schema_editor.add_index(model, INDEX)


def drop_index(apps, schema_editor):
    model = apps.get_model("appeals", "Appeal")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX.name}")
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("appeals", "0027_registered_at_written_with_the_row")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="appeal", index=INDEX)],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        )
    ]
