"""Trusts become organisations that last from round to round (0007 then makes the link required, and lets a
round name the round it follows).

Every trust of today's databases gets the organisation with its code (made once, named as its latest round
names it): the same code in two rounds is the same organisation, which is what comparing rounds needs. Nothing
else moves: respondents, answers, links, audit and builds still point at the same trust rows.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def organisations_for_trusts(apps: Any, schema_editor: Any) -> None:
    Trust = apps.get_model("selfassess", "Trust")
    Organisation = apps.get_model("selfassess", "Organisation")
    made: dict[str, Any] = {}
    for trust in Trust.objects.order_by("-round__created_at", "pk").iterator():
        if trust.code not in made:
            made[trust.code] = Organisation.objects.create(code=trust.code, name=trust.name)
        trust.organisation = made[trust.code]
        trust.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0005_coordinators_of_several_trusts")]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        help_text="the id used in files, the same every round", max_length=80, unique=True
                    ),
                ),
                ("name", models.CharField(max_length=200)),
            ],
            options={"ordering": ["code"]},
        ),
        migrations.AddField(
            model_name="trust",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participations",
                to="selfassess.organisation",
            ),
        ),
        migrations.RunPython(organisations_for_trusts, migrations.RunPython.noop),
    ]
