"""Clinicians: the dashboard at 500 linked patients vs 5 (target <= 2.0), the patient list
API likewise, and the FHIR export of a five-year history.
Run: ``python -m bench.clinicians_bench``."""

from bench.common import compare, get_ok, prepare, report, session_client

prepare()

import datetime  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from clinicians.models import CareLink  # noqa: E402
from tracker.fhir import patient_bundle  # noqa: E402
from tracker.models import Episode, EpisodeTag, PatientFacts, PegCheckIn  # noqa: E402
from tracker.patient_facts import patient_facts_compute  # noqa: E402


def clinician_with(patients: int, *, episodes_each: int, days: int, tag: str) -> User:
    rng = random.Random(patients)
    now = timezone.now()
    clinician = User.objects.create_user(
        email=f"dr-{tag}@bench.example", password="x", role="clinician", clinician_verified_at=now
    )
    people = User.objects.bulk_create(
        User(email=f"{tag}-{i}@bench.example", display_name=f"{tag} {i}", password=make_password(None))
        for i in range(patients)
    )
    CareLink.objects.bulk_create(CareLink(patient=p, clinician=clinician) for p in people)
    rows = []
    for person in people:
        for _ in range(episodes_each):
            start = now - datetime.timedelta(minutes=rng.randint(60, days * 24 * 60))
            rows.append(
                Episode(
                    patient=person,
                    started_at=start,
                    ended_at=start + datetime.timedelta(hours=1),
                    severity=rng.randint(1, 10),
                )
            )
    created = Episode.objects.bulk_create(rows, batch_size=2000)
    EpisodeTag.objects.bulk_create(
        (EpisodeTag(episode=e, kind="red_flag", value="fever") for e in created if rng.random() < 0.02),
        batch_size=2000,
    )
    # The facts row every write keeps (bulk_create goes around the services).
    PatientFacts.objects.bulk_create(patient_facts_compute(patient_id=person.pk) for person in people)
    PegCheckIn.objects.bulk_create(
        (
            PegCheckIn(
                patient=p, date=now.date() - datetime.timedelta(weeks=w), pain=5, enjoyment=4, activity=3
            )
            for p in people
            for w in range(4)
        ),
        batch_size=2000,
    )
    return clinician


def main() -> None:
    small = clinician_with(5, episodes_each=50, days=365, tag="small")
    large = clinician_with(500, episodes_each=50, days=365, tag="large")
    with connection.cursor() as cursor:
        # What autovacuum does in production soon after a bulk load: statistics for the
        # planner and a visibility map, so index-only scans need not visit the table.
        cursor.execute("VACUUM ANALYZE")
    clients = {}
    for name, clinician in (("5", small), ("500", large)):
        clients[name] = session_client(clinician)
    for url in ("/clinician/", "/api/patients/"):
        compare(
            f"GET {url} at 500 linked patients / 5",
            get_ok(clients["500"], url),
            get_ok(clients["5"], url),
            target=2.0,
            rounds=15,
            per_round=2,
        )

    long = clinician_with(1, episodes_each=2000, days=5 * 365, tag="long")
    patient = CareLink.objects.get(clinician=long).patient
    start = time.perf_counter()
    bundle = patient_bundle(patient=patient)
    elapsed = time.perf_counter() - start
    report(f"FHIR export, five years ({len(bundle['entry'])} resources)", elapsed * 1000, "ms")


if __name__ == "__main__":
    main()
