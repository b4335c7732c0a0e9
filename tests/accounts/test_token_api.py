import pytest

pytestmark = pytest.mark.django_db


def test_it_exchanges_email_and_password_for_a_token_that_authenticates(api_client, patient, password):
    response = api_client.post(
        "/api/auth/token/", {"email": patient.email, "password": password}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert api_client.get("/api/episodes/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/episodes/").status_code == 200


def test_a_wrong_password_is_a_400_with_a_message(api_client, patient):
    response = api_client.post("/api/auth/token/", {"email": patient.email, "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_missing_fields_are_named(api_client):
    response = api_client.post("/api/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_repeated_failures_lock_the_api_login_too(api_client, patient, password, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_client.post("/api/auth/token/", {"email": patient.email, "password": "wrong"}, format="json")
    response = api_client.post(
        "/api/auth/token/", {"email": patient.email, "password": password}, format="json"
    )
    assert response.status_code == 429
    assert "token" not in response.json()
