"""Issue 10 item 3, a clinician's side: the patient page, its PDF and the API summary share
the patients' period parser."""

import pytest

from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["?end=9999-12-31", "?start=0001-01-01&end=0001-01-02"])
def test_the_patient_page_shows_an_out_of_range_period_as_the_forms_error(
    clinician_client, patient, link, query
):
    EpisodeFactory(patient=patient)
    response = clinician_client.get(f"/clinician/patients/{patient.pk}/{query}")
    assert response.status_code == 200
    assert response.context["period_form"].errors


def test_the_patient_pdf_of_an_out_of_range_period_is_a_400(clinician_client, patient, link):
    response = clinician_client.get(f"/clinician/patients/{patient.pk}/summary.pdf?end=9999-12-31")
    assert response.status_code == 400


def test_the_api_summary_of_an_out_of_range_period_is_a_400(api_client, clinician, patient, link):
    api_client.force_authenticate(clinician)
    response = api_client.get(f"/api/patients/{patient.pk}/summary/?to=9999-12-31")
    assert response.status_code == 400 and "to" in response.json()
