"""Task workers say when they were last seen, so that a load balancer's health check can tell."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0011_answer_one_index")]

    operations = [
        migrations.CreateModel(
            name="WorkerBeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("worker", models.CharField(help_text="host name and process id", max_length=200, unique=True)),
                ("seen_at", models.DateTimeField()),
            ],
        ),
    ]
