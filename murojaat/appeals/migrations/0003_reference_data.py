from django.db import migrations


def forwards(apps, schema_editor):
    from murojaat.appeals.reference import load_reference

    load_reference(apps.get_model("appeals", "Procedure"), apps.get_model("appeals", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
