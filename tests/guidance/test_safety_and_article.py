"""The engine over the seeded content: ordering, the stretch step, relief history, the rest
of the article and sources (issue 11, items 3-8)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from guidance import seed
from guidance.engine import EMPTY_CONTENT, evaluate
from guidance.facts import EpisodeFacts, Facts, HistoryFacts
from guidance.models import Rule, Step
from guidance.selectors import content_from_snapshot, published_content
from guidance.services import content_snapshot
from tracker import services
from tracker.choices import RedFlag
from tracker.guidance import guidance_for_episode
from tracker.selectors import access_episode


@pytest.fixture
def content(guidance_content):
    return content_from_snapshot(content_snapshot())


def facts(history=None, **episode) -> Facts:
    episode.setdefault("severity", 5)
    for name in ("locations", "descriptors", "triggers", "red_flags"):
        episode[name] = frozenset(episode.get(name, ()))
    return Facts(EpisodeFacts(**episode), history or HistoryFacts())


DURING = "during"


# --- item 4: ordering -------------------------------------------------------------------------


def test_with_only_a_routine_prompt_the_steps_come_first(content):
    guidance = evaluate(facts(severity=8), content)
    assert [p.urgency for p in guidance.prompts] == ["routine"]
    assert guidance.leading_prompts == ()
    assert [p.key for p in guidance.trailing_prompts] == ["prepare_for_visit"]


def test_soon_prompts_lead_and_routine_ones_still_trail(content):
    guidance = evaluate(facts(severity=8, locations={"leg_left"}), content)
    assert [p.key for p in guidance.leading_prompts] == ["leg_pain_nerve"]
    assert [p.key for p in guidance.trailing_prompts] == ["prepare_for_visit"]


@pytest.mark.parametrize("flag", sorted(RedFlag.values))
def test_a_red_flag_leads_whatever_else_is_prompted(content, flag):
    guidance = evaluate(facts(severity=8, red_flags={flag}), content)
    assert guidance.leading_prompts[0].key.startswith("red_flag_")


# --- item 5: the stretch ----------------------------------------------------------------------


@pytest.mark.parametrize("severity", [2, 6, 7, 8, 10])
def test_the_stretch_is_shown_at_any_severity_last_among_the_during_steps(content, severity):
    steps = evaluate(facts(severity=severity), content).steps
    during = [s.key for s in steps if s.phase == DURING]
    assert during[-1] == "gentle_stretch_if_comfortable"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_stretch_carries_the_articles_caution(content, language):
    steps = evaluate(facts(severity=9), content, language).steps
    body = next(s.body for s in steps if s.key == "gentle_stretch_if_comfortable")
    caution = {"en": ("only go ahead if you feel comfortable", "swelling"), "es": ("solo si", "inflamación")}
    assert all(words in body for words in caution[language])


@pytest.mark.parametrize("mobility", ["", "normal", "limited", "hard_to_move"])
def test_the_stretch_is_offered_unless_the_patient_cannot_move(content, mobility):
    keys = {s.key for s in evaluate(facts(severity=8, mobility=mobility), content).steps}
    assert "gentle_stretch_if_comfortable" in keys


def test_the_stretch_is_not_offered_once_the_spasm_is_over(content):
    keys = {s.key for s in evaluate(facts(ongoing=False), content).steps}
    assert "gentle_stretch_if_comfortable" not in keys


def test_an_install_seeded_before_picks_up_the_new_stretch_rule_unless_an_admin_changed_it(guidance_content):
    old = seed.REVISIONS[0]["old"]
    Rule.objects.filter(name="Gentle stretch when the pain allows").update(conditions=old)
    Step.objects.filter(key="gentle_stretch_if_comfortable").update(order=5, body_en="Edited by an admin.")
    call_command("load_guidance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Rule.objects.get(name="Gentle stretch when the pain allows").conditions == seed.STRETCH_CONDITIONS
    step = Step.objects.get(key="gentle_stretch_if_comfortable")
    assert step.order == seed.STRETCH_ORDER
    assert step.body_en == "Edited by an admin."  # not the old seeded text: left alone
    keys = {s.key for s in evaluate(facts(severity=9), published_content()).steps}
    assert "gentle_stretch_if_comfortable" in keys


# --- item 6: relief history -------------------------------------------------------------------

HEAT_HELPED_ICE_WORSE = HistoryFacts(helpful_relief=("heat",), unhelpful_relief=("ice",))


def test_heat_helped_and_ice_made_it_worse_suggests_heat_not_alternating(content):
    guidance = evaluate(facts(history=HEAT_HELPED_ICE_WORSE), content)
    keys = [s.key for s in guidance.steps]
    assert "alternate_heat_ice" not in keys and "use_ice" not in keys
    assert [s.key for s in guidance.helped_steps] == ["use_heat"]
    assert guidance.steps[0].key == "use_heat"
    assert guidance.steps[0].note == "Ice made it worse for you before, so this leaves ice out."


def test_after_a_strain_heat_alone_replaces_alternating_too(content):
    guidance = evaluate(facts(triggers={"heavy_lifting"}, history=HEAT_HELPED_ICE_WORSE), content)
    keys = [s.key for s in guidance.steps]
    assert "ice_heat_after_strain" not in keys and keys.count("use_heat") == 1


def test_ice_made_it_worse_is_said_in_spanish(content):
    with translation.override("es"):
        step = evaluate(facts(history=HEAT_HELPED_ICE_WORSE), content, "es").steps[0]
    assert step.key == "use_heat" and "hielo" in step.note and step.title.startswith("Usa calor")


def test_heat_made_it_worse_suggests_ice_alone(content):
    history = HistoryFacts(unhelpful_relief=("heat",))
    guidance = evaluate(facts(history=history), content)
    keys = [s.key for s in guidance.steps]
    assert "use_ice" in keys and "alternate_heat_ice" not in keys
    assert not guidance.helped_steps


def test_both_heat_and_ice_made_it_worse_suggests_neither(content):
    history = HistoryFacts(unhelpful_relief=("heat", "ice"))
    keys = {s.key for s in evaluate(facts(history=history), content).steps}
    assert not keys & {"alternate_heat_ice", "use_heat", "use_ice"}


def test_another_measure_that_made_it_worse_is_flagged_on_its_step(content):
    history = HistoryFacts(unhelpful_relief=("massage",))
    massage = next(s for s in evaluate(facts(history=history), content).steps if s.key == "gentle_massage")
    assert massage.note and not massage.helped_before


def test_the_reasons_say_what_made_it_worse(content):
    guidance = evaluate(facts(history=HEAT_HELPED_ICE_WORSE), content)
    texts = [r.text for r in guidance.reasons]
    assert "Made it worse before: Ice" in texts and "Helped you before: Heat" in texts


def test_the_history_facts_know_what_made_it_worse(guidance_content, patient):
    earlier = timezone.now() - datetime.timedelta(days=3)
    services.episode_create(
        patient=patient,
        severity=6,
        started_at=earlier,
        ended_at=earlier + datetime.timedelta(hours=1),
        relief=[{"measure": "heat", "effect": "much"}, {"measure": "ice", "effect": "worse"}],
    )
    episode = services.episode_create(patient=patient, severity=6)
    guidance = guidance_for_episode(episode=access_episode(user=patient, pk=episode.pk), language="en")
    assert guidance.steps[0].key == "use_heat" and guidance.steps[0].helped_before
    assert "alternate_heat_ice" not in [s.key for s in guidance.steps]


# --- item 3, end to end -----------------------------------------------------------------------


def test_a_climb_over_twelve_days_with_nothing_earlier_prompts_a_call_to_the_doctor(
    guidance_content, patient
):
    now = timezone.now()
    for days_ago, severity in [(12, 3), (9, 5), (6, 6), (3, 8)]:
        at = now - datetime.timedelta(days=days_ago)
        services.episode_create(
            patient=patient, severity=severity, started_at=at, ended_at=at + datetime.timedelta(hours=1)
        )
    episode = services.episode_create(patient=patient, severity=9)
    guidance = guidance_for_episode(episode=access_episode(user=patient, pk=episode.pk), language="en")
    assert "pain_getting_worse" in [p.key for p in guidance.leading_prompts]


# --- item 7: the rest of the article ----------------------------------------------------------


@pytest.mark.parametrize(
    "history", [HistoryFacts(weeks_since_first_episode=14), HistoryFacts(episodes_last_30d=5)]
)
def test_regular_stretching_is_suggested_for_chronic_or_frequent_spasms_between_flares(content, history):
    assert "regular_stretching_chronic" in {
        s.key for s in evaluate(facts(ongoing=False, history=history), content).steps
    }
    assert "regular_stretching_chronic" not in {
        s.key for s in evaluate(facts(history=history), content).steps
    }


@pytest.mark.parametrize(
    "the_facts",
    [
        facts(severity=8),
        facts(locations={"leg_right"}),
        facts(history=HistoryFacts(trend="worsening")),
        facts(history=HistoryFacts(weeks_since_first_episode=13)),
        facts(mobility="hard_to_move"),
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_patient_sent_to_a_doctor_learns_what_tests_they_may_order(content, the_facts, language):
    step = next(s for s in evaluate(the_facts, content, language).steps if s.key == "tests_doctor_may_order")
    words = {
        "en": ("X-ray", "MRI or CT", "arthritis", "discs"),
        "es": ("radiografía", "TAC", "artrosis", "discos"),
    }
    assert all(word in step.body for word in words[language])
    assert step.phase == "doctor_visit"


def test_a_mild_spasm_is_not_told_about_scans(content):
    assert "tests_doctor_may_order" not in {s.key for s in evaluate(facts(severity=3), content).steps}


# --- item 8: sources --------------------------------------------------------------------------


def test_every_step_and_prompt_names_its_source(content):
    everything = facts(
        severity=9,
        red_flags={"fever", "saddle_numbness"},
        triggers={"injury"},
        locations={"leg_left"},
        history=HistoryFacts(weeks_since_first_episode=13, episodes_last_30d=6, trend="worsening"),
    )
    guidance = evaluate(everything, content)
    assert all(s.source and s.source_title for s in (*guidance.steps, *guidance.prompts))
    assert guidance.prompts[0].source_title == "NICE NG59"
    assert {s.source_title for s in guidance.steps} == {"Back spasm article"}


def test_the_built_in_floor_and_default_name_their_sources_too():
    guidance = evaluate(facts(red_flags={"fever"}), EMPTY_CONTENT)
    assert guidance.prompts[0].source_title == "NICE NG59"
    assert guidance.steps[0].source_title == "Back spasm article"


def test_an_admins_source_edit_reaches_patients_once_published(guidance_content):
    from guidance.services import content_publish

    Step.objects.filter(key="get_to_chair").update(source="NICE NG59 section 1.2")
    content_publish(note="source")
    step = next(
        s
        for s in evaluate(facts(), content_from_snapshot(content_snapshot())).steps
        if s.key == "get_to_chair"
    )
    assert step.source == "NICE NG59 section 1.2" and step.source_title == "NICE NG59"


def test_the_admin_edits_a_prompts_source_and_patients_see_it_once_published(client, staff, guidance_content):
    from django.urls import reverse

    from guidance.models import DoctorPrompt
    from guidance.services import content_publish

    client.force_login(staff)
    prompt = DoctorPrompt.objects.get(key="leg_pain_nerve")
    url = reverse("admin:guidance_doctorprompt_change", args=[prompt.pk])
    assert 'name="source"' in client.get(url).content.decode()
    data = {
        "key": prompt.key, "urgency": prompt.urgency, "text_en": prompt.text_en, "text_es": prompt.text_es,
        "source": "Arthritis in the lower back can put pressure on the spinal cord (edited).",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    content_publish(note="source edited")
    guidance = evaluate(facts(locations={"leg_left"}), content_from_snapshot(content_snapshot()))
    leg = next(p for p in guidance.prompts if p.key == "leg_pain_nerve")
    assert leg.source.endswith("(edited).") and leg.source_title == "Back spasm article"
