import pytest
from django.core.management import call_command

from guidance.models import ContentRelease, DoctorPrompt, Rule, Step
from guidance.selectors import published_content
from guidance.services import content_publish
from tests.factories import EpisodeFactory
from tracker import services
from tracker.guidance import guidance_for_episode

pytestmark = pytest.mark.django_db

STEP_KEYS = [
    "get_to_chair", "gentle_massage", "slow_breathing", "alternate_heat_ice", "gentle_stretch_if_comfortable",
    "rest_take_it_easy", "ice_heat_after_strain", "nsaids_muscle_relaxants", "ask_about_injections",
    "diagnosis_before_chiropractic", "physical_therapy", "moderate_weight", "posture_low_heels",
    "core_strengthening", "avoid_too_much_bed_or_sitting", "doctor_before_exercise_programme",
]  # fmt: skip
PROMPT_KEYS = [
    "red_flag_emergency", "red_flag_urgent", "pain_getting_worse", "after_injury_or_activity", "leg_pain_nerve",
    "severe_hard_to_move", "chronic", "frequent_flares", "no_improvement", "prepare_for_visit",
]  # fmt: skip


def test_every_step_key_is_published_in_both_languages_with_a_source(guidance_content):
    published = ContentRelease.objects.latest().snapshot
    for key in STEP_KEYS:
        step = Step.objects.get(key=key)
        assert step.title_en and step.title_es and step.body_en and step.body_es and step.source, key
        assert published["steps"][key]["title"]["es"] == step.title_es
    assert Rule.objects.filter(steps__key__in=STEP_KEYS).exists()


def test_every_prompt_key_is_published_in_both_languages_with_a_source(guidance_content):
    published = ContentRelease.objects.latest().snapshot
    for key in PROMPT_KEYS:
        prompt = DoctorPrompt.objects.get(key=key)
        assert prompt.text_en and prompt.text_es and prompt.source, key
        assert published["prompts"][key]["text"]["en"] == prompt.text_en
    assert "NICE NG59" in DoctorPrompt.objects.get(key="red_flag_emergency").source


def test_every_seeded_key_is_used_by_a_rule_or_the_floor(guidance_content):
    used_steps = set(Rule.objects.values_list("steps__key", flat=True))
    used_prompts = set(Rule.objects.values_list("prompts__key", flat=True)) | {
        "red_flag_emergency",
        "red_flag_urgent",
    }
    assert set(STEP_KEYS) <= used_steps
    assert set(PROMPT_KEYS) <= used_prompts


def test_loading_again_never_overwrites_an_admins_edit(guidance_content):
    Step.objects.filter(key="slow_breathing").update(title_en="Breathe out slowly")
    call_command("load_guidance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Step.objects.get(key="slow_breathing").title_en == "Breathe out slowly"
    assert ContentRelease.objects.count() == 1


def test_patients_see_published_content_only_until_the_next_publish(
    guidance_content, patient, django_capture_on_commit_callbacks
):
    episode = services.episode_create(patient=patient, severity=5)
    Step.objects.filter(key="get_to_chair").update(title_en="Draft title")
    titles = [s.title for s in guidance_for_episode(episode=episode, language="en").steps]
    assert "Draft title" not in titles
    with django_capture_on_commit_callbacks(execute=True):
        content_publish(note="test")
    titles = [s.title for s in guidance_for_episode(episode=episode, language="en").steps]
    assert "Draft title" in titles


def test_the_published_content_is_cached_until_publish(guidance_content, django_assert_num_queries):
    published_content()
    with django_assert_num_queries(0):
        published_content()


def test_guidance_for_one_episode_costs_at_most_3_queries(
    guidance_content, patient, django_assert_max_num_queries
):
    EpisodeFactory.create_batch(5, patient=patient)
    episode = services.episode_create(patient=patient, severity=7, triggers=["injury"], red_flags=["fever"])
    from tracker.selectors import access_episode

    episode = access_episode(user=patient, pk=episode.pk)
    published_content()  # held by the process: its own test pins that
    # The last 60 days' figures, the first episode, the relief that helped before.
    with django_assert_max_num_queries(3):
        guidance = guidance_for_episode(episode=episode)
    assert guidance.prompts[0].key == "red_flag_urgent"


def test_history_facts_come_from_the_patients_own_earlier_episodes(guidance_content, patient, other_patient):
    import datetime

    from django.utils import timezone

    from tracker.guidance import facts_for_episode

    now = timezone.now()
    for days in (1, 3, 5, 8):
        services.episode_create(
            patient=patient, severity=8, started_at=now - datetime.timedelta(days=days),
            ended_at=now - datetime.timedelta(days=days) + datetime.timedelta(hours=1),
            relief=[{"measure": "massage", "effect": "much"}],
        )  # fmt: skip
    long_ago = now - datetime.timedelta(days=45)
    services.episode_create(patient=patient, severity=2, started_at=long_ago, ended_at=long_ago)
    EpisodeFactory.create_batch(3, patient=other_patient)
    episode = services.episode_create(patient=patient, severity=8)
    history = facts_for_episode(episode=episode).history
    assert (history.episodes_last_7d, history.episodes_last_30d) == (4, 5)
    assert history.trend == "worsening"
    assert history.weeks_since_first_episode == 6
    assert history.helpful_relief == ("massage",)
    guidance = guidance_for_episode(episode=episode, language="en")
    assert guidance.steps[0].key == "gentle_massage" and guidance.steps[0].helped_before
