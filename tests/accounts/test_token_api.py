import datetime

import pytest
import time_machine
from django.urls import reverse
from knox.models import AuthToken

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
# An endpoint that needs credentials: proof that a token works (or no longer does).
PRIVATE = "/api/episodes/"


def token_for(api_client, email: str, password: str) -> str:
    response = api_client.post(TOKEN, {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(api_client, token: str, path: str = PRIVATE) -> int:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = api_client.get(path).status_code
    api_client.credentials()
    return status


def test_it_exchanges_email_and_password_for_a_token_that_authenticates(api_client, patient, password):
    assert api_client.get(PRIVATE).status_code == 401
    token = token_for(api_client, patient.email, password)
    assert status_with(api_client, token) == 200
    assert status_with(api_client, "not-a-real-token") == 401


def test_a_wrong_password_is_a_400_with_a_message(api_client, patient):
    response = api_client.post(TOKEN, {"email": patient.email, "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_missing_fields_are_named(api_client):
    response = api_client.post(TOKEN, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_repeated_failures_lock_the_api_login_too(api_client, patient, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN, {"email": patient.email, "password": "wrong"}, format="json")
    response = api_client.post(TOKEN, {"email": patient.email, "password": password}, format="json")
    assert response.status_code == 429
    assert "token" not in response.json()


def test_each_login_gets_its_own_token_one_per_device(api_client, patient, password):
    phone = token_for(api_client, patient.email, password)
    laptop = token_for(api_client, patient.email, password)
    assert phone != laptop
    assert status_with(api_client, phone) == 200 and status_with(api_client, laptop) == 200


def test_only_a_hash_of_the_token_is_stored(api_client, patient, password):
    token = token_for(api_client, patient.email, password)
    stored = AuthToken.objects.get(user=patient)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.token_key) < len(token)


def test_a_token_expires(api_client, patient, password, settings):
    token = token_for(api_client, patient.email, password)
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + ttl + datetime.timedelta(minutes=1)):
        assert status_with(api_client, token) == 401


def test_delete_revokes_the_token_it_is_made_with_only(api_client, patient, password):
    phone = token_for(api_client, patient.email, password)
    laptop = token_for(api_client, patient.email, password)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api_client.delete(TOKEN).status_code == 204
    assert status_with(api_client, phone) == 401
    assert status_with(api_client, laptop) == 200


def test_delete_needs_credentials(api_client):
    assert api_client.delete(TOKEN).status_code == 401


def test_a_password_change_ends_every_token(api_client, client, patient, password):
    token = token_for(api_client, patient.email, password)
    client.force_login(patient)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "a-new-passphrase-88",
            "new_password2": "a-new-passphrase-88",
        },
    )
    assert response.status_code == 302
    assert status_with(api_client, token) == 401


def test_a_password_reset_ends_every_token(api_client, patient, password):
    token = token_for(api_client, patient.email, password)
    patient.set_password("a-new-passphrase-88")
    patient.save()
    assert status_with(api_client, token) == 401


def test_signing_out_everywhere_through_the_api_ends_tokens_and_sessions(
    api_client, client, patient, password
):
    first = token_for(api_client, patient.email, password)
    second = token_for(api_client, patient.email, password)
    client.force_login(patient)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.delete("/api/auth/tokens/").status_code == 204
    assert status_with(api_client, first) == 401 and status_with(api_client, second) == 401
    assert client.get(reverse("history")).status_code == 302  # to the login page


def test_sign_out_everywhere_on_the_profile_ends_every_session_and_token(
    api_client, client, patient, password
):
    from django.test import Client

    token = token_for(api_client, patient.email, password)
    other_browser = Client()
    other_browser.force_login(patient)
    client.force_login(patient)
    assert "Sign out everywhere" in client.get(reverse("accounts:profile")).content.decode()
    response = client.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302
    assert other_browser.get(reverse("history")).status_code == 302
    assert client.get(reverse("history")).status_code == 302
    assert status_with(api_client, token) == 401


def test_admins_see_no_token_and_cannot_mint_one(client, staff, patient, api_client, password):
    token = token_for(api_client, patient.email, password)
    client.force_login(staff)
    listing = client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200
    assert token[:15] not in listing.content.decode()
    assert client.get("/admin/knox/authtoken/add/").status_code == 403
