"""The insights page and GET /api/insights/."""

import pytest
from django.utils import timezone

from tests.tracker.insights_data import seed_checkins

pytestmark = pytest.mark.django_db


def test_the_insights_page_says_what_comes_before_a_spasm_day_with_a_table(patient_client, patient):
    seed_checkins(patient, today=timezone.localdate(), days=120)
    page = patient_client.get("/insights/").content.decode()
    assert "On days after poor sleep you had a spasm" in page
    assert "What comes before a spasm day, as a table" in page
    assert "We looked at 4 factors together" in page


def test_a_new_patient_sees_how_much_data_is_missing(patient_client):
    page = patient_client.get("/insights/").content.decode()
    assert "not enough data yet: 28 more check-ins with it answered" in page
    assert "Not enough data yet to compare: this needs 56 days of tracking, 56 more to go." in page


def test_the_insights_page_needs_a_login(client):
    response = client.get("/insights/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_gives_ratios_intervals_and_day_counts(patient_api, patient):
    seed_checkins(patient, today=timezone.localdate(), days=120)
    data = patient_api.get("/api/insights/").json()
    sleep = next(item for item in data["factors"] if item["factor"] == "poor_sleep")
    assert sleep["enough_data"] and sleep["days_with"] + sleep["days_without"] == 120
    low, high = sleep["interval"]
    assert low < sleep["risk_ratio"] < high and low <= 2 <= high
    assert data["factors_tested"] == 4 and "Bonferroni" in data["methods"]["factors"]


def test_the_api_answers_in_the_users_language(api_client, patient, password):
    patient.language = "es"
    patient.save()
    token = api_client.post("/api/auth/token/", {"email": patient.email, "password": password}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    data = api_client.get("/api/insights/").json()
    assert data["trend"]["sentences"][0].startswith("Aún no hay datos suficientes")


def test_the_api_needs_authentication(api_client):
    assert api_client.get("/api/insights/").status_code == 401


def test_the_schema_documents_the_insights(patient_api):
    schema = patient_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/insights/"]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert reference.endswith("/Insights")
    assert "risk_ratio" in schema["components"]["schemas"]["FactorInsight"]["properties"]
