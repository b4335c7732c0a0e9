"""Issue 10 item 3: one period parser for every ?from=&to=, ?start=&end= and ?month=: out of
range is a 400 (API, downloads) or the form's error (pages), never a 500; an empty value
is ignored."""

import pytest
from django.urls import reverse

from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE_PAGE_QUERIES = [
    "?end=9999-12-31",
    "?start=0001-01-01&end=0001-01-02",
    "?start=1899-12-31",
]


@pytest.fixture(autouse=True)
def _an_episode(patient):
    EpisodeFactory(patient=patient)


@pytest.mark.parametrize("query", OUT_OF_RANGE_PAGE_QUERIES)
@pytest.mark.parametrize("page", ["history", "summary"])
def test_a_page_shows_an_out_of_range_period_as_the_forms_error(patient_client, page, query):
    response = patient_client.get(reverse(page) + query)
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13"])
def test_the_history_calendar_shows_an_out_of_range_month_as_an_error(patient_client, month):
    response = patient_client.get(reverse("history") + f"?month={month}")
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("query", OUT_OF_RANGE_PAGE_QUERIES)
def test_the_summary_pdf_of_an_out_of_range_period_is_a_400(patient_client, query):
    response = patient_client.get(reverse("summary_pdf") + query)
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/summary/", "/api/episodes/"])
@pytest.mark.parametrize("query", ["?to=9999-12-31", "?from=0001-01-01&to=0001-01-02"])
def test_the_api_answers_an_out_of_range_period_with_a_400_naming_the_parameter(patient_api, path, query):
    response = patient_api.get(path + query)
    assert response.status_code == 400
    assert set(response.json()) <= {"from", "to"} and response.json()


@pytest.mark.parametrize("path", ["/api/summary/", "/api/episodes/"])
def test_an_empty_to_is_ignored(patient_api, path):
    assert patient_api.get(path + "?to=").status_code == 200
