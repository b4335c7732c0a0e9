"""A patient shares with a clinician, the clinician sees the warning sign and exports,
the patient sees the access log and revokes; the clinician's next request is a 404."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinicians.models import CareLink
from tests.browser.conftest import ARTIFACTS, assert_accessible, log_in
from tests.factories import EpisodeFactory
from tracker import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_flag_export_audit_and_revoke(page, browser, patient, clinician, password, guidance_content):
    log_in(page, patient.email, password)
    page.locator(".more-menu summary").click()  # Sharing sits under "More"
    page.get_by_role("link", name="Sharing").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create a sharing code").click()
    code = page.locator(".invitation .code").inner_text().strip()
    assert len(code) == 10
    assert_accessible(page)

    doctor = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    doctor.base_url = page.base_url
    log_in(doctor, clinician.email, password)
    doctor.locator(".more-menu summary").click()
    doctor.get_by_role("link", name="Patients").click()
    assert_accessible(doctor)
    doctor.get_by_role("link", name="Enter a patient's code").click()
    doctor.get_by_label("Invitation code").fill(code)
    doctor.get_by_role("button", name="See the record").click()
    expect(doctor.get_by_text("Pat shared their record with you.")).to_be_visible()

    services.episode_create(
        patient=patient, severity=8, red_flags=["saddle_numbness"], locations=["leg_left"]
    )
    doctor.goto(f"{page.base_url}/clinician/")
    row = doctor.locator(".patient-row").first
    expect(row).to_contain_text("Warning sign in the last 30 days")
    assert_accessible(doctor)
    row.get_by_role("link", name="Pat").click()
    expect(doctor.locator(".attention")).to_contain_text("Warning sign in the last 30 days")
    expect(doctor.get_by_role("heading", name="Timeline")).to_be_visible()
    guidance = doctor.locator(".timeline details.given").first
    guidance.locator("summary").click()
    expect(guidance.locator(".prompt-line-emergency").first).to_be_visible()
    assert_accessible(doctor)
    doctor.get_by_text("Export", exact=True).click()
    with doctor.expect_download() as pdf:
        doctor.get_by_role("link", name="PDF summary").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with doctor.expect_download() as fhir:
        doctor.get_by_role("link", name="FHIR bundle").click()
    bundle = json.loads(fhir.value.path().read_text())
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert bundle["resourceType"] == "Bundle" and kinds[0] == "Patient" and "Observation" in kinds

    page.reload()
    expect(page.get_by_text("Exported the record (FHIR)")).to_be_visible()
    expect(page.get_by_text("Viewed the record").first).to_be_visible()
    page.get_by_role("button", name="Stop sharing with Dr Chen").click()
    expect(page.get_by_text("Dr Chen can no longer see your record.")).to_be_visible()
    assert_accessible(page)

    response = doctor.reload()
    assert response.status == 404
    doctor.context.close()


def test_the_spanish_dashboard_fits_a_small_phone(page, patient, clinician, password, guidance_content):
    CareLink.objects.create(patient=patient, clinician=clinician)
    now = timezone.now()
    EpisodeFactory(patient=patient, started_at=now - datetime.timedelta(weeks=20), severity=3)
    for days in range(1, 5):
        EpisodeFactory(patient=patient, started_at=now - datetime.timedelta(days=days), severity=6)
    services.episode_create(patient=patient, severity=8, red_flags=["fever"])
    log_in(page, clinician.email, password)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.goto(f"{page.base_url}/clinician/")
    expect(page.get_by_role("heading", name="Tus pacientes")).to_be_visible()
    expect(page.locator(".patient-row .flag")).to_have_count(4)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "clinician-dashboard-es-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
