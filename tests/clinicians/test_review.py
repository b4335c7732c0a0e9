"""Clinician tools: mark a patient reviewed, the "not reviewed in 30 days" filter, the
latest-activity order, and API reads that count as a look only when asked."""

import datetime

import pytest
from django.utils import timezone

from clinicians.models import (
    AccessLogEntry,
    CareLink,
    Membership,
    Organisation,
    OrganisationShare,
    PatientReview,
)
from clinicians.selectors import dashboard
from tests.factories import ClinicianFactory, EpisodeFactory, PatientFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def linked(clinician, name: str, *, reviewed_days_ago: int | None = None):
    patient = PatientFactory(display_name=name)
    CareLink.objects.create(patient=patient, clinician=clinician)
    if reviewed_days_ago is not None:
        PatientReview.objects.create(
            patient=patient, clinician=clinician, reviewed_at=NOW - reviewed_days_ago * DAY
        )
    return patient


def names(rows) -> list[str]:
    return [str(row.patient) for row in rows]


def test_marking_reviewed_records_when_and_clears_new_since(clinician_client, clinician, patient, link):
    EpisodeFactory(patient=patient)
    assert dashboard(clinician=clinician)[0].new_since_look == 1
    page = clinician_client.get(f"/clinician/patients/{patient.pk}/").content.decode()
    assert "You have not marked this patient reviewed yet." in page
    EpisodeFactory(patient=patient)  # logged after that look
    response = clinician_client.post(f"/clinician/patients/{patient.pk}/reviewed/", follow=True)
    assert "Pat is marked as reviewed." in response.content.decode()
    assert "You marked this patient reviewed on" in response.content.decode()
    review = PatientReview.objects.get(clinician=clinician, patient=patient)
    assert NOW < review.reviewed_at <= timezone.now()
    (row,) = dashboard(clinician=clinician)
    assert row.new_since_look == 0 and "new" not in dict(row.flags) and row.reviewed_at == review.reviewed_at


def test_marking_reviewed_takes_a_post(clinician_client, patient, link):
    assert clinician_client.get(f"/clinician/patients/{patient.pk}/reviewed/").status_code == 405
    assert not PatientReview.objects.exists()


def test_marking_someone_elses_patient_reviewed_is_a_404(clinician_client, other_patient):
    assert clinician_client.post(f"/clinician/patients/{other_patient.pk}/reviewed/").status_code == 404
    assert clinician_client.post("/clinician/patients/99999999/reviewed/").status_code == 404
    assert not PatientReview.objects.exists()


def test_reviews_are_each_clinicians_own(clinician, patient):
    clinic = Organisation.objects.create(name="Clinic")
    colleague = ClinicianFactory()
    for user in (clinician, colleague):
        Membership.objects.create(organisation=clinic, clinician=user)
    OrganisationShare.objects.create(patient=patient, organisation=clinic)
    EpisodeFactory(patient=patient)
    PatientReview.objects.create(patient=patient, clinician=colleague, reviewed_at=NOW, last_viewed_at=NOW)
    (mine,) = dashboard(clinician=clinician)
    assert mine.reviewed_at is None and mine.new_since_look == 1
    assert names(dashboard(clinician=clinician, review="due")) == ["Pat"]
    assert dashboard(clinician=colleague, review="due") == []


def test_the_filter_keeps_patients_not_reviewed_in_30_days(clinician_client, clinician):
    linked(clinician, "Never")
    linked(clinician, "Long ago", reviewed_days_ago=31)
    linked(clinician, "Recently", reviewed_days_ago=29)
    assert sorted(names(dashboard(clinician=clinician, review="due"))) == ["Long ago", "Never"]
    page = clinician_client.get("/clinician/?review=due").content.decode()
    assert "Long ago" in page and "Never" in page and "Recently" not in page
    assert "2 patients share their record with you." in page


def test_the_dashboard_sorts_by_latest_activity_without_javascript(clinician_client, clinician):
    flagged = linked(clinician, "Flagged long ago")
    EpisodeFactory(patient=flagged, started_at=NOW - 20 * DAY, severity=9)
    for days in (19, 18, 17, 16):
        EpisodeFactory(patient=flagged, started_at=NOW - days * DAY, severity=9)
    quiet = linked(clinician, "Quiet but recent")
    EpisodeFactory(patient=quiet, started_at=NOW - DAY, severity=1)
    linked(clinician, "Nothing logged")
    assert names(dashboard(clinician=clinician)) == ["Flagged long ago", "Quiet but recent", "Nothing logged"]
    by_activity = ["Quiet but recent", "Flagged long ago", "Nothing logged"]
    assert names(dashboard(clinician=clinician, sort="activity")) == by_activity
    page = clinician_client.get("/clinician/", {"sort": "activity"}).content.decode()
    assert page.index("Quiet but recent") < page.index("Flagged long ago") < page.index("Nothing logged")
    assert '<option value="activity" selected>' in page  # the GET form keeps the choice


