"""Every trust now has its organisation (0006 gave each one), so the link is required; and a round may name the
earlier round its reports compare with. Apart from 0006 because PostgreSQL will not alter a table in the
transaction that has just updated its rows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0006_organisations")]

    operations = [
        migrations.AlterField(
            model_name="trust",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="participations", to="selfassess.organisation"
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="previous",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="later_rounds",
                to="selfassess.round",
            ),
        ),
    ]
