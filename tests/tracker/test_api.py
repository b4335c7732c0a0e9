import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.factories import EpisodeFactory
from tracker.models import Episode

pytestmark = pytest.mark.django_db


def test_the_api_round_trip_log_details_end_and_summary(api_client, patient, password, guidance_content):
    token = api_client.post("/api/auth/token/", {"email": patient.email, "password": password}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    created = api_client.post(
        "/api/episodes/", {"severity": 8, "triggers": ["moving_furniture"]}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["ongoing"] is True
    assert [p["key"] for p in body["guidance"]["prompts"]][0] == "after_injury_or_activity"
    assert "alternate_heat_ice" in [s["key"] for s in body["guidance"]["steps"]]

    episode_id = body["id"]
    patched = api_client.patch(
        f"/api/episodes/{episode_id}/",
        {"locations": ["leg_right"], "relief": [{"measure": "heat", "effect": "much"}]},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["locations"] == ["leg_right"]
    assert patched.json()["triggers"] == ["moving_furniture"]

    guidance = api_client.get(f"/api/episodes/{episode_id}/guidance/").json()
    assert "leg_pain_nerve" in [p["key"] for p in guidance["prompts"]]

    ended = api_client.post(f"/api/episodes/{episode_id}/end/")
    assert ended.status_code == 200 and ended.json()["ongoing"] is False

    listing = api_client.get("/api/episodes/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == episode_id

    summary = api_client.get("/api/summary/").json()
    assert summary["severity"]["worst"] == 8
    assert summary["relief"][0]["measure"] == "heat"
    assert summary["triggers"] == [{"trigger": "moving_furniture", "count": 1}]


def test_logging_answers_with_what_was_stored_in_three_queries(
    patient_api, patient, guidance_content, django_assert_num_queries
):
    from reminders.services import reminder_plans_ensure

    reminder_plans_ensure(user=patient)
    body = {
        "severity": 6,
        "locations": ["lower_back_left", "leg_left", "leg_left"],
        "triggers": ["sports"],
        "relief": [{"measure": "heat", "effect": "much"}, {"measure": "rest", "effect": "none"}],
        "mobility": "limited",
        "notes": "After football.",
    }
    # The guidance content is cached, and the patient has a facts row (an earlier, ended
    # episode: only one may be ongoing).
    earlier = {
        "severity": 1,
        "started_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "ended_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }
    assert patient_api.post("/api/episodes/", earlier, format="json").status_code == 201
    # A savepoint and its release (the write-and-answer transaction; the service adds none:
    # its one statement refuses a second ongoing episode without an error); that statement,
    # writing the episode, its tags and its relief, updating the patient's facts row (the
    # history facts come from it, whatever the length of the history) and moving the
    # heat/ice reminder plan to this episode. The guidance content is cached. SQLite has no
    # data-modifying WITH: there the writes go one statement at a time, in a savepoint of
    # their own.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 10):
        created = patient_api.post("/api/episodes/", body, format="json")
    assert created.status_code == 201
    answer = created.json()
    assert "leg_pain_nerve" in [p["key"] for p in answer.pop("guidance")["prompts"]]
    assert answer == patient_api.get(f"/api/episodes/{answer['id']}/").json()
    assert answer["locations"] == ["leg_left", "lower_back_left"]
    assert answer["relief"] == body["relief"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "severity"),
        ({"severity": 11}, "severity"),
        ({"severity": "seven"}, "severity"),
        ({"severity": 5.5}, "severity"),
        ({"severity": 5, "locations": ["moon"]}, "locations"),
        ({"severity": 5, "relief": [{"measure": "heat"}]}, "relief"),
        ({"severity": 5, "notes": "x" * 5001}, "notes"),
        ({"severity": 5, "started_at": "yesterday-ish"}, "started_at"),
        (
            {"severity": 5, "started_at": (timezone.now() + datetime.timedelta(hours=1)).isoformat()},
            "started_at",
        ),
        (
            {
                "severity": 5,
                "started_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
                "ended_at": (timezone.now() - datetime.timedelta(hours=3)).isoformat(),
            },
            "ended_at",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(patient_api, body, field):
    response = patient_api.post("/api/episodes/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Episode.objects.count() == 0


def test_a_failed_patch_leaves_the_episode_unchanged(patient_api, patient):
    episode = EpisodeFactory(patient=patient, severity=4, notes="original")
    response = patient_api.patch(
        f"/api/episodes/{episode.pk}/", {"severity": 40, "notes": "new"}, format="json"
    )
    assert response.status_code == 400
    episode.refresh_from_db()
    assert (episode.severity, episode.notes) == (4, "original")


def test_another_patients_episode_is_a_404_everywhere(patient_api, other_patient):
    theirs = EpisodeFactory(patient=other_patient, ended_at=None)
    for method, path in [
        ("get", f"/api/episodes/{theirs.pk}/"),
        ("patch", f"/api/episodes/{theirs.pk}/"),
        ("delete", f"/api/episodes/{theirs.pk}/"),
        ("post", f"/api/episodes/{theirs.pk}/end/"),
        ("get", f"/api/episodes/{theirs.pk}/guidance/"),
    ]:
        response = getattr(patient_api, method)(path, {"severity": 1}, format="json")
        assert response.status_code == 404, (method, path)
    assert Episode.objects.filter(pk=theirs.pk, ended_at__isnull=True).exists()
    assert patient_api.get("/api/episodes/").json()["count"] == 0


def test_unauthenticated_requests_are_401(api_client):
    assert api_client.get("/api/episodes/").status_code == 401


def test_the_list_filters_by_date_and_rejects_a_malformed_date(patient_api, patient):
    EpisodeFactory(patient=patient, started_at=timezone.now() - datetime.timedelta(days=40))
    EpisodeFactory(patient=patient, started_at=timezone.now() - datetime.timedelta(days=2))
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert patient_api.get(f"/api/episodes/?from={since}").json()["count"] == 1
    bad = patient_api.get("/api/episodes/?from=2026-13-45")
    assert bad.status_code == 400 and "from" in bad.json()


def test_check_ins_and_peg(patient_api):
    today = timezone.localdate().isoformat()
    assert patient_api.post("/api/checkins/", {"date": today, "had_spasm": False}).status_code == 201
    bad = patient_api.post("/api/checkins/", {"date": today, "had_spasm": True})
    assert bad.status_code == 400 and "worst_pain" in bad.json()
    peg = patient_api.post("/api/peg/", {"pain": 6, "enjoyment": 5, "activity": 4})
    assert peg.status_code == 201 and peg.json()["score"] == 5.0
    assert patient_api.post("/api/peg/", {"pain": 12, "enjoyment": 5, "activity": 4}).status_code == 400


def test_choices_are_labelled_in_the_users_language(api_client, patient, password):
    patient.language = "es"
    patient.save()
    token = api_client.post("/api/auth/token/", {"email": patient.email, "password": password}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    choices = api_client.get("/api/choices/").json()
    assert {"value": "leg_left", "label": "Pierna izquierda"} in choices["locations"]
    assert [c["value"] for c in choices["red_flags"]][:2] == ["bladder_bowel", "saddle_numbness"]


def test_the_episode_list_costs_the_same_queries_for_10_and_2000_episodes(
    patient_api, patient, django_assert_num_queries
):
    from tests.tracker.conftest import make_episodes

    make_episodes(patient, 10)
    with django_assert_num_queries(4) as small:  # count, page, tags, relief
        patient_api.get("/api/episodes/")
    make_episodes(patient, 1990)
    with django_assert_num_queries(len(small.captured_queries)):
        patient_api.get("/api/episodes/")


def test_ending_an_episode_before_its_start_is_a_400_at_the_field_and_it_stays_ongoing(patient_api, patient):
    episode = EpisodeFactory(
        patient=patient, started_at=timezone.now() - datetime.timedelta(hours=1), ended_at=None
    )
    before = (episode.started_at - datetime.timedelta(minutes=5)).isoformat()
    response = patient_api.post(f"/api/episodes/{episode.pk}/end/", {"ended_at": before}, format="json")
    assert response.status_code == 400
    assert response.json()["ended_at"] == ["The end must be after the start."]
    assert Episode.objects.get(pk=episode.pk).ended_at is None


def test_a_peg_without_a_date_is_for_the_patients_own_today(patient_api, patient):
    patient.time_zone = "Pacific/Kiritimati"  # UTC+14: already tomorrow at noon UTC
    patient.save(update_fields=["time_zone"])
    noon_utc = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(noon_utc, tick=False):
        response = patient_api.post("/api/peg/", {"pain": 6, "enjoyment": 5, "activity": 4})
    assert response.status_code == 201
    assert response.json()["date"] == "2026-11-26"
