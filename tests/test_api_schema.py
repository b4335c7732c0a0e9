"""The whole OpenAPI schema, fuzzed by schemathesis (pinned in requirements.txt) as a
patient and as a verified clinician: no answer is a 5xx, and every answer (status, content
type, headers, body) is one the schema documents. A fixed seed and a bounded number of
examples per operation keep it repeatable and quick; on PostgreSQL in CI as elsewhere."""

import collections

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ClinicianFactory, EpisodeFactory, PatientFactory

SEED = 20261202
EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(settings):
    """The real WSGI app in this test's transaction: like Django's test client, keep a
    request from closing the connection that holds it."""
    settings.ALLOWED_HOSTS = ["localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # Hundreds of requests in seconds: the limits would answer (documented) 429s instead.
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


def fuzz(app, *, user) -> list[str]:
    """Every operation, EXAMPLES_PER_OPERATION cases each; the failures, described."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    failures: list[str] = []
    statuses: collections.Counter = collections.Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        # A token of its own per operation: DELETE /api/auth/token(s)/ revokes the one it is sent
        # with, which must not turn every later operation into a 401.
        _instance, token = AuthToken.objects.create(user=user)
        try:
            check_operation(operation, headers={"Authorization": f"Token {token}"}, statuses=statuses)
        except Exception as error:  # one line per failing operation, then the details
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    print(f"schemathesis: {sum(statuses.values())} requests, by status {dict(sorted(statuses.items()))}")
    return failures


def check_operation(operation, *, headers: dict, statuses: collections.Counter) -> None:
    @seed(SEED)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.django_db
def test_the_api_answers_every_generated_request_as_its_schema_says_as_a_patient(wsgi_app, guidance_content):
    patient = PatientFactory()
    EpisodeFactory(patient=patient)
    failures = fuzz(wsgi_app, user=patient)
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_the_api_answers_every_generated_request_as_its_schema_says_as_a_clinician(
    wsgi_app, guidance_content
):
    clinician = ClinicianFactory()
    failures = fuzz(wsgi_app, user=clinician)
    assert not failures, "\n\n".join(failures)
