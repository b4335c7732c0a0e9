"""After logging in, each role lands on its own start page."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, ClinicianFactory, totp_code

pytestmark = pytest.mark.django_db


def log_in(client, user):
    """The whole sign-in: the password, then the authenticator's code for those who have one
    (verified clinicians and staff); the answer is the redirect to the page after login."""
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return response
    verify = client.get(response["Location"])["Location"]  # the landing page asks for the code first
    assert verify.startswith(reverse("accounts:two_factor_verify")), verify
    return client.post(verify, {"otp_token": totp_code(device)})


def test_a_patient_lands_on_home(client, patient):
    response = log_in(client, patient)
    assert client.get(response["Location"])["Location"] == reverse("home")


def test_a_verified_clinician_lands_on_their_dashboard(client, clinician):
    response = log_in(client, clinician)
    assert client.get(response["Location"])["Location"] == reverse("clinicians:dashboard")


def test_an_unverified_clinician_lands_on_home(client):
    unverified = ClinicianFactory(clinician_verified_at=None)
    response = log_in(client, unverified)
    assert client.get(response["Location"])["Location"] == reverse("home")


def test_an_admin_lands_on_the_admin(client, staff):
    response = log_in(client, staff)
    assert client.get(response["Location"])["Location"] == reverse("admin:index")


def test_a_next_parameter_still_wins(client, patient):
    response = client.post(
        reverse("accounts:login") + "?next=/history/", {"username": patient.email, "password": PASSWORD}
    )
    assert response["Location"] == "/history/"
