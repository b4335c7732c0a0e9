"""A clinician invites a patient on behalf of their clinic; the patient sees the clinic and
its members before and after accepting; another member finds the patient with the
dashboard's GET filters, marks them reviewed, and the patient's log names that member;
the patient revokes the clinic and the member's next request is a 404. At 360 px, axe clean."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from clinicians.models import Membership, Organisation
from tests.browser.conftest import ARTIFACTS, assert_accessible, log_in
from tests.factories import ClinicianFactory
from tracker import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_share_with_a_clinic_member_reviews_patient_revokes(
    page, page_factory, patient, clinician, password, guidance_content
):
    clinic = Organisation.objects.create(name="Riverside Back Clinic")
    member = ClinicianFactory(email="dr.diaz@example.org", display_name="Dr Diaz")
    for user in (clinician, member):
        Membership.objects.create(organisation=clinic, clinician=user)

    inviter = page_factory()
    log_in(inviter, clinician.email, password)
    inviter.goto(f"{inviter.base_url}/clinician/invite/")
    inviter.get_by_label("Patient's email address").fill(patient.email)
    inviter.get_by_label("Share with").select_option(label="Riverside Back Clinic")
    assert_accessible(inviter)
    inviter.get_by_role("button", name="Send the invitation").click()
    expect(inviter.get_by_text("Invitation sent.")).to_be_visible()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/sharing/accept/" in line)
    path = link[link.index("/sharing/accept/") :]  # SITE_URL is not the live server

    log_in(page, patient.email, password)
    page.goto(page.base_url + path)
    expect(page.get_by_text("Dr Chen invites you to share with Riverside Back Clinic.")).to_be_visible()
    expect(page.locator(".members li")).to_have_text(["Dr Chen", "Dr Diaz"])
    assert_accessible(page)
    page.get_by_role("button", name="Accept and share").click()
    expect(page.get_by_text("Every member of Riverside Back Clinic can now see your record.")).to_be_visible()
    share = page.locator(".organisation-share")
    expect(share).to_contain_text("2 members see your record:")
    expect(share.locator(".members li")).to_have_text(["Dr Chen", "Dr Diaz"])
    fits(page)
    assert_accessible(page)

    services.episode_create(patient=patient, severity=6)
    doctor = page_factory()
    log_in(doctor, member.email, password)
    doctor.goto(f"{doctor.base_url}/clinician/")
    doctor.get_by_label("Review").select_option(label="Not reviewed in 30 days")
    doctor.get_by_label("Order").select_option(label="Most recent first")
    doctor.get_by_role("button", name="Filter").click()
    assert "review=due" in doctor.url and "sort=activity" in doctor.url
    row = doctor.locator(".patient-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("New episodes since you last looked")
    fits(doctor)
    assert_accessible(doctor)
    row.get_by_role("link", name="Pat").click()
    expect(doctor.get_by_text("You have not marked this patient reviewed yet.")).to_be_visible()
    doctor.get_by_role("button", name="Mark reviewed").click()
    expect(doctor.get_by_text("Pat is marked as reviewed.")).to_be_visible()
    expect(doctor.get_by_text("You marked this patient reviewed on")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    doctor.screenshot(path=str(ARTIFACTS / "patient-reviewed-360.png"))
    fits(doctor)
    assert_accessible(doctor)
    doctor.goto(f"{doctor.base_url}/clinician/?review=due")
    expect(doctor.get_by_text("0 patients share their record with you.")).to_be_visible()
    doctor.goto(f"{doctor.base_url}/clinician/organisations/")
    expect(doctor.get_by_role("heading", name="Riverside Back Clinic")).to_be_visible()
    assert_accessible(doctor)

    page.reload()
    log = page.locator("table")
    expect(log).to_contain_text("Dr Diaz")
    expect(log).to_contain_text("Viewed the record")
    page.screenshot(path=str(ARTIFACTS / "sharing-organisation-360.png"), full_page=True)
    page.get_by_role("button", name="Stop sharing with Riverside Back Clinic").click()
    expect(
        page.get_by_text("No member of Riverside Back Clinic can see your record any more.")
    ).to_be_visible()
    assert_accessible(page)
    assert doctor.goto(f"{doctor.base_url}/clinician/patients/{patient.pk}/").status == 404