def test_a_bad_filter_value_is_ignored_on_the_page_and_a_400_in_the_api(
    clinician_client, api_client, clinician
):
    linked(clinician, "P")
    page = clinician_client.get("/clinician/?sort=<script>&review=bogus")
    assert page.status_code == 200 and "<script>&" not in page.content.decode()
    api_client.force_authenticate(clinician)
    response = api_client.get("/api/patients/?sort=sideways&review=maybe")
    assert response.status_code == 400 and set(response.json()) == {"sort", "review"}


def test_api_reads_reset_new_since_only_when_asked_and_are_always_audited(
    api_client, clinician, patient, link
):
    EpisodeFactory(patient=patient)
    api_client.force_authenticate(clinician)
    for path in ("episodes", "summary", "insights", "fhir"):
        assert api_client.get(f"/api/patients/{patient.pk}/{path}/").status_code == 200
    assert dashboard(clinician=clinician)[0].new_since_look == 1
    assert AccessLogEntry.objects.filter(clinician=clinician, patient=patient).count() == 4
    assert api_client.get(f"/api/patients/{patient.pk}/episodes/?mark_seen=0").status_code == 200
    assert dashboard(clinician=clinician)[0].new_since_look == 1
    assert api_client.get(f"/api/patients/{patient.pk}/episodes/?mark_seen=1").status_code == 200
    assert dashboard(clinician=clinician)[0].new_since_look == 0
    assert AccessLogEntry.objects.filter(clinician=clinician, patient=patient).count() == 6
    listed = api_client.get("/api/patients/").json()["results"][0]
    assert listed["new_since_look"] == 0 and listed["reviewed_at"] is None


def test_the_api_marks_a_patient_reviewed(api_client, clinician, patient, other_patient, link):
    EpisodeFactory(patient=patient)
    api_client.force_authenticate(clinician)
    response = api_client.post(f"/api/patients/{patient.pk}/reviewed/")
    assert response.status_code == 200
    review = PatientReview.objects.get(clinician=clinician, patient=patient)
    assert response.json()["reviewed_at"].startswith(review.reviewed_at.isoformat()[:19])
    assert api_client.get("/api/patients/?review=due").json()["count"] == 0
    assert api_client.get(f"/api/patients/{patient.pk}/reviewed/").status_code == 405
    assert api_client.post(f"/api/patients/{other_patient.pk}/reviewed/").status_code == 404
    api_client.force_authenticate(None)
    assert api_client.post(f"/api/patients/{patient.pk}/reviewed/").status_code == 401


def test_the_schema_documents_mark_seen_review_and_sort(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    listing = {p["name"]: p for p in paths["/api/patients/"]["get"]["parameters"]}
    assert listing["review"]["schema"]["enum"] == ["due"]
    assert set(listing["sort"]["schema"]["enum"]) == {"attention", "activity"}
    for path in ("episodes", "summary", "insights", "fhir"):
        parameters = {p["name"] for p in paths[f"/api/patients/{{patient_id}}/{path}/"]["get"]["parameters"]}
        assert "mark_seen" in parameters, path
    reviewed = paths["/api/patients/{patient_id}/reviewed/"]["post"]
    ref = reviewed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert "reviewed_at" in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "requestBody" not in reviewed


def test_the_data_migration_moves_each_last_look_onto_a_review(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before, after = (
        [("clinicians", "0001_initial")],
        [("clinicians", "0002_organisations_and_patient_reviews")],
    )
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    patient, doctor = PatientFactory(), ClinicianFactory()  # accounts stays migrated: today's model
    seen = timezone.now() - DAY
    apps.get_model("clinicians", "CareLink").objects.create(
        patient_id=patient.pk, clinician_id=doctor.pk, last_viewed_at=seen
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    review = apps.get_model("clinicians", "PatientReview").objects.get()
    assert (review.patient_id, review.clinician_id, review.last_viewed_at) == (patient.pk, doctor.pk, seen)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
