"""Organisations carry attributes (region, type, size band...), and a round names the one that makes its benchmark
groups."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0009_build_progress")]

    operations = [
        migrations.AddField(
            model_name="organisation", name="attributes", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.AddField(
            model_name="round", name="group_attribute", field=models.CharField(blank=True, default="", max_length=40)
        ),
    ]
