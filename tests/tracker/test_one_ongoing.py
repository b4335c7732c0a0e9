"""Issue 10 item 5: a patient has at most one ongoing episode (a database constraint); the
quick log updates it; the API answers 409 naming it; an Idempotency-Key makes a retried
POST return its first answer and write nothing."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import EpisodeFactory
from tracker.models import DailyCheckIn, Episode, IdempotentAnswer, PegCheckIn

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_ongoing_episode(patient):
    EpisodeFactory(patient=patient, ended_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(patient=patient, severity=4)


def test_other_patients_and_ended_episodes_do_not_count(patient, other_patient):
    EpisodeFactory(patient=patient, ended_at=None)
    EpisodeFactory(patient=patient)
    EpisodeFactory(patient=other_patient, ended_at=None)
    assert Episode.objects.filter(ended_at__isnull=True).count() == 2


def test_a_quick_log_while_one_is_ongoing_updates_it_keeping_the_higher_severity(patient_client, patient):
    for severity in ("5", "8", "3"):
        patient_client.post(reverse("quick_log"), {"severity": severity})
    episode = Episode.objects.get(patient=patient)
    assert episode.is_ongoing and episode.severity == 8


def test_a_second_ongoing_start_through_the_api_is_a_409_naming_the_ongoing_one(patient_api, patient):
    first = patient_api.post("/api/episodes/", {"severity": 5}, format="json")
    second = patient_api.post("/api/episodes/", {"severity": 7}, format="json")
    assert second.status_code == 409
    assert second.json()["ongoing_episode"] == first.json()["id"]
    assert Episode.objects.filter(patient=patient).count() == 1


def test_an_ended_episode_can_be_logged_while_one_is_ongoing(patient_api, patient):
    EpisodeFactory(patient=patient, ended_at=None)
    past = {"severity": 4, "started_at": "2026-11-01T08:00:00Z", "ended_at": "2026-11-01T09:00:00Z"}
    assert patient_api.post("/api/episodes/", past, format="json").status_code == 201


def test_reopening_an_ended_episode_while_another_is_ongoing_is_a_409_and_changes_nothing(
    patient_api, patient
):
    EpisodeFactory(patient=patient, ended_at=None)
    ended = EpisodeFactory(patient=patient)
    response = patient_api.patch(f"/api/episodes/{ended.pk}/", {"ended_at": None}, format="json")
    assert response.status_code == 409
    ended.refresh_from_db()
    assert not ended.is_ongoing


WRITES = [
    ("/api/episodes/", {"severity": 6}, Episode),
    ("/api/checkins/", {"date": "2026-11-20", "had_spasm": True, "worst_pain": 4}, DailyCheckIn),
    ("/api/peg/", {"date": "2026-11-20", "pain": 4, "enjoyment": 5, "activity": 6}, PegCheckIn),
]


@pytest.mark.parametrize(("path", "body", "model"), WRITES)
def test_a_repeated_idempotency_key_returns_the_first_answer_and_writes_nothing(
    patient_api, path, body, model
):
    key = str(uuid.uuid4())
    first = patient_api.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    changed = {**body, "date": "2026-11-21"} if "date" in body else {"severity": 9}
    repeat = patient_api.post(path, changed, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert repeat.status_code == 201
    assert repeat.json() == first.json()
    assert repeat.headers["Idempotent-Replayed"] == "true"
    assert model.objects.count() == 1


def test_a_new_key_is_a_new_write(patient_api):
    body = {"severity": 6, "started_at": "2026-11-01T08:00:00Z", "ended_at": "2026-11-01T09:00:00Z"}
    for _ in range(2):
        patient_api.post("/api/episodes/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert Episode.objects.count() == 2


def test_a_key_belongs_to_the_user_who_sent_it(api_client, patient, other_patient):
    key = str(uuid.uuid4())
    for user in (patient, other_patient):
        api_client.force_authenticate(user)
        assert (
            api_client.post(
                "/api/episodes/", {"severity": 6}, format="json", HTTP_IDEMPOTENCY_KEY=key
            ).status_code
            == 201
        )
    assert Episode.objects.count() == 2


def test_a_refused_write_stores_no_answer_so_a_corrected_retry_goes_through(patient_api):
    key = str(uuid.uuid4())
    bad = patient_api.post("/api/episodes/", {"severity": 11}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert bad.status_code == 400 and not IdempotentAnswer.objects.exists()
    good = patient_api.post("/api/episodes/", {"severity": 7}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert good.status_code == 201


def test_a_key_that_is_not_a_uuid_is_a_400(patient_api):
    response = patient_api.post(
        "/api/episodes/", {"severity": 6}, format="json", HTTP_IDEMPOTENCY_KEY="again"
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not Episode.objects.exists()


def test_a_key_reused_on_another_endpoint_is_a_400(patient_api):
    key = str(uuid.uuid4())
    patient_api.post("/api/episodes/", {"severity": 6}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    response = patient_api.post(
        "/api/checkins/", {"date": "2026-11-20", "had_spasm": False}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400 and not DailyCheckIn.objects.exists()


def test_the_schema_documents_the_idempotency_key_and_the_409(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for path in ("/api/episodes/", "/api/checkins/", "/api/peg/"):
        parameters = schema["paths"][path]["post"]["parameters"]
        assert [p["name"] for p in parameters if p["in"] == "header"] == ["Idempotency-Key"]
    conflict = schema["paths"]["/api/episodes/"]["post"]["responses"]["409"]
    assert "ongoing_episode" in str(conflict) or "OngoingEpisodeConflict" in str(conflict)
