"""A region or district filter reads the appeals' ids off an index (issue 9).

The composite indexes come first, then the single-column foreign-key indexes they replace are
dropped, so the filters never run without one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0029_open_work_by_org_and_deadline"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["author_region", "id"], name="appeal_region_id"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["author_district", "id"], name="appeal_district_id"),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="author_district",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="orgs.district",
                verbose_name="district or city",
            ),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="author_region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="orgs.region",
                verbose_name="region",
            ),
        ),
    ]
