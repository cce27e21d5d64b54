"""Report builds say how far they have gone, what a complete one holds, and when a national build's PDF (made
after its pages) was made."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0008_lasting_links")]

    operations = [
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
