"""A build's files live where the build says (a storage name of their own for each attempt), so that they can be
kept on a bucket with no rename. Builds completed before this were written straight to their version's folder,
which becomes their location."""

from typing import Any

from django.db import migrations, models


def where_they_are(apps: Any, schema_editor: Any) -> None:
    ReportBuild = apps.get_model("selfassess", "ReportBuild")
    for build in ReportBuild.objects.filter(status="done"):
        owner = str(build.trust_id) if build.trust_id else "national"
        build.location = f"reports/{build.round_id}/{build.kind}/{owner}/{build.version}"
        build.save(update_fields=["location"])


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0012_worker_beats")]

    operations = [
        migrations.AddField(
            model_name="reportbuild",
            name="location",
            field=models.CharField(
                blank=True, max_length=300, help_text="the storage folder of this build's files, once begun"
            ),
        ),
        migrations.RunPython(where_they_are, migrations.RunPython.noop),
    ]
