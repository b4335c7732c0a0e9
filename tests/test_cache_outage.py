"""Issue 10 item 6: with the shared cache (Redis) down, the API still works (guidance comes
from the database, throttling lapses), nothing is committed behind an error answer, and
/healthz names the cache and answers within about a second whatever hangs."""

import time
from unittest import mock

import pytest
from django.test import Client

from tracker.models import Episode

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every cache call fails at once, as with Redis stopped.
DEAD_REDIS = {
    "default": {
        "BACKEND": "backspasm.cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DEAD_REDIS


def test_logging_through_the_api_works_with_the_cache_down(redis_down, patient_api, guidance_content):
    response = patient_api.post("/api/episodes/", {"severity": 7}, format="json")
    assert response.status_code == 201
    assert response.json()["guidance"]["steps"]
    assert patient_api.get("/api/episodes/").json()["count"] == 1


def test_the_token_endpoint_works_with_the_cache_down(redis_down, api_client, patient, password):
    response = api_client.post("/api/auth/token/", {"email": patient.email, "password": password})
    assert response.status_code == 200


def test_nothing_is_committed_behind_an_error_answer(patient, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    monkeypatch.setattr("tracker.api.guidance_to_dict", mock.Mock(side_effect=RuntimeError("answer failed")))
    response = client.post("/api/episodes/", {"severity": 7}, content_type="application/json")
    assert response.status_code == 500
    assert not Episode.objects.exists()


def test_healthz_names_the_cache_when_it_is_down(redis_down, client, monkeypatch):
    monkeypatch.setattr("backspasm.health._broker_ok", lambda: True)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down", "broker": "ok"}


def test_healthz_answers_within_about_a_second_when_a_probe_hangs(client, monkeypatch):
    monkeypatch.setattr("backspasm.health._broker_ok", lambda: time.sleep(5) or True)
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503 and response.json()["broker"] == "down"
