import os

import pytest

from tests.factories import PASSWORD, ClinicianFactory, PatientFactory, StaffFactory

# Tests that drive Chromium or start Celery workers: under pytest-xdist (``make test`` runs
# two processes, ``--dist loadgroup``) they all go to one process, one at a time, so two
# browsers or worker pools never compete for the machine while a test waits on a timeout.
HEAVY = ("browser", "integration")


def pytest_collection_modifyitems(items):
    for item in items:
        if any(marker in item.keywords for marker in HEAVY):
            item.add_marker(pytest.mark.xdist_group("heavy"))


IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip a test on a developer's machine that lacks a service; in CI a missing one fails."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def patient(db):
    return PatientFactory(email="pat@example.org", display_name="Pat")


@pytest.fixture
def other_patient(db):
    return PatientFactory(email="olga@example.org", display_name="Olga")


@pytest.fixture
def clinician(db):
    return ClinicianFactory(email="dr.chen@example.org", display_name="Dr Chen")


@pytest.fixture
def staff(db):
    return StaffFactory(email="admin@example.org", display_name="Admin")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def patient_api(api_client, patient):
    api_client.force_authenticate(patient)
    return api_client


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` signs in as the whole sign-in would: with the user's
    authenticator when they have one (the clinician and staff factories give them one).
    Tests of the second step itself sign in through the pages, or with a user without one."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client._login

    def _login(self, user, backend=None):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            user.otp_device = device  # the second step is done: no code is asked for
        original(self, user, backend)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The published guidance is cached; each test starts from its own database state."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates the user's (or the browser's) language for its thread and Django
    leaves it active: each test starts from the default, whatever ran before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def guidance_content(db):
    """The seeded guidance content, published, as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_guidance", stdout=open(os.devnull, "w"))  # noqa: SIM115
