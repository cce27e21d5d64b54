"""Every invitation's link id is unique (0008 gave each one); and report builds say how far they have gone,
what a complete one holds, and when a national build's PDF (made after its pages) was made."""

from django.db import migrations, models

import selfassess.web.models


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0008_lasting_links")]

    operations = [
        migrations.AlterField(
            model_name="respondent",
            name="link_id",
            field=models.CharField(default=selfassess.web.models.new_link_id, max_length=12, unique=True),
        ),
        migrations.AddField(
            model_name="reportbuild", name="progress", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AddField(
            model_name="reportbuild", name="responses", field=models.PositiveIntegerField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="reportbuild", name="data_as_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="reportbuild", name="pdf_done_at", field=models.DateTimeField(blank=True, null=True)
        ),
    ]
