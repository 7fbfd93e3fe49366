"""Procedure.proposal_days (L-3, art. 28: proposals are considered within up to one month, other
appeals within 15 days). The law-based channels get 30 days for proposals; the Virtual
Receptions' procedures (13 days for every appeal, R-P2-11, R-P3-2) keep it empty."""

from django.db import migrations, models

LAW_CHANNELS = [
    "peoples-reception",
    "hotline",
    "e-services",
    "personal-reception",
    "field-reception",
    "post",
    "email",
]


def set_days(apps, schema_editor):
    Procedure = apps.get_model("appeals", "Procedure")
    Procedure.objects.filter(code__in=LAW_CHANNELS, proposal_days__isnull=True).update(
        proposal_days=30
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0012_content_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="proposal_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Empty: a proposal has the same term as any other appeal.",
                null=True,
                verbose_name="days to consider a proposal",
            ),
        ),
        migrations.RunPython(set_days, migrations.RunPython.noop),
    ]
