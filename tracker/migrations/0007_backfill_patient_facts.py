"""Every patient with episodes gets their facts row: rows were made only when a patient
logged after 0005, and the clinician's dashboard now ranks patients from these rows (it
works out a missing one on the spot, at four queries a patient)."""

from django.db import migrations
from django.db.models import Count, Max, Min, Q


def backfill(apps, schema_editor):
    from tracker.choices import HELPFUL_EFFECTS, ReliefEffect
    from tracker.patient_facts import RECENT, micros

    Episode = apps.get_model("tracker", "Episode")
    PatientFacts = apps.get_model("tracker", "PatientFacts")
    ReliefTried = apps.get_model("tracker", "ReliefTried")
    missing = (
        Episode.objects.exclude(patient_id__in=PatientFacts.objects.values("patient_id"))
        .values_list("patient_id", flat=True)
        .distinct()
        .order_by()
    )
    rows = []
    for patient_id in missing.iterator():
        episodes = Episode.objects.filter(patient_id=patient_id)
        bounds = episodes.aggregate(first=Min("started_at"), latest=Max("started_at"))
        latest = bounds["latest"]
        recent = [
            [micros(start), severity]
            for start, severity in episodes.filter(started_at__gt=latest - RECENT)
            .order_by("started_at", "id")
            .values_list("started_at", "severity")
        ]
        relief = {
            measure: [helped, worse]
            for measure, helped, worse in ReliefTried.objects.filter(episode__patient_id=patient_id)
            .values_list("measure")
            .annotate(
                helped=Count("id", filter=Q(effect__in=HELPFUL_EFFECTS)),
                worse=Count("id", filter=Q(effect=ReliefEffect.WORSE)),
            )
            .order_by()
        }
        rows.append(
            PatientFacts(
                patient_id=patient_id,
                first_started_at=bounds["first"],
                latest_started_at=latest,
                latest_count=episodes.filter(started_at=latest).count(),
                relief=relief,
                recent=recent,
            )
        )
    PatientFacts.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_episode_indexes_start_with_the_patient"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
