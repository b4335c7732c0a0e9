"""A linked clinician sees the patient's insights; anyone else gets a 404."""

import pytest
from django.utils import timezone

from tests.tracker.insights_data import seed_checkins

pytestmark = pytest.mark.django_db


def test_the_patient_page_shows_the_insights(clinician_client, patient, link):
    seed_checkins(patient, today=timezone.localdate(), days=120)
    page = clinician_client.get(f"/clinician/patients/{patient.pk}/").content.decode()
    assert 'id="insights-heading"' in page and "On days after poor sleep you had a spasm" in page


def test_the_api_gives_a_linked_patients_insights(api_client, clinician, patient, link):
    seed_checkins(patient, today=timezone.localdate(), days=120)
    api_client.force_authenticate(clinician)
    data = api_client.get(f"/api/patients/{patient.pk}/insights/").json()
    assert next(item for item in data["factors"] if item["factor"] == "poor_sleep")["enough_data"]


def test_the_api_is_404_for_a_patient_not_linked(api_client, clinician, other_patient, patient, link):
    api_client.force_authenticate(clinician)
    assert api_client.get(f"/api/patients/{other_patient.pk}/insights/").status_code == 404


def test_the_api_is_404_after_the_link_is_revoked(api_client, clinician, patient, link):
    link.revoked_at = timezone.now()
    link.save()
    api_client.force_authenticate(clinician)
    assert api_client.get(f"/api/patients/{patient.pk}/insights/").status_code == 404
