"""An answer's respondent is looked up through the unique (respondent, question) index alone: the foreign key's
own index on the same leading column only slowed the bulk loading of answers."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0010_benchmark_groups")]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="respondent",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="selfassess.respondent",
            ),
        ),
    ]
