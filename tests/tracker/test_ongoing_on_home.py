"""While a spasm is ongoing, home shows it instead of the start button, with "It got worse"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EpisodeFactory
from tracker import services
from tracker.models import Episode

pytestmark = pytest.mark.django_db


def ongoing_card(page: str) -> str:
    return re.search(r'<section class="card ongoing".*?</section>', page, re.S).group(0)


def test_home_says_the_elapsed_time_once(patient_client, patient):
    services.episode_create(
        patient=patient, severity=6, started_at=timezone.now() - datetime.timedelta(minutes=75)
    )
    card = ongoing_card(patient_client.get(reverse("home")).content.decode())
    assert card.count("1 h 15 min") == 1
    assert " ago" not in card and "(" not in re.sub(r"<[^>]+>", "", card)


def test_home_hides_the_start_button_while_a_spasm_is_ongoing(patient_client, patient):
    services.episode_create(patient=patient, severity=6)
    page = patient_client.get(reverse("home")).content.decode()
    assert reverse("quick_log") not in page
    assert "I&#x27;m having a spasm now" not in page


def test_home_shows_the_start_button_when_nothing_is_ongoing(patient_client, patient):
    EpisodeFactory(patient=patient, ended_at=timezone.now())
    page = patient_client.get(reverse("home")).content.decode()
    assert reverse("quick_log") in page
    assert "Spasm in progress" not in page


def test_it_got_worse_updates_the_severity_of_the_ongoing_episode(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=5)
    response = patient_client.post(reverse("episode_worse", args=[episode.pk]), {"severity": "8"})
    assert response["Location"] == reverse("episode_detail", args=[episode.pk])
    episode.refresh_from_db()
    assert episode.severity == 8 and episode.is_ongoing
    assert Episode.objects.filter(patient=patient).count() == 1


def test_it_got_worse_refuses_an_out_of_range_severity(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=5)
    response = patient_client.post(
        reverse("episode_worse", args=[episode.pk]), {"severity": "11"}, follow=True
    )
    episode.refresh_from_db()
    assert episode.severity == 5
    assert "less than or equal to 10" in response.content.decode()


def test_it_got_worse_on_someone_elses_episode_is_a_404(patient_client, other_patient):
    theirs = services.episode_create(patient=other_patient, severity=5)
    response = patient_client.post(reverse("episode_worse", args=[theirs.pk]), {"severity": "9"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.severity == 5


def test_it_got_worse_needs_a_post(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=5)
    assert patient_client.get(reverse("episode_worse", args=[episode.pk])).status_code == 405
