"""Clinic organisations: a patient shares with an organisation and every current member
sees them, through the one access rule; leaving, removal and revoking end it at once."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinicians import services
from clinicians.models import AccessLogEntry, CareLink, Membership, Organisation, OrganisationShare
from clinicians.selectors import dashboard, patients_needing_attention
from tests.clinicians.test_access import clinician_urls
from tests.factories import ClinicianFactory, EpisodeFactory, PatientFactory

pytestmark = pytest.mark.django_db

POST_ONLY = ("/notes/", "/reviewed/")


@pytest.fixture
def clinic(clinician):
    clinic = Organisation.objects.create(name="Riverside Back Clinic")
    Membership.objects.create(organisation=clinic, clinician=clinician)
    return clinic


@pytest.fixture
def member(clinic):
    member = ClinicianFactory(email="dr.diaz@example.org", display_name="Dr Diaz")
    Membership.objects.create(organisation=clinic, clinician=member)
    return member


@pytest.fixture
def shared(patient, clinic):
    EpisodeFactory(patient=patient)
    return OrganisationShare.objects.create(patient=patient, organisation=clinic)


def patient_urls(patient_id: int) -> list[str]:
    return [url for url in clinician_urls(patient_id) if f"/{patient_id}/" in url]


def assert_sees(client, user, patient) -> None:
    client.force_login(user)
    for url in patient_urls(patient.pk):
        if not url.endswith(POST_ONLY):
            assert client.get(url).status_code == 200, url


def assert_sees_nothing(client, user, patient) -> None:
    client.force_login(user)
    for url in patient_urls(patient.pk):
        assert client.get(url).status_code == 404, url
        # The read-only API answers a POST 405 without looking (as for anyone); the writes look first.
        read_only_api = url.startswith("/api/") and not url.endswith(POST_ONLY)
        assert client.post(url).status_code == (405 if read_only_api else 404), url
    assert "0 patients share their record with you." in client.get("/clinician/").content.decode()
    assert patient.pk not in [row["id"] for row in client.get("/api/patients/").json()["results"]]


def test_every_member_sees_the_shared_patient_on_the_dashboard_page_exports_and_api(
    client, patient, member, clinician, shared
):
    for user in (clinician, member):
        assert [row.patient for row in dashboard(clinician=user)] == [patient]
        assert_sees(client, user, patient)


def test_a_clinician_outside_the_organisation_gets_404_everywhere(client, patient, shared):
    outsider = ClinicianFactory(display_name="Dr Out")
    Membership.objects.create(organisation=Organisation.objects.create(name="Other"), clinician=outsider)
    assert_sees_nothing(client, outsider, patient)
    assert not AccessLogEntry.objects.filter(clinician=outsider).exists()


def test_an_unverified_member_sees_nothing(client, patient, clinic, shared):
    unverified = ClinicianFactory(clinician_verified_at=None)
    Membership.objects.create(organisation=clinic, clinician=unverified)
    assert dashboard(clinician=unverified) == []
    client.force_login(unverified)
    for url in patient_urls(patient.pk):
        assert client.get(url).status_code == 404, url


def test_a_member_removed_by_an_admin_loses_access_at_once(client, patient, member, clinician, shared):
    assert_sees(client, member, patient)
    Membership.objects.filter(clinician=member).delete()  # what the admin's inline delete does
    assert_sees_nothing(client, member, patient)
    assert_sees(client, clinician, patient)  # the others keep it


def test_a_member_who_leaves_loses_access_at_once(client, patient, member, clinic, shared):
    client.force_login(member)
    page = client.get("/clinician/organisations/").content.decode()
    assert "Riverside Back Clinic" in page and "Dr Chen" in page and "Dr Diaz" in page
    assert client.get(f"/clinician/organisations/{clinic.pk}/leave/").status_code == 405
    response = client.post(f"/clinician/organisations/{clinic.pk}/leave/", follow=True)
    assert "You left Riverside Back Clinic" in response.content.decode()
    assert not Membership.objects.filter(clinician=member).exists()
    assert_sees_nothing(client, member, patient)


def test_leaving_an_organisation_one_is_not_in_is_a_404(client, clinic, shared):
    outsider = ClinicianFactory()
    client.force_login(outsider)
    assert client.post(f"/clinician/organisations/{clinic.pk}/leave/").status_code == 404
    assert client.post("/clinician/organisations/999999/leave/").status_code == 404
    assert Membership.objects.filter(organisation=clinic).count() == 1


def test_the_patient_revokes_the_organisation_and_no_member_sees_them(
    client, patient, member, clinician, shared
):
    client.force_login(patient)
    page = client.get("/sharing/").content.decode()
    assert "Riverside Back Clinic" in page and "2 members see your record:" in page
    assert "Dr Chen" in page and "Dr Diaz" in page
    response = client.post(f"/sharing/organisations/{shared.pk}/revoke/", follow=True)
    assert "No member of Riverside Back Clinic can see your record any more." in response.content.decode()
    for user in (clinician, member):
        assert_sees_nothing(client, user, patient)


def test_a_direct_link_outlives_the_organisation_share_and_is_listed_once(client, patient, clinician, shared):
    CareLink.objects.create(patient=patient, clinician=clinician)
    assert [row.patient for row in dashboard(clinician=clinician)] == [patient]
    services.organisation_share_revoke(patient=patient, share_id=shared.pk)
    assert_sees(client, clinician, patient)


def test_someone_elses_organisation_share_cannot_be_revoked(client, other_patient, shared):
    client.force_login(other_patient)
    assert client.post(f"/sharing/organisations/{shared.pk}/revoke/").status_code == 404
    shared.refresh_from_db()
    assert shared.revoked_at is None


def test_each_access_is_audited_with_the_members_name(client, patient, member, shared):
    client.force_login(member)
    client.get(f"/clinician/patients/{patient.pk}/")
    client.get(f"/api/patients/{patient.pk}/episodes/")
    entries = AccessLogEntry.objects.filter(patient=patient)
    assert {(entry.clinician, entry.action) for entry in entries} == {(member, "viewed"), (member, "api")}
    client.force_login(patient)
    log = client.get("/sharing/").content.decode()
    log = log[log.index("Who looked at your record") :]
    assert "Dr Diaz" in log and "Viewed the record" in log


def test_the_patient_shares_with_an_organisation_by_accepting_a_members_invitation(
    client, patient, clinician, clinic, member
):
    client.force_login(clinician)
    form = client.get("/clinician/invite/").content.decode()
    assert "Riverside Back Clinic" in form and "Only me" in form
    response = client.post("/clinician/invite/", {"email": patient.email, "organisation": clinic.pk})
    assert response.status_code == 302
    assert "with Riverside Back Clinic" in mail.outbox[0].body
    client.force_login(patient)
    code = mail.outbox[0].body.split("/sharing/accept/")[1].split("/")[0]
    accepted = client.post("/sharing/accept/", {"code": code}, follow=True).content.decode()
    assert "Every member of Riverside Back Clinic can now see your record." in accepted
    assert OrganisationShare.objects.filter(patient=patient, organisation=clinic, revoked_at=None).exists()
    assert not CareLink.objects.exists()  # shared with the organisation, not only with the inviter
    assert [row.patient for row in dashboard(clinician=member)] == [patient]


def test_a_clinician_cannot_invite_on_behalf_of_an_organisation_they_are_not_in(client, patient, clinic):
    outsider = ClinicianFactory()
    client.force_login(outsider)
    form = client.get("/clinician/invite/").content.decode()
    assert "Share with" not in form  # no organisation: no choice
    client.post("/clinician/invite/", {"email": patient.email, "organisation": clinic.pk})
    assert not mail.outbox[0].body.count("Riverside")  # the forged field is ignored: a personal invitation
    with pytest.raises(Exception, match="not a member"):
        services.invitation_create_by_clinician(clinician=outsider, email=patient.email, organisation=clinic)


def test_an_invitation_from_someone_who_has_left_the_organisation_is_refused(
    client, patient, clinician, clinic
):
    invitation = services.invitation_create_by_clinician(
        clinician=clinician, email=patient.email, organisation=clinic
    )
    Membership.objects.filter(clinician=clinician).delete()
    client.force_login(patient)
    page = client.post("/sharing/accept/", {"code": invitation.code}).content.decode()
    assert "no longer a member of this organisation" in page
    assert not OrganisationShare.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None  # the refusal rolled the claim back


def test_the_data_export_lists_organisations_and_their_members(patient, member, shared):
    from clinicians.selectors import export_for

    (row,) = export_for(user=patient)["organisation_sharing"]
    assert row["organisation"] == "Riverside Back Clinic" and row["members"] == ["Dr Chen", "Dr Diaz"]
    assert row["revoked_at"] is None


def test_the_admin_manages_organisations_with_members_inline(client, staff, clinic, member):
    client.force_login(staff)
    listing = client.get("/admin/clinicians/organisation/").content.decode()
    assert "Riverside Back Clinic" in listing
    change = client.get(f"/admin/clinicians/organisation/{clinic.pk}/change/").content.decode()
    assert "memberships-TOTAL_FORMS" in change and "Dr Diaz" in change


def test_dashboard_and_digest_queries_do_not_grow_with_organisations_and_members(client, clinician, clinic):
    first = PatientFactory(display_name="First")
    OrganisationShare.objects.create(patient=first, organisation=clinic)
    client.force_login(clinician)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/clinician/").status_code == 200
    with CaptureQueriesContext(connection) as digest_one:
        patients_needing_attention(clinician=clinician)
    for index in range(5):
        organisation = Organisation.objects.create(name=f"Practice {index}")
        Membership.objects.create(organisation=organisation, clinician=clinician)
        for _ in range(4):
            Membership.objects.create(organisation=organisation, clinician=ClinicianFactory())
        for _ in range(3):
            patient = PatientFactory()
            EpisodeFactory(patient=patient)
            OrganisationShare.objects.create(patient=patient, organisation=organisation)
            CareLink.objects.create(patient=patient, clinician=clinician)  # shared both ways
    with CaptureQueriesContext(connection) as many:
        page = client.get("/clinician/").content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert page.count('class="card patient-row') == 16
    with CaptureQueriesContext(connection) as digest_many:
        patients_needing_attention(clinician=clinician)
    assert len(digest_many.captured_queries) == len(digest_one.captured_queries) == 1


def test_the_addressee_sees_the_organisation_and_its_members_before_accepting(
    client, patient, other_patient, clinician, clinic, member
):
    invitation = services.invitation_create_by_clinician(
        clinician=clinician, email=patient.email, organisation=clinic
    )
    client.force_login(patient)
    page = client.get(f"/sharing/accept/{invitation.code}/").content.decode()
    assert "Dr Chen invites you to share with Riverside Back Clinic." in page
    assert "2 members today:" in page and "Dr Diaz" in page
    client.force_login(other_patient)  # holds the link, is not whom it was sent to
    page = client.get(f"/sharing/accept/{invitation.code}/").content.decode()
    assert "Riverside" not in page and "Dr Diaz" not in page
