"""Two-factor sign-in (issue 18): required for verified clinicians and staff, optional for
patients, on pages and on the API token endpoint."""

import base64
import datetime
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.services import clinician_verify
from tests.factories import ClinicianFactory, PatientFactory, StaffFactory, totp_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
TOKEN = "/api/auth/token/"


def password_login(client, user, password):
    response = client.post(LOGIN, {"username": user.email, "password": password})
    assert response.status_code == 302, response.status_code
    return response


def device_of(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def enrol(client, user) -> list[str]:
    """Walk the setup page as a person would: read the key, type the app's code."""
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="secret"><code>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    response = client.post(SETUP, {"otp_token": totp_code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


def test_a_clinician_without_a_second_factor_reaches_only_enrolment(client, password):
    clinician = ClinicianFactory(two_factor=False)
    password_login(client, clinician, password)
    response = client.get("/clinician/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert client.get("/api/patients/").status_code == 403
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_clinician_with_a_device_cannot_reach_the_dashboard_or_api_before_the_code(
    client, clinician, password
):
    password_login(client, clinician, password)
    response = client.get("/clinician/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get("/api/patients/").status_code == 403
    response = client.post(VERIFY, {"otp_token": totp_code(device_of(clinician)), "next": "/clinician/"})
    assert response["Location"] == "/clinician/"
    assert client.get("/clinician/").status_code == 200
    assert client.get("/api/patients/").status_code == 200


def test_enrolment_turns_it_on_and_shows_ten_backup_codes_once(client, password):
    clinician = ClinicianFactory(two_factor=False)
    password_login(client, clinician, password)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    codes = enrol(client, clinician)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/clinician/").status_code == 200
    assert StaticToken.objects.filter(device__user=clinician).count() == 10
    assert not any(code in client.get(reverse("accounts:profile")).content.decode() for code in codes)


def test_a_wrong_enrolment_code_is_refused_at_the_field(client, password):
    clinician = ClinicianFactory(two_factor=False)
    password_login(client, clinician, password)
    client.get(SETUP)
    response = client.post(SETUP, {"otp_token": "000000"})
    assert response.context["form"].errors["otp_token"]
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()


def test_enrolment_cannot_replace_a_device_without_its_code(client, clinician, password):
    password_login(client, clinician, password)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_a_backup_code_works_once(client, password):
    clinician = ClinicianFactory(two_factor=False)
    password_login(client, clinician, password)
    code = enrol(client, clinician)[0]
    client.post(reverse("accounts:logout"))
    password_login(client, clinician, password)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    assert client.get("/clinician/").status_code == 200
    client.post(reverse("accounts:logout"))
    password_login(client, clinician, password)
    response = client.post(VERIFY, {"otp_token": code})
    assert response.status_code == 200 and response.context["form"].errors["otp_token"]
    assert client.get("/clinician/").status_code == 302


def test_a_wrong_code_five_times_locks_the_account(client, clinician, password, settings):
    password_login(client, clinician, password)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(VERIFY, {"otp_token": f"12345{attempt}"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post(LOGIN, {"username": clinician.email, "password": password}).status_code == 429


def test_signing_in_again_with_the_password_does_not_clear_wrong_codes(client, clinician, password, settings):
    password_login(client, clinician, password)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(VERIFY, {"otp_token": "000000"})
    client.post(reverse("accounts:logout"))
    password_login(client, clinician, password)
    assert client.post(VERIFY, {"otp_token": "000000"}).status_code == 429


def test_an_idle_clinician_session_ends_with_a_clear_message(clinician_client_at_nine):
    client, clock = clinician_client_at_nine
    assert client.get("/clinician/").status_code == 200
    clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/clinician/").status_code == 200
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get("/clinician/", follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "signed out for your safety" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_clinician_session_ends_after_12_hours_however_active(clinician_client_at_nine):
    client, clock = clinician_client_at_nine
    for _request in range(12 * 60 // 25):
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get("/clinician/").status_code == 200
    clock.shift(datetime.timedelta(minutes=25))
    assert client.get("/clinician/").status_code == 302


@pytest.fixture
def clinician_client_at_nine(client, clinician):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.force_login(clinician)
        yield client, clock


def test_a_patient_without_two_factor_logs_in_as_today_and_keeps_the_session(client, patient, password):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        password_login(client, patient, password)
        assert client.get(reverse("history")).status_code == 200
        clock.shift(datetime.timedelta(hours=13))
        assert client.get(reverse("history")).status_code == 200


def test_a_patient_may_turn_it_on_and_then_signs_in_with_a_code(client, patient, password):
    password_login(client, patient, password)
    assert "Set up two-factor sign-in" in client.get(reverse("accounts:profile")).content.decode()
    enrol(client, patient)
    client.post(reverse("accounts:logout"))
    password_login(client, patient, password)
    assert client.get(reverse("history"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"otp_token": totp_code(device_of(patient), steps_ahead=1)})
    assert client.get(reverse("history")).status_code == 200


def test_a_patient_may_turn_it_off_but_a_clinician_may_not(client, patient, clinician):
    TOTPDevice.objects.create(user=patient, confirmed=True)
    client.force_login(patient)
    client.post(reverse("accounts:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=patient).exists()
    client.force_login(clinician)
    assert client.post(reverse("accounts:two_factor_disable")).status_code == 404
    assert TOTPDevice.objects.filter(user=clinician).exists()


def test_an_admin_without_a_verified_device_cannot_open_the_admin(client, password):
    admin_user = StaffFactory(two_factor=False)
    client.force_login(admin_user)
    assert client.get("/admin/")["Location"].startswith(SETUP)
    with_device = StaffFactory()
    client.post(reverse("accounts:logout"))
    password_login(client, with_device, password)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_the_admin_reset_for_a_lost_device_is_recorded(client, staff, clinician):
    client.force_login(staff)
    StaticDevice.objects.create(user=clinician, name="backup")
    response = client.post(
        "/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [clinician.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert not StaticDevice.objects.filter(user=clinician).exists()
    entry = LogEntry.objects.get(object_id=str(clinician.pk))
    assert entry.user == staff and "two-factor" in entry.get_change_message()


def test_admins_cannot_read_device_secrets(client, staff):
    client.force_login(staff)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_a_clinician_token_needs_the_code_and_expires_within_a_day(api_client, clinician, password):
    body = {"email": clinician.email, "password": password}
    assert api_client.post(TOKEN, body).json()["otp_token"]
    assert api_client.post(TOKEN, {**body, "otp_token": "000000"}).status_code == 400
    # django-otp makes a device wait a second or more after a wrong code.
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)):
        response = api_client.post(TOKEN, {**body, "otp_token": totp_code(device_of(clinician))})
    assert response.status_code == 200
    expiry = datetime.datetime.fromisoformat(response.json()["expiry"])
    assert expiry - datetime.datetime.now(datetime.UTC) <= datetime.timedelta(hours=12, minutes=1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get("/api/patients/").status_code == 200


def test_a_clinician_without_a_device_gets_no_token(api_client, password):
    clinician = ClinicianFactory(two_factor=False)
    response = api_client.post(TOKEN, {"email": clinician.email, "password": password, "otp_token": "123456"})
    assert response.status_code == 400 and "website" in response.json()["otp_token"][0]
    assert not AuthToken.objects.exists()


def test_wrong_api_codes_count_towards_the_lockout(api_client, clinician, password, settings):
    body = {"email": clinician.email, "password": password, "otp_token": "000000"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api_client.post(TOKEN, body).status_code == 400
    assert api_client.post(TOKEN, body).status_code == 429


def test_a_patients_token_needs_no_code(api_client, patient, password):
    assert api_client.post(TOKEN, {"email": patient.email, "password": password}).status_code == 200


def test_verifying_a_clinician_ends_tokens_issued_without_a_second_factor(api_client, password):
    clinician = ClinicianFactory(clinician_verified_at=None, two_factor=False)
    token = api_client.post(TOKEN, {"email": clinician.email, "password": password}).json()["token"]
    clinician_verify(clinician=clinician)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/choices/").status_code == 401


def test_patients_without_a_device_cost_no_device_query(patient_client, django_assert_num_queries):
    PatientFactory()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        patient_client.get(reverse("data"))
    assert not any("otp_" in query["sql"] for query in queries.captured_queries)
