"""Issue 10 items 4, 7, 9 and 15: every error under /api/ is JSON with a documented status;
nested JSON, a database outage and a NUL in a URL are never a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("path", ["/api/episodes/", "/api/auth/token/", "/api/checkins/"])
def test_deeply_nested_json_is_a_400(patient_api, path):
    response = patient_api.post(path, DEEP_JSON, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_an_api_path_that_matches_no_route_is_a_json_404(patient_api):
    response = patient_api.get("/api/episodes/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_id_too_large_for_the_database_is_a_404(patient_api):
    assert patient_api.get(f"/api/episodes/{2**64}/").status_code == 404


def test_a_nul_in_the_url_is_a_404(patient_client):
    assert patient_client.get("/sharing/accept/%00/").status_code == 404


def _database_down(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_database_outage_is_a_json_503_with_retry_after_under_the_api(patient):
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    with mock.patch.object(CursorWrapper, "execute", _database_down):
        response = client.get("/api/episodes/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]


def test_a_database_outage_is_a_small_503_page_with_retry_after(patient):
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    with mock.patch.object(CursorWrapper, "execute", _database_down):
        response = client.get("/history/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Briefly unavailable" in response.content.decode()


def test_the_app_answers_again_once_the_database_is_back(patient):
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    with mock.patch.object(CursorWrapper, "execute", _database_down):
        assert client.get("/api/episodes/").status_code == 503
    assert client.get("/api/episodes/").status_code == 200


def test_an_unexpected_error_under_the_api_is_a_json_500(patient, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    monkeypatch.setattr("tracker.api.summary_for_range", mock.Mock(side_effect=RuntimeError("bug")))
    response = client.get("/api/summary/")
    assert response.status_code == 500
    assert response.json()["detail"]


def test_the_schema_documents_the_error_answers_of_every_operation(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "404", "429"} <= documented, (method, path)
            if method in {"post", "patch"}:
                assert "400" in documented, (method, path)


def test_the_schema_says_notifications_are_paged_local_time_is_hh_mm_and_next_due_may_be_null(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    notifications = schema["paths"]["/api/notifications/"]["get"]["responses"]["200"]
    page = notifications["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"count", "next", "previous", "results", "unread"} <= set(
        schema["components"]["schemas"][page]["properties"]
    )
    plan = schema["components"]["schemas"]["ReminderPlan"]["properties"]
    assert "format" not in plan["local_time"] and plan["local_time"]["pattern"]
    assert plan["next_due_at"]["nullable"] is True
