"""Links that last, and reminders that send themselves: an invitation's link is derived from the server's secret and the invitation's id and link
version (services.invitations.link_token), so it no longer changes with every e-mail. Links made before keep
working through the hash kept of them (Respondent.token_hash) until the invitation is reissued or revoked. Reminders: a round's reminder days, each sending's per-person record (sent once), and
what a sending was for and why it sent nothing."""

import django.db.models.deletion
from django.db import migrations, models

import selfassess.web.models


def give_link_ids(apps: object, schema_editor: object) -> None:
    respondents = apps.get_model("selfassess", "Respondent")  # type: ignore[attr-defined]
    for respondent in respondents.objects.filter(link_id__isnull=True).only("pk"):
        respondent.link_id = selfassess.web.models.new_link_id()
        respondent.save(update_fields=["link_id"])


class Migration(migrations.Migration):
    dependencies = [("selfassess", "0007_organisation_required_and_previous_rounds")]

    operations = [
        migrations.AddField(model_name="respondent", name="link_version", field=models.PositiveIntegerField(default=1)),
        # Each invitation's link id: added empty, then filled one by one (a callable default would give every
        # existing row the same value); made unique in 0009, as PostgreSQL will not alter a table in the
        # transaction that has just updated its rows.
        migrations.AddField(model_name="respondent", name="link_id", field=models.CharField(max_length=12, null=True)),
        migrations.RunPython(give_link_ids, migrations.RunPython.noop),
        migrations.AddField(
            model_name="round",
            name="reminder_days",
            field=models.JSONField(default=selfassess.web.models.default_reminder_days),
        ),
        migrations.AddField(model_name="emailsend", name="site", field=models.CharField(blank=True, max_length=200)),
        migrations.AddField(model_name="emailsend", name="reminder_on", field=models.DateField(blank=True, null=True)),
        migrations.AddField(
            model_name="emailsend", name="attempted_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(model_name="emailsend", name="note", field=models.CharField(blank=True, max_length=300)),
        migrations.AddConstraint(
            model_name="emailsend",
            constraint=models.UniqueConstraint(
                fields=("trust", "reminder_on"), name="one_scheduled_reminder_per_trust_and_date"
            ),
        ),
        migrations.CreateModel(
            name="EmailDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("claimed_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "respondent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="selfassess.respondent",
                    ),
                ),
                (
                    "send",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="selfassess.emailsend",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("send", "respondent"), name="one_email_per_person_and_send")
                ]
            },
        ),
    ]
