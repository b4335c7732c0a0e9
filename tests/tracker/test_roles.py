"""Patient-only actions refuse other roles with a 404, like any record that is not theirs
(issue 10, item 13)."""

import pytest
from django.urls import reverse

from clinicians.models import ShareInvitation
from tests.factories import EpisodeFactory
from tracker.models import DailyCheckIn, Episode

pytestmark = pytest.mark.django_db

PATIENT_PAGES = ["history", "summary", "summary_pdf", "checkin", "export_csv", "episode_log_past"]


def test_a_verified_clinician_cannot_log_an_episode_through_the_api(api_client, clinician):
    api_client.force_authenticate(clinician)
    assert api_client.post("/api/episodes/", {"severity": 5}, format="json").status_code == 404
    assert api_client.get("/api/episodes/").status_code == 404
    assert api_client.post("/api/checkins/", {"date": "2026-01-02", "had_spasm": False}).status_code == 404
    assert api_client.post("/api/peg/", {"pain": 1, "enjoyment": 1, "activity": 1}).status_code == 404
    assert api_client.get("/api/summary/").status_code == 404
    assert not Episode.objects.exists() and not DailyCheckIn.objects.exists()


def test_the_patient_api_still_asks_anonymous_callers_to_authenticate(api_client):
    assert api_client.post("/api/episodes/", {"severity": 5}, format="json").status_code == 401


def test_a_clinician_cannot_quick_log_or_open_patient_pages(client, clinician):
    client.force_login(clinician)
    assert client.post(reverse("quick_log"), {"severity": 5}).status_code == 404
    for name in PATIENT_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert not Episode.objects.exists()


def test_a_clinician_cannot_open_another_persons_episode_pages(client, clinician, patient):
    episode = EpisodeFactory(patient=patient)
    client.force_login(clinician)
    for name in ("episode_detail", "episode_edit", "episode_delete"):
        assert client.get(reverse(name, args=[episode.pk])).status_code == 404


def test_a_clinician_cannot_make_a_share_code_on_the_sharing_page(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("sharing:home")).status_code == 404
    assert client.post(reverse("sharing:home")).status_code == 404
    assert not ShareInvitation.objects.exists()


def test_a_clinicians_home_page_offers_no_logging(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("home")).content.decode()
    assert reverse("quick_log") not in page
    assert reverse("clinicians:dashboard") in page


def test_patients_keep_their_pages(patient_client):
    for name in PATIENT_PAGES:
        assert patient_client.get(reverse(name)).status_code == 200, name
