"""Response headers on every page (issue 10, item 12)."""

import pytest
from django.urls import reverse

from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


def assert_not_stored(response) -> None:
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "history",
        "summary",
        "summary_pdf",
        "export_csv",
        "export_fhir",
        "export_json",
        "accounts:profile",
    ],
)
def test_private_pages_and_exports_are_never_stored(patient_client, patient, guidance_content, name):
    EpisodeFactory(patient=patient)
    response = patient_client.get(reverse(name))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_clinicians_exports_are_never_stored(client, patient, clinician):
    from clinicians.models import CareLink

    CareLink.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    for suffix in ("episodes.csv", "fhir.json", ""):
        response = client.get(f"/clinician/patients/{patient.pk}/{suffix}")
        assert response.status_code == 200, suffix
        assert_not_stored(response)


def test_api_answers_are_never_stored(patient_api, api_client):
    assert_not_stored(patient_api.get("/api/episodes/"))
    assert_not_stored(api_client.post("/api/auth/token/", {}))


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/schema/", "/no-such-page/"])
def test_every_page_denies_browser_features_the_app_does_not_use(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
