"""Issue 10 item 2: every date and time is between 1900-01-01 and now + 5 minutes, checked
in the service layer for pages and API alike; outside it, a field error and no row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import EpisodeFactory
from tracker import services
from tracker.models import DailyCheckIn, Episode, PegCheckIn

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_start_before_1900(patient):
    with pytest.raises(ValidationError) as refused:
        services.episode_create(
            patient=patient, severity=5, started_at=datetime.datetime(1899, 12, 31, tzinfo=datetime.UTC)
        )
    assert "started_at" in refused.value.message_dict
    assert not Episode.objects.exists()


def test_an_episode_at_year_one_is_a_400_at_started_at_and_stores_nothing(patient_api):
    response = patient_api.post(
        "/api/episodes/", {"severity": 5, "started_at": "0001-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert "started_at" in response.json()
    assert not Episode.objects.exists()


def test_an_episode_ending_in_2099_is_a_400_and_stores_nothing(patient_api):
    response = patient_api.post(
        "/api/episodes/", {"severity": 5, "ended_at": "2099-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400 and "ended_at" in response.json()
    assert not Episode.objects.exists()


def test_ending_an_episode_in_2099_through_the_api_is_a_400_and_it_stays_ongoing(patient_api, patient):
    episode = EpisodeFactory(patient=patient, ended_at=None)
    response = patient_api.post(
        f"/api/episodes/{episode.pk}/end/", {"ended_at": "2099-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400 and "ended_at" in response.json()
    episode.refresh_from_db()
    assert episode.is_ongoing


def test_ending_an_episode_before_it_started_is_a_400_from_the_service(patient):
    episode = EpisodeFactory(patient=patient, ended_at=None)
    with pytest.raises(ValidationError) as refused:
        services.episode_end(episode=episode, ended_at=episode.started_at - datetime.timedelta(hours=1))
    assert "ended_at" in refused.value.message_dict


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/peg/", {"date": "9999-12-31", "pain": 3, "enjoyment": 3, "activity": 3}),
        ("/api/peg/", {"date": "1899-12-31", "pain": 3, "enjoyment": 3, "activity": 3}),
        ("/api/checkins/", {"date": "9999-12-31", "had_spasm": False}),
        ("/api/checkins/", {"date": "0001-01-01", "had_spasm": False}),
    ],
)
def test_a_check_in_dated_out_of_range_is_a_400_at_date(patient_api, path, body):
    response = patient_api.post(path, body, format="json")
    assert response.status_code == 400 and "date" in response.json()
    assert not DailyCheckIn.objects.exists() and not PegCheckIn.objects.exists()


def test_a_past_episode_at_year_one_from_tokyo_is_a_field_error_on_the_page(patient_client, patient):
    patient.time_zone = "Asia/Tokyo"
    patient.save()
    response = patient_client.post(
        reverse("episode_log_past"),
        {"started_at": "0001-01-01T00:00", "duration_minutes": "30", "severity": "5"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["started_at"] == ["Give a date from 1900 on."]
    assert not Episode.objects.exists()


def test_the_checkin_page_refuses_a_peg_dated_9999(patient_client):
    response = patient_client.post(
        reverse("checkin"),
        {"form": "peg", "peg-date": "9999-12-31", "peg-pain": "3", "peg-enjoyment": "3", "peg-activity": "3"},
    )
    assert response.status_code == 200
    assert response.context["peg"].errors["date"] == ["The date can't be in the future."]
    assert not PegCheckIn.objects.exists()


def test_a_start_a_minute_ahead_of_the_server_clock_is_still_accepted(patient):
    episode = services.episode_create(
        patient=patient, severity=5, started_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert episode.pk
