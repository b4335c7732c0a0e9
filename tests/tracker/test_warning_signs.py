"""The warning-sign question ("Do you have any of these?") on the episode page and in the
API, asked again by a follow-up answered "worse", and shown to clinicians (issue 11)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clinicians.models import CareLink, PatientReview
from clinicians.selectors import dashboard, patients_needing_attention
from reminders import services as reminder_services
from reminders.models import Delivery, ReminderPlan
from tests.factories import EpisodeFactory
from tracker import services
from tracker.models import Episode

pytestmark = pytest.mark.django_db
QUESTION = "Do you have any of these?"


def page_of(client, episode) -> str:
    return client.get(reverse("episode_detail", args=[episode.pk])).content.decode()


def answer(client, episode, value: str):
    return client.post(reverse("episode_red_flags", args=[episode.pk]), {"red_flag": value}, follow=True)


# --- the page ----------------------------------------------------------------------------------


def test_a_quick_log_lands_on_the_question_above_the_guidance(patient_client, guidance_content):
    page = patient_client.post(reverse("quick_log"), {"severity": "8"}, follow=True).content.decode()
    assert QUESTION in page and "Numbness between the legs" in page and "None of these" in page
    assert page.index(QUESTION) < page.index("What to do now")


def test_a_severe_episode_keeps_the_question_unfoldable_until_answered(
    patient_client, patient, guidance_content
):
    episode = services.episode_create(patient=patient, severity=7)
    page = page_of(patient_client, episode)
    assert "warning-screen-required" in page and '<details class="warning-screen"' not in page


def test_leg_pain_keeps_the_question_unfoldable_until_answered(patient_client, patient, guidance_content):
    episode = services.episode_create(patient=patient, severity=3, locations=["leg_right"])
    assert "warning-screen-required" in page_of(patient_client, episode)


def test_a_mild_ongoing_episode_asks_in_an_open_fold(patient_client, patient, guidance_content):
    episode = services.episode_create(patient=patient, severity=3)
    page = page_of(patient_client, episode)
    assert '<details class="warning-screen" open>' in page and "warning-screen-required" not in page


def test_none_of_these_is_stored_with_its_time_and_the_question_goes(
    patient_client, patient, guidance_content
):
    episode = services.episode_create(patient=patient, severity=8)
    before = timezone.now()
    page = answer(patient_client, episode, "none").content.decode()
    episode.refresh_from_db()
    assert episode.red_flags == [] and episode.red_flags_checked_at >= before
    assert QUESTION not in page and "Thank you. No warning signs" in page


def test_a_sign_is_saved_and_the_emergency_prompt_comes_first_with_the_call_button(
    patient_client, patient, guidance_content
):
    episode = services.episode_create(patient=patient, severity=8)
    page = answer(patient_client, episode, "saddle_numbness").content.decode()
    episode = Episode.objects.get(pk=episode.pk)
    assert episode.red_flags == ["saddle_numbness"] and episode.red_flags_checked_at
    first_prompt = page.index('class="prompt prompt-')
    assert page[first_prompt:].startswith('class="prompt prompt-emergency"')
    assert page.index("tel:112") < page.index('class="step')


def test_an_urgent_sign_puts_the_urgent_prompt_first(patient_client, patient, guidance_content):
    episode = services.episode_create(patient=patient, severity=4)
    page = answer(patient_client, episode, "fever").content.decode()
    assert page[page.index('class="prompt prompt-') :].startswith('class="prompt prompt-urgent"')


def test_a_later_none_never_clears_a_sign_already_recorded(patient_client, patient, guidance_content):
    episode = services.episode_create(patient=patient, severity=5, red_flags=["fever"])
    answer(patient_client, episode, "none")
    assert Episode.objects.get(pk=episode.pk).red_flags == ["fever"]


def test_a_sign_reported_in_the_details_counts_as_an_answer(patient, guidance_content):
    episode = services.episode_create(patient=patient, severity=5, red_flags=["night_pain"])
    assert episode.red_flags_checked_at is not None and not episode.needs_red_flag_check


def test_another_sign_can_be_added_after_answering(patient_client, patient, guidance_content):
    episode = services.episode_create(patient=patient, severity=5)
    answer(patient_client, episode, "fever")
    page = page_of(patient_client, episode)
    assert "Another warning sign since?" in page and 'value="bladder_bowel"' in page
    assert 'value="fever"' not in page
    answer(patient_client, episode, "bladder_bowel")
    assert Episode.objects.get(pk=episode.pk).red_flags == ["bladder_bowel", "fever"]


@pytest.mark.parametrize("value", ["", "appendicitis", "<script>alert(1)</script>", "none" * 1000])
def test_an_unknown_answer_saves_nothing_and_says_why(patient_client, patient, value):
    episode = services.episode_create(patient=patient, severity=8)
    response = answer(patient_client, episode, value)
    assert response.status_code == 200
    episode.refresh_from_db()
    assert episode.red_flags_checked_at is None and episode.red_flags == []
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_another_patients_episode_answers_404_and_is_left_alone(patient_client, other_patient):
    theirs = EpisodeFactory(patient=other_patient)
    response = patient_client.post(reverse("episode_red_flags", args=[theirs.pk]), {"red_flag": "none"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.red_flags_checked_at is None


def test_the_answer_needs_a_post(patient_client, patient):
    episode = services.episode_create(patient=patient, severity=8)
    assert patient_client.get(reverse("episode_red_flags", args=[episode.pk])).status_code == 405


# --- the API -----------------------------------------------------------------------------------


def test_the_api_sends_when_the_signs_were_checked(patient_api, patient, guidance_content):
    created = patient_api.post("/api/episodes/", {"severity": 8}, format="json").json()
    assert created["red_flags_checked_at"] is None and created["needs_red_flag_check"] is True
    answered = patient_api.post(f"/api/episodes/{created['id']}/red-flags/", {"red_flags": []}, format="json")
    assert answered.status_code == 200
    body = answered.json()
    assert body["red_flags"] == [] and body["red_flags_checked_at"] and body["needs_red_flag_check"] is False
    assert (
        patient_api.get(f"/api/episodes/{created['id']}/").json()["red_flags_checked_at"]
        == body["red_flags_checked_at"]
    )


def test_the_api_answer_with_a_sign_redraws_the_guidance_with_the_emergency_first(
    patient_api, patient, guidance_content
):
    episode = services.episode_create(patient=patient, severity=8)
    body = patient_api.post(
        f"/api/episodes/{episode.pk}/red-flags/", {"red_flags": ["bladder_bowel"]}, format="json"
    ).json()
    first = body["guidance"]["prompts"][0]
    assert (first["key"], first["placement"], first["source_title"]) == (
        "red_flag_emergency",
        "before_steps",
        "NICE NG59",
    )
    assert all(step["source"] for step in body["guidance"]["steps"])


@pytest.mark.parametrize("body", [{}, {"red_flags": ["nope"]}, {"red_flags": "fever"}])
def test_the_api_refuses_a_bad_answer_with_a_field_error(patient_api, patient, body):
    episode = services.episode_create(patient=patient, severity=8)
    response = patient_api.post(f"/api/episodes/{episode.pk}/red-flags/", body, format="json")
    assert response.status_code == 400 and "red_flags" in response.json()
    episode.refresh_from_db()
    assert episode.red_flags_checked_at is None


def test_the_api_answers_404_for_another_patients_episode(patient_api, other_patient):
    theirs = EpisodeFactory(patient=other_patient)
    response = patient_api.post(f"/api/episodes/{theirs.pk}/red-flags/", {"red_flags": []}, format="json")
    assert response.status_code == 404


def test_the_schema_documents_the_new_fields(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    episode = schema["components"]["schemas"]["Episode"]["properties"]
    assert {"red_flags_checked_at", "worse_reported_at", "needs_red_flag_check"} <= set(episode)
    assert "warning-sign question" in episode["red_flags_checked_at"]["description"]
    assert "/api/episodes/{id}/red-flags/" in schema["paths"]
    step = schema["components"]["schemas"]["GuidanceStep"]["properties"]
    prompt = schema["components"]["schemas"]["GuidancePrompt"]["properties"]
    assert {"source", "source_title", "note"} <= set(step)
    assert {"source", "source_title", "placement"} <= set(prompt)


# --- the follow-up answered "worse" -----------------------------------------------------------


@pytest.fixture
def answered_episode(patient, guidance_content):
    start = timezone.now() - datetime.timedelta(days=1)
    episode = services.episode_create(
        patient=patient, severity=6, started_at=start, ended_at=start + datetime.timedelta(hours=2)
    )
    services.episode_red_flags_record(episode=episode, red_flags=[])
    return episode


def follow_up_for(patient, episode) -> Delivery:
    plan = {p.kind: p for p in reminder_services.reminder_plans_ensure(user=patient)}[
        ReminderPlan.Kind.FOLLOW_UP
    ]
    return Delivery.objects.create(
        plan=plan, episode=episode, due_at=timezone.now(), next_attempt_at=timezone.now()
    )


def test_a_follow_up_answered_worse_asks_about_warning_signs_again(patient_client, patient, answered_episode):
    delivery = follow_up_for(patient, answered_episode)
    page = patient_client.post(
        reverse("reminders:follow_up", args=[delivery.id]), {"response": "worse"}
    ).content.decode()
    assert QUESTION in page and "warning-screen-required" in page
    assert f'action="{reverse("episode_red_flags", args=[answered_episode.pk])}"' in page
    answered_episode.refresh_from_db()
    assert answered_episode.needs_red_flag_check and answered_episode.worse_reported_at
    assert QUESTION in page_of(patient_client, answered_episode)


def test_a_follow_up_answered_better_does_not_ask_again(patient_client, patient, answered_episode):
    delivery = follow_up_for(patient, answered_episode)
    patient_client.post(reverse("reminders:follow_up", args=[delivery.id]), {"response": "better"})
    answered_episode.refresh_from_db()
    assert not answered_episode.needs_red_flag_check and answered_episode.worse_reported_at is None


def test_answering_again_after_worse_is_stored_and_the_question_goes(
    patient_client, patient, answered_episode
):
    delivery = follow_up_for(patient, answered_episode)
    patient_client.post(reverse("reminders:follow_up", args=[delivery.id]), {"response": "worse"})
    page = answer(patient_client, answered_episode, "leg_weakness_numbness").content.decode()
    assert page[page.index('class="prompt prompt-') :].startswith('class="prompt prompt-emergency"')
    assert not Episode.objects.get(pk=answered_episode.pk).needs_red_flag_check


def test_linked_clinicians_see_a_worse_follow_up_on_the_dashboard_and_in_the_digest(
    patient, clinician, answered_episode
):
    CareLink.objects.create(patient=patient, clinician=clinician)
    PatientReview.objects.create(patient=patient, clinician=clinician, last_viewed_at=timezone.now())
    assert patients_needing_attention(clinician=clinician) == []
    reminder_services.follow_up_answer(delivery=follow_up_for(patient, answered_episode), response="worse")
    row = dashboard(clinician=clinician)[0]
    assert row.flags[0] == ("worse_follow_up", "Said it got worse at a follow-up in the last 30 days")
    assert patients_needing_attention(clinician=clinician) == [str(patient)]


def test_the_clinician_timeline_shows_the_answer_its_time_and_the_sources(
    client, patient, clinician, answered_episode
):
    CareLink.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    page = client.get(reverse("clinicians:patient", args=[patient.pk])).content.decode()
    assert "Warning signs asked" in page and "None, answered" in page
    assert "source: Back spasm article" in page


def test_once_a_sign_is_answered_the_emergency_prompt_is_the_first_thing_under_the_title(
    patient_client, patient, guidance_content
):
    episode = services.episode_create(patient=patient, severity=8)
    page = answer(patient_client, episode, "bladder_bowel").content.decode()
    after_title = page[page.index("</h1>") :]
    assert after_title.index("prompt-emergency") < after_title.index("Another warning sign since?")
