"""Delete my account leaves nothing behind; the export holds everything (issue 10, item 14)."""

import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

from accounts.services import user_delete, welcome_email_send
from clinicians import services as sharing
from clinicians.models import AccessLogEntry, CareLink
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_deleting_the_account_removes_its_sign_in_records_whatever_their_case(
    client, patient, password, settings
):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    client.post(reverse("accounts:login"), {"username": "PAT@example.org", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": patient.email, "password": password})
    # A row from before usernames were normalised.
    AccessAttempt.objects.create(username="Pat@Example.org", failures_since_start=1)
    client.logout()
    someone = PatientFactory()
    client.post(reverse("accounts:login"), {"username": someone.email, "password": "wrong"})
    assert AccessLog.objects.filter(username=patient.email).exists()
    assert AccessFailureLog.objects.filter(username=patient.email).exists()

    user_delete(user=patient)

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert not model.objects.filter(username__iexact="pat@example.org").exists(), model
    assert AccessAttempt.objects.filter(username=someone.email).exists()


def test_deleting_the_account_removes_its_emails_from_the_mail_files(patient, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    someone = PatientFactory(email="someone@example.org")
    welcome_email_send(user_id=patient.id)
    welcome_email_send(user_id=someone.id)
    assert any(patient.email in path.read_text() for path in tmp_path.iterdir())

    user_delete(user=patient)

    remaining = "".join(path.read_text() for path in tmp_path.iterdir())
    assert patient.email not in remaining
    assert "someone@example.org" in remaining


def test_a_mail_file_shared_with_others_keeps_their_messages(patient, settings, tmp_path):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    with mail.get_connection() as connection:
        for address in ("someone@example.org", patient.email, "other@example.org"):
            mail.EmailMessage("Reminder", "Time to log", to=[address], connection=connection).send()
    assert len(list(tmp_path.iterdir())) == 1

    user_delete(user=patient)

    (path,) = tmp_path.iterdir()
    text = path.read_text()
    assert patient.email not in text
    assert "someone@example.org" in text and "other@example.org" in text


def test_the_json_export_includes_sharing_history_and_the_access_log(patient_client, patient, clinician):
    code = sharing.invitation_create_by_patient(patient=patient).code
    link = sharing.invitation_redeem_by_clinician(clinician=clinician, code=code)
    sharing.access_record(clinician=clinician, patient=patient, action=AccessLogEntry.Action.VIEWED)
    sharing.link_revoke(patient=patient, link_id=link.pk)
    assert CareLink.objects.filter(revoked_at__isnull=False).count() == 1

    data = json.loads(patient_client.get(reverse("export_json")).content)

    (shared,) = data["sharing"]
    assert shared["clinician_email"] == clinician.email and shared["revoked_at"]
    (invitation,) = data["share_invitations"]
    assert invitation["used_by"] == clinician.email
    (entry,) = data["access_log"]
    assert (entry["clinician_email"], entry["action"]) == (clinician.email, "viewed")
    assert "sign_ins" in data
