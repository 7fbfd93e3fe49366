"""The working group's overdue and due-soon tabs read the first hops' open work in deadline
order off one partial index that also holds the appeal's id (issue 9)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0030_appeal_ids_by_region_and_district"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("parent__isnull", True), ("state__in", ["sent", "accepted"])),
                fields=["due_date", "id", "appeal"],
                name="assignment_top_open_due",
            ),
        ),
    ]
