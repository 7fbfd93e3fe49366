"""Appeal.content_search_text: the number and the text, normalised like search_text but without
the author's data, so a user who may not see a hidden author (L-10) searches with the same script
and case folding as everyone else. Existing rows are filled in batches."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from murojaat.core.translit import normalize_for_search

    Appeal = apps.get_model("appeals", "Appeal")
    rows = Appeal.objects.order_by("pk").values_list("pk", "number", "text")
    pending = []
    for pk, number, text in rows.iterator(chunk_size=BATCH):
        pending.append(Appeal(pk=pk, content_search_text=normalize_for_search(f"{number} {text}")))
        if len(pending) >= BATCH:
            Appeal.objects.bulk_update(pending, ["content_search_text"])
            pending = []
    if pending:
        Appeal.objects.bulk_update(pending, ["content_search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0011_interface_labels_without_rule_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="content_search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
