"""Every clinician URL answers 404 to anyone without an active link from a verified
clinician. The URL list comes from the resolver, so a new URL without the check fails."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from clinicians import services
from clinicians.models import AccessLogEntry, CareLink
from tests.factories import ClinicianFactory, EpisodeFactory

pytestmark = pytest.mark.django_db


def clinician_urls(patient_id: int) -> list[str]:
    urls = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if "<id:organisation_id>" in route:
                    continue  # names no patient: tests/clinicians/test_organisations.py
                if route.startswith(("clinician/", "api/patients/")):
                    urls.append("/" + route.replace("<id:patient_id>", str(patient_id)))

    walk(get_resolver().url_patterns, "")
    return urls


def test_the_walk_finds_every_clinician_page_and_api(patient):
    urls = clinician_urls(patient.pk)
    assert len(urls) >= 11
    assert f"/clinician/patients/{patient.pk}/fhir.json" in urls
    assert f"/api/patients/{patient.pk}/fhir/" in urls


@pytest.mark.parametrize("who", ["unlinked", "unverified", "patient", "revoked"])
def test_every_clinician_url_is_404_without_an_active_link(client, patient, clinician, who):
    EpisodeFactory(patient=patient)
    if who == "unlinked":
        user = ClinicianFactory()
    elif who == "unverified":
        user = ClinicianFactory(clinician_verified_at=None)
        CareLink.objects.create(patient=patient, clinician=user)
    elif who == "patient":
        user = patient
    else:
        link = CareLink.objects.create(patient=patient, clinician=clinician)
        services.link_revoke(patient=patient, link_id=link.pk)
        user = clinician
    client.force_login(user)
    for url in clinician_urls(patient.pk):
        if who in ("unlinked", "revoked") and url.rstrip("/") in (
            "/clinician",
            "/clinician/redeem",
            "/clinician/invite",
            "/clinician/organisations",
            "/api/patients",
        ):
            continue  # their own pages: no patient named in them
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), (who, method, url, response.status_code)
            assert response.status_code == 404 or method == "post"
    assert not AccessLogEntry.objects.exists()


def test_a_linked_clinician_sees_the_record_and_it_is_logged(client, patient, clinician):
    CareLink.objects.create(patient=patient, clinician=clinician)
    EpisodeFactory(patient=patient, notes="<script>x</script>")
    client.force_login(clinician)
    for url in clinician_urls(patient.pk):
        if "/notes/" in url or "/reviewed/" in url:
            continue  # POST only
        assert client.get(url).status_code == 200, url
    actions = set(AccessLogEntry.objects.filter(patient=patient).values_list("action", flat=True))
    assert {"viewed", "exported_csv", "exported_pdf", "exported_fhir", "api"} <= actions
    page = client.get(f"/clinician/patients/{patient.pk}/").content.decode()
    assert "<script>x</script>" not in page


def test_the_patient_sees_the_access_log_and_revokes(client, patient, clinician):
    link = CareLink.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    client.get(f"/clinician/patients/{patient.pk}/")
    client.force_login(patient)
    page = client.get("/sharing/").content.decode()
    assert "Viewed the record" in page and "Dr Chen" in page
    client.post(f"/sharing/links/{link.pk}/revoke/")
    client.force_login(clinician)
    assert client.get(f"/clinician/patients/{patient.pk}/").status_code == 404


def test_someone_elses_link_cannot_be_revoked(client, patient, other_patient, clinician):
    link = CareLink.objects.create(patient=patient, clinician=clinician)
    client.force_login(other_patient)
    assert client.post(f"/sharing/links/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
