"""Guessing protection (issue 10, items 1 and 11)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"


def fail_login(client, username: str, **extra) -> None:
    client.post(LOGIN, {"username": username, "password": "wrong"}, **extra)


def log_in(client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_a_locked_account_stays_locked_whatever_the_case_of_the_email(client, password, settings):
    PatientFactory(email="bf4@x.test")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "bf4@x.test")
    for variant in ("BF4@x.test", "bF4@X.TEST", " Bf4@x.Test "):
        assert log_in(client, variant, password).status_code == 429, variant
    assert "_auth_user_id" not in client.session


def test_case_variants_share_one_failure_count(client, password, settings):
    PatientFactory(email="bf4@x.test")
    variants = ["bf4@x.test", "BF4@x.test", "bF4@X.TEST", "Bf4@x.test", "bf4@X.test"]
    for variant in variants[: settings.AXES_FAILURE_LIMIT]:
        fail_login(client, variant)
    assert log_in(client, "bf4@x.test", password).status_code == 429


def test_the_token_endpoint_locks_case_variants_too(api_client, password, settings):
    PatientFactory(email="bf4@x.test")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN, {"email": "bf4@x.test", "password": "wrong"})
    response = api_client.post(TOKEN, {"email": "BF4@X.test", "password": password})
    assert response.status_code == 429
    assert "token" not in response.json()


def test_attempts_during_a_lockout_do_not_extend_it(client, patient, password, settings):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            fail_login(client, patient.email)
        clock.shift(datetime.timedelta(minutes=14))
        assert log_in(client, patient.email, "still-guessing").status_code == 429
        clock.shift(datetime.timedelta(minutes=2))  # 16 minutes after the lockout began
        assert log_in(client, patient.email, password).status_code == 302


def test_a_username_locks_whichever_addresses_the_guesses_come_from(client, patient, password, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, patient.email, REMOTE_ADDR=f"203.0.113.{attempt + 1}")
    assert log_in(client, patient.email, password, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_an_address_locks_after_its_own_limit_across_usernames(client, password, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    victim = PatientFactory()
    for attempt in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        fail_login(client, f"guess{attempt}@example.org", REMOTE_ADDR="203.0.113.9")
    # Below the address limit, and each username below its own: others on the address still get in.
    assert log_in(client, victim.email, password, REMOTE_ADDR="203.0.113.9").status_code == 302
    client.logout()
    fail_login(client, "one-more@example.org", REMOTE_ADDR="203.0.113.9")
    assert log_in(client, victim.email, password, REMOTE_ADDR="203.0.113.9").status_code == 429
    # The account itself is not locked: from another address it signs in.
    assert log_in(client, victim.email, password, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_forwarded_for_header_is_ignored_unless_settings_trust_a_proxy(client, password, settings):
    settings.AXES_IP_FAILURE_LIMIT = 5
    victim = PatientFactory()
    for attempt in range(settings.AXES_IP_FAILURE_LIMIT):
        fail_login(client, f"guess{attempt}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    response = log_in(client, victim.email, password, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_address_counts_apart(client, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_IP_FAILURE_LIMIT = 5
    victim = PatientFactory()
    for attempt in range(settings.AXES_IP_FAILURE_LIMIT):
        # What the client wrote itself (left) is ignored; the proxy appended the real address.
        forwarded = f"10.9.9.9, 203.0.113.{attempt}"
        fail_login(client, f"guess{attempt}@example.org", HTTP_X_FORWARDED_FOR=forwarded)
    response = log_in(client, victim.email, password, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    assert response.status_code == 302


def test_password_reset_requests_are_limited_per_email(client, patient, settings):
    for _request in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        assert client.post(reverse("accounts:password_reset"), {"email": patient.email}).status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": patient.email.upper()})
    assert response.status_code == 429
    assert "Too many reset requests" in response.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def test_password_reset_requests_are_limited_per_address(client, settings):
    for index in range(settings.PASSWORD_RESET_LIMIT_PER_IP):
        client.post(reverse("accounts:password_reset"), {"email": f"p{index}@example.org"})
    response = client.post(reverse("accounts:password_reset"), {"email": "someone-else@example.org"})
    assert response.status_code == 429
