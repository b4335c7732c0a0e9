import pytest
from django.urls import reverse

from guidance.admin import RuleForm
from guidance.models import ContentRelease, Step
from tests.factories import EpisodeFactory
from tracker.services import episode_create, episode_end

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ('[{"fact": "episode.mood", "op": "eq", "value": 1}]', "unknown fact"),
        ('[{"fact": "episode.severity", "op": "roughly", "value": 7}]', "unknown operator"),
        (
            '[{"fact": "episode.triggers", "op": "contains_any", "value": ["alien_abduction"]}]',
            "unknown value",
        ),
        ('[{"fact": "episode.severity", "op": "gte", "value": "seven"}]', "whole number"),
        ('[{"fact": "episode.severity", "op": "gte"]', "not valid JSON"),
        ('{"fact": "episode.severity"}', "must be a list"),
    ],
)
def test_the_rule_form_refuses_bad_conditions_with_a_message(guidance_content, conditions, message):
    form = RuleForm(data={"name": "x", "priority": 1, "active": True, "conditions": conditions})
    assert not form.is_valid()
    assert message in " ".join(form.errors["conditions"])


def test_the_rule_form_accepts_a_valid_rule(guidance_content):
    form = RuleForm(
        data={
            "name": "Severe at night",
            "priority": 5,
            "active": True,
            "conditions": '[{"fact": "episode.severity", "op": "gte", "value": 7}]',
            "steps": [Step.objects.get(key="slow_breathing").pk],
        }
    )
    assert form.is_valid(), form.errors


def test_the_admin_saves_a_new_version_with_who_and_when(client, staff, guidance_content):
    from reversion.models import Version

    client.force_login(staff)
    step = Step.objects.get(key="slow_breathing")
    url = reverse("admin:guidance_step_change", args=[step.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "key": step.key, "phase": step.phase, "order": step.order, "title_en": "Breathe out slowly",
        "title_es": step.title_es, "body_en": step.body_en, "body_es": step.body_es, "source": step.source,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = Version.objects.get_for_object(step).first()
    assert version.revision.user == staff
    assert version.field_dict["title_en"] == "Breathe out slowly"


def test_preview_and_publish_pages_are_404_for_everyone_but_staff(client, patient, clinician):
    for user in (None, patient, clinician):
        if user:
            client.force_login(user)
        assert client.get(reverse("guidance:preview")).status_code == 404
        assert client.post(reverse("guidance:publish")).status_code == 404
    assert ContentRelease.objects.count() == 0


def test_staff_preview_the_working_copy_in_spanish_and_publish(client, staff, guidance_content):
    client.force_login(staff)
    Step.objects.filter(key="get_to_chair").update(title_es="Siéntate con cuidado")
    response = client.get(reverse("guidance:preview"), {"severity": 5, "ongoing": "on", "minutes_since_start": 5,
        "episodes_last_7d": 0, "episodes_last_30d": 0, "trend": "unknown", "weeks_since_first_episode": 0,
        "language": "es"})  # fmt: skip
    page = response.content.decode()
    assert "Siéntate con cuidado" in page
    # The whole panel in the preview's language, not only the content: headings and labels too.
    assert "Qué hacer ahora" in page and "Durante el espasmo" in page
    assert "What to do now" not in page
    client.post(reverse("guidance:publish"), {"note": "New Spanish title"})
    latest = ContentRelease.objects.latest()
    assert latest.published_by == staff
    assert latest.snapshot["steps"]["get_to_chair"]["title"]["es"] == "Siéntate con cuidado"


def test_the_preview_api_is_404_for_non_staff_and_works_for_staff(
    api_client, patient, staff, guidance_content
):
    body = {"severity": 8, "red_flags": ["saddle_numbness"], "language": "es"}
    api_client.force_authenticate(patient)
    assert api_client.post("/api/guidance/preview/", body, format="json").status_code == 404
    api_client.force_authenticate(staff)
    response = api_client.post("/api/guidance/preview/", body, format="json")
    assert response.status_code == 200
    prompt = response.json()["prompts"][0]
    assert prompt["key"] == "red_flag_emergency" and prompt["text"].startswith("Busca atención médica ya")
    assert api_client.post("/api/guidance/preview/", {"severity": 12}, format="json").status_code == 400


def test_episode_guidance_api_is_404_for_another_patients_episode(patient_api, other_patient):
    theirs = EpisodeFactory(patient=other_patient)
    assert patient_api.get(f"/api/episodes/{theirs.pk}/guidance/").status_code == 404


def test_the_safety_floor_holds_when_admins_deactivate_every_rule_and_publish(
    patient_client, patient, staff, guidance_content
):
    from guidance.models import DoctorPrompt, Rule
    from guidance.services import content_publish

    Rule.objects.update(active=False)
    DoctorPrompt.objects.filter(key__startswith="red_flag_").delete()
    content_publish(user=staff, note="everything off")
    episode = episode_create(patient=patient, severity=9, red_flags=["saddle_numbness"])
    page = patient_client.get(reverse("episode_detail", args=[episode.pk])).content.decode()
    assert "prompt-emergency" in page and 'href="tel:112"' in page
    episode_end(episode=episode)
    calm = episode_create(patient=patient, severity=3)
    page = patient_client.get(reverse("episode_detail", args=[calm.pk])).content.decode()
    assert 'data-step="rest_take_it_easy"' in page  # the safe default, with no rule at all


def test_the_call_button_dials_the_configured_emergency_number(
    patient_client, patient, guidance_content, settings
):
    settings.EMERGENCY_NUMBER = "999"
    episode = episode_create(patient=patient, severity=9, red_flags=["bladder_bowel"])
    page = patient_client.get(reverse("episode_detail", args=[episode.pk])).content.decode()
    assert 'href="tel:999"' in page and "Call 999 now" in page


def test_steps_that_helped_before_have_their_own_heading_and_the_phases_keep_theirs(
    patient_client, patient, guidance_content
):
    episode_end(
        episode=episode_create(patient=patient, severity=5, relief=[{"measure": "heat", "effect": "much"}])
    )
    episode = episode_create(patient=patient, severity=4)
    page = patient_client.get(reverse("episode_detail", args=[episode.pk])).content.decode()
    helped = page.split("What helped you before")[1].split("During the spasm")[0]
    assert helped.count('<li class="step') == 1 and 'data-step="alternate_heat_ice"' in helped
    assert 'data-step="get_to_chair"' in page.split("During the spasm")[1]


def test_each_episode_keeps_the_guidance_published_when_it_was_saved(
    patient, other_patient, staff, guidance_content
):
    from guidance.models import Step
    from guidance.services import content_publish
    from tracker.guidance import guidance_as_given

    before = episode_create(patient=patient, severity=4)
    Step.objects.filter(key="get_to_chair").update(title_en="Sit down on a firm chair")
    content_publish(user=staff, note="new title")
    after = episode_create(patient=other_patient, severity=4)  # each patient has one ongoing episode

    titles = [
        {step.key: step.title for step in guidance.steps}["get_to_chair"]
        for guidance in guidance_as_given(episodes=[before, after], language="en")
    ]
    assert titles[0] != "Sit down on a firm chair" and titles[1] == "Sit down on a firm chair"
