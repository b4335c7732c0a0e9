"""The facts row keeps the latest start of an episode with a warning sign, so the
clinician's dashboard reads "a warning sign in the last 30 days" from it instead of hashing
every patient's last 30 days of episodes; existing rows get it from their episodes."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Episode = apps.get_model("tracker", "Episode")
    PatientFacts = apps.get_model("tracker", "PatientFacts")
    latest_with_red_flag = (
        Episode.objects.filter(patient_id=OuterRef("patient_id"), tags__kind="red_flag")
        .order_by("-started_at")
        .values("started_at")[:1]
    )
    PatientFacts.objects.update(red_flag_started_at=Subquery(latest_with_red_flag))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0007_backfill_patient_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="patientfacts",
            name="red_flag_started_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
