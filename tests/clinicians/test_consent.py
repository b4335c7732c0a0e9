import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinicians import services
from clinicians.models import CareLink, ShareInvitation
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db


def test_a_patient_code_links_a_verified_clinician_once(patient, clinician):
    invitation = services.invitation_create_by_patient(patient=patient)
    assert len(invitation.code) == 10 and not set(invitation.code) & set("01OIL")
    link = services.invitation_redeem_by_clinician(clinician=clinician, code=invitation.code.lower())
    assert (link.patient, link.clinician, link.revoked_at) == (patient, clinician, None)
    other = ClinicianFactory()
    with pytest.raises(ValidationError):
        services.invitation_redeem_by_clinician(clinician=other, code=invitation.code)
    assert CareLink.objects.count() == 1


def test_an_expired_code_is_refused(patient, clinician):
    invitation = services.invitation_create_by_patient(patient=patient)
    ShareInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        services.invitation_redeem_by_clinician(clinician=clinician, code=invitation.code)
    assert not CareLink.objects.exists()


def test_an_unverified_clinician_cannot_redeem_and_the_code_stays_usable(patient, clinician):
    unverified = ClinicianFactory(clinician_verified_at=None)
    invitation = services.invitation_create_by_patient(patient=patient)
    with pytest.raises(ValidationError):
        services.invitation_redeem_by_clinician(clinician=unverified, code=invitation.code)
    assert services.invitation_redeem_by_clinician(clinician=clinician, code=invitation.code)


def test_a_clinician_invitation_starts_access_only_when_the_patient_accepts(patient, clinician, mailoutbox):
    patient.language = "es"
    patient.save()
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=patient.email)
    assert not CareLink.objects.exists()
    assert "/sharing/accept/" + invitation.code in mailoutbox[0].body
    assert "pide ver tu registro" in mailoutbox[0].subject
    services.invitation_accept_by_patient(patient=patient, code=invitation.code)
    assert CareLink.objects.filter(patient=patient, clinician=clinician, revoked_at__isnull=True).exists()


def test_a_patient_code_cannot_be_accepted_as_a_clinician_invitation(patient, other_patient):
    invitation = services.invitation_create_by_patient(patient=patient)
    with pytest.raises(ValidationError):
        services.invitation_accept_by_patient(patient=other_patient, code=invitation.code)


def test_revoking_ends_access_and_only_the_patient_can(patient, other_patient, link):
    with pytest.raises(CareLink.DoesNotExist):
        services.link_revoke(patient=other_patient, link_id=link.pk)
    services.link_revoke(patient=patient, link_id=link.pk)
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_sharing_again_after_revoking_creates_a_new_link(patient, clinician, link):
    services.link_revoke(patient=patient, link_id=link.pk)
    invitation = services.invitation_create_by_patient(patient=patient)
    new = services.invitation_redeem_by_clinician(clinician=clinician, code=invitation.code)
    assert new.pk != link.pk and CareLink.objects.count() == 2


def assert_nothing_linked(invitation) -> None:
    assert not CareLink.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_a_clinician_cannot_make_a_share_code(clinician):
    with pytest.raises(ValidationError, match="Only patients can share a record"):
        services.invitation_create_by_patient(patient=clinician)
    assert not ShareInvitation.objects.exists()


def test_a_code_whose_owner_is_not_a_patient_links_nobody(clinician):
    """A code made before clinicians were refused (or by an account that became a clinician)."""
    colleague = ClinicianFactory()
    invitation = ShareInvitation.objects.create(
        code="ABCDEFGH23",
        direction=ShareInvitation.Direction.FROM_PATIENT,
        created_by=colleague,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="not made by a patient"):
        services.invitation_redeem_by_clinician(clinician=clinician, code=invitation.code)
    assert_nothing_linked(invitation)


def test_a_clinician_cannot_open_the_patients_accept_page_even_for_their_own_invitation(
    clinician_client, clinician, mailoutbox
):
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=clinician.email)
    response = clinician_client.post(f"/sharing/accept/{invitation.code}/", {"code": invitation.code})
    assert response.status_code == 404
    assert_nothing_linked(invitation)


def test_only_the_invited_patient_can_accept_a_clinician_invitation(
    patient, other_patient, clinician, mailoutbox
):
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=patient.email)
    with pytest.raises(ValidationError, match="sent to another email address"):
        services.invitation_accept_by_patient(patient=other_patient, code=invitation.code)
    assert not CareLink.objects.exists()
    services.invitation_accept_by_patient(patient=patient, code=invitation.code)
    assert CareLink.objects.filter(patient=patient, clinician=clinician).exists()


def test_the_invited_email_matches_whatever_its_case(patient, clinician, mailoutbox):
    invitation = services.invitation_create_by_clinician(clinician=clinician, email="PAT@Example.ORG")
    assert services.invitation_accept_by_patient(patient=patient, code=invitation.code).patient == patient


def test_a_clinician_account_with_the_invited_email_cannot_accept(clinician, mailoutbox):
    invited = ClinicianFactory(email="colleague@example.org")
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=invited.email)
    with pytest.raises(ValidationError, match="sent to another email address"):
        services.invitation_accept_by_patient(patient=invited, code=invitation.code)
    assert not CareLink.objects.exists()


def test_someone_else_holding_the_link_is_told_why_and_it_stays_usable(
    client, patient, other_patient, clinician, mailoutbox
):
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=patient.email)
    client.force_login(other_patient)
    response = client.post(f"/sharing/accept/{invitation.code}/", {"code": invitation.code})
    assert response.status_code == 200
    assert "This invitation was sent to another email address." in response.content.decode()
    assert not CareLink.objects.exists()
    client.force_login(patient)
    client.post(f"/sharing/accept/{invitation.code}/", {"code": invitation.code})
    assert CareLink.objects.filter(patient=patient, clinician=clinician, revoked_at__isnull=True).exists()


@pytest.mark.parametrize("state", ["expired", "used"])
def test_a_dead_invitation_link_says_so_at_once_with_no_accept_button(
    patient_client, patient, other_patient, clinician, mailoutbox, state
):
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=patient.email)
    if state == "expired":
        ShareInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    else:
        services.invitation_accept_by_patient(patient=patient, code=invitation.code)
    page = patient_client.get(f"/sharing/accept/{invitation.code}/").content.decode()
    assert "This invitation is no longer valid" in page
    assert "Ask your clinician to send you a new invitation." in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Accept and share" not in main and 'method="post"' not in main


def test_an_open_invitation_link_offers_the_accept_button(patient_client, patient, clinician, mailoutbox):
    invitation = services.invitation_create_by_clinician(clinician=clinician, email=patient.email)
    page = patient_client.get(f"/sharing/accept/{invitation.code.lower()}/").content.decode()
    assert "Accept and share" in page and "no longer valid" not in page
