"""The engine over the seeded content: each article situation and each red flag, alone
and combined, in English and Spanish (at least 40 scenarios)."""

import pytest
from django.utils import translation

from guidance import seed
from guidance.engine import EMPTY_CONTENT, evaluate
from guidance.facts import EpisodeFacts, Facts, HistoryFacts, ReliefFact
from guidance.rendering import render_markdown
from guidance.selectors import content_from_snapshot
from guidance.services import content_snapshot
from guidance.vocabulary import RedFlag


@pytest.fixture
def content(guidance_content):
    return content_from_snapshot(content_snapshot())


def facts(history=None, **episode) -> Facts:
    episode.setdefault("severity", 5)
    for name in ("locations", "descriptors", "triggers", "red_flags"):
        episode[name] = frozenset(episode.get(name, ()))
    return Facts(EpisodeFacts(**episode), history or HistoryFacts())


EMERGENCY = {"bladder_bowel", "saddle_numbness", "leg_weakness_numbness"}
URGENT = set(RedFlag.values) - EMERGENCY

# (name, facts, steps that must be there, prompts that must be there, first prompt or None;
#  "none": no prompt at all and no strain advice)
SCENARIOS = [
    (
        "mid-spasm, mild",
        facts(severity=3),
        {
            "get_to_chair",
            "gentle_massage",
            "slow_breathing",
            "alternate_heat_ice",
            "rest_take_it_easy",
            "gentle_stretch_if_comfortable",
        },
        set(),
        None,
    ),
    (
        "mid-spasm, severe",
        facts(severity=8),
        {"alternate_heat_ice", "nsaids_muscle_relaxants"},
        {"prepare_for_visit"},
        "prepare_for_visit",
    ),
    (
        "hard to move",
        facts(severity=6, mobility="cannot_move"),
        {"rest_take_it_easy"},
        {"severe_hard_to_move"},
        "severe_hard_to_move",
    ),
    (
        "severe, hard to bend",
        facts(severity=8, descriptors={"hard_to_move"}),
        set(),
        {"severe_hard_to_move"},
        None,
    ),
    (
        "heavy lifting",
        facts(triggers={"heavy_lifting"}),
        {"ice_heat_after_strain"},
        {"after_injury_or_activity"},
        None,
    ),
    (
        "moving furniture",
        facts(triggers={"moving_furniture"}),
        {"ice_heat_after_strain"},
        {"after_injury_or_activity"},
        None,
    ),
    ("sports", facts(triggers={"sports"}), {"ice_heat_after_strain"}, {"after_injury_or_activity"}, None),
    ("injury", facts(triggers={"injury"}), {"ice_heat_after_strain"}, {"after_injury_or_activity"}, None),
    (
        "straining activity",
        facts(triggers={"straining_activity"}),
        {"ice_heat_after_strain"},
        {"after_injury_or_activity"},
        None,
    ),
    ("unknown trigger: no strain advice", facts(triggers={"unknown"}), {"rest_take_it_easy"}, set(), "none"),
    ("leg pain, left", facts(locations={"leg_left"}), set(), {"leg_pain_nerve"}, None),
    ("leg pain, right", facts(locations={"leg_right", "lower_back_right"}), set(), {"leg_pain_nerve"}, None),
    ("worsening trend", facts(history=HistoryFacts(trend="worsening")), set(), {"pain_getting_worse"}, None),
    (
        "frequent flares",
        facts(history=HistoryFacts(episodes_last_30d=5)),
        {"physical_therapy", "core_strengthening"},
        {"frequent_flares"},
        None,
    ),
    (
        "chronic",
        facts(history=HistoryFacts(weeks_since_first_episode=13)),
        {"physical_therapy", "ask_about_injections", "diagnosis_before_chiropractic"},
        {"chronic"},
        None,
    ),
    (
        "no improvement",
        facts(history=HistoryFacts(weeks_since_first_episode=5, trend="stable", episodes_last_30d=3)),
        set(),
        {"no_improvement"},
        None,
    ),
    (
        "over: prevention",
        facts(ongoing=False),
        {
            "moderate_weight",
            "posture_low_heels",
            "core_strengthening",
            "avoid_too_much_bed_or_sitting",
            "doctor_before_exercise_programme",
        },
        set(),
        None,
    ),
    (
        "chiropractic tried",
        facts(relief=(ReliefFact("chiropractic", "some"),)),
        {"diagnosis_before_chiropractic"},
        set(),
        None,
    ),
    (
        "strain + leg + severe",
        facts(severity=9, triggers={"moving_furniture"}, locations={"leg_left"}),
        {"ice_heat_after_strain", "nsaids_muscle_relaxants"},
        {"after_injury_or_activity", "leg_pain_nerve", "prepare_for_visit"},
        None,
    ),
]
SCENARIOS += [
    (
        f"red flag {flag}",
        facts(red_flags={flag}),
        {"rest_take_it_easy"},
        {"red_flag_emergency"},
        "red_flag_emergency",
    )
    for flag in sorted(EMERGENCY)
]
SCENARIOS += [
    (f"red flag {flag}", facts(red_flags={flag}), set(), {"red_flag_urgent"}, "red_flag_urgent")
    for flag in sorted(URGENT)
]
SCENARIOS += [
    (
        f"red flag {flag} with a strain and leg pain",
        facts(severity=8, red_flags={flag}, triggers={"heavy_lifting"}, locations={"leg_right"}),
        {"ice_heat_after_strain"},
        {"leg_pain_nerve", "after_injury_or_activity"},
        "red_flag_emergency" if flag in EMERGENCY else "red_flag_urgent",
    )
    for flag in sorted(RedFlag.values)
]
SCENARIOS += [
    (
        "prolonged sitting, mild",
        facts(severity=2, triggers={"prolonged_sitting"}),
        {"gentle_stretch_if_comfortable"},
        set(),
        None,
    ),
    (
        "weakness, limited mobility",
        facts(severity=5, descriptors={"weakness"}, mobility="limited"),
        {"get_to_chair"},
        set(),
        None,
    ),
]
SCENARIOS += [
    (
        "emergency beats urgent",
        facts(red_flags={"fever", "saddle_numbness"}),
        set(),
        {"red_flag_emergency"},
        "red_flag_emergency",
    ),
    (
        "red flag over leg pain and strain",
        facts(red_flags={"major_trauma"}, triggers={"injury"}, locations={"leg_left"}),
        set(),
        {"red_flag_urgent", "leg_pain_nerve", "after_injury_or_activity"},
        "red_flag_urgent",
    ),
    (
        "red flag after the episode ended",
        facts(ongoing=False, red_flags={"bladder_bowel"}),
        {"moderate_weight"},
        {"red_flag_emergency"},
        "red_flag_emergency",
    ),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("name", "the_facts", "steps", "prompts", "first"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_scenario(content, language, name, the_facts, steps, prompts, first):
    with translation.override(language):
        guidance = evaluate(the_facts, content, language)
    step_keys = {step.key for step in guidance.steps}
    prompt_keys = [prompt.key for prompt in guidance.prompts]
    assert steps <= step_keys, name
    assert prompts <= set(prompt_keys), name
    if first == "none":  # no prompt, and no strain advice either
        assert prompt_keys == [] and "ice_heat_after_strain" not in step_keys
    elif first:
        assert prompt_keys[0] == first
    assert all(step.title and step.body for step in guidance.steps)
    expected_title = {s["key"]: s["title"][0 if language == "en" else 1] for s in seed.STEPS}
    assert all(step.title == expected_title[step.key] for step in guidance.steps)


def test_there_are_at_least_40_scenarios_each_run_in_both_languages():
    assert len(SCENARIOS) >= 40


def test_the_stretch_is_not_suggested_to_a_patient_who_cannot_move(content):
    keys = {s.key for s in evaluate(facts(severity=8, mobility="cannot_move"), content).steps}
    assert "gentle_stretch_if_comfortable" not in keys


def test_prompts_come_most_urgent_first(content):
    guidance = evaluate(
        facts(
            severity=9, red_flags={"fever"}, locations={"leg_left"}, history=HistoryFacts(episodes_last_30d=6)
        ),
        content,
    )
    order = ["emergency", "urgent", "soon", "routine"]
    ranks = [order.index(p.urgency) for p in guidance.prompts]
    assert ranks == sorted(ranks)


def test_what_helped_before_comes_first_and_says_so(content):
    guidance = evaluate(facts(history=HistoryFacts(helpful_relief=("massage", "heat"))), content)
    assert [s.key for s in guidance.steps[:2]] == ["gentle_massage", "alternate_heat_ice"]
    assert guidance.steps[0].helped_before and guidance.steps[1].helped_before
    assert not any(s.helped_before for s in guidance.steps[2:])
    assert any(r.rule == "helped_before" for r in guidance.reasons)


def test_a_measure_that_helped_before_does_not_override_the_rules_that_left_it_out(content):
    """Stretching helped last time, but this spasm is severe and the patient cannot move."""
    history = HistoryFacts(helpful_relief=("stretching", "heat"))
    guidance = evaluate(facts(severity=9, mobility="cannot_move", history=history), content)
    keys = [s.key for s in guidance.steps]
    assert "gentle_stretch_if_comfortable" not in keys
    assert keys[0] == "alternate_heat_ice" and guidance.steps[0].helped_before
    assert [s.key for s in guidance.helped_steps] == ["alternate_heat_ice"]
    assert [r.text for r in guidance.reasons if r.rule == "helped_before"] == ["Helped you before: Heat"]


def test_reasons_name_the_rule_and_the_fact(content):
    guidance = evaluate(facts(triggers={"injury"}), content)
    reason = next(r for r in guidance.reasons if r.rule == "After an injury or straining activity")
    assert "episode.triggers" in reason.fact and "injury" in reason.fact
    assert reason.text == "What set it off: An injury"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Warning signs: Fever", "Pain 8 out of 10", "Helped you before: Massage"]),
        ("es", ["Señales de alarma: Fiebre o malestar general", "Dolor 8 de 10", "Te ayudó antes: Masaje"]),
    ],
)
def test_reasons_tell_the_patient_why_in_their_own_words_and_language(content, language, expected):
    history = HistoryFacts(helpful_relief=("massage",))
    guidance = evaluate(facts(severity=8, red_flags={"fever"}, history=history), content, language)
    with translation.override(language):  # as the page or the API draws them
        texts = [reason.text for reason in guidance.reasons]
    assert all(text for text in texts)
    assert not any("episode." in text or "history." in text or "_" in text for text in texts)
    for sentence in expected:
        assert any(sentence in text for text in texts), (sentence, texts)


def test_the_timing_of_heat_and_ice_is_visible(content):
    step = next(s for s in evaluate(facts(), content).steps if s.key == "alternate_heat_ice")
    assert "15–20" in step.title and "<strong>15–20 minutes</strong>" in step.body


@pytest.mark.parametrize("flag", sorted(EMERGENCY))
def test_the_safety_floor_holds_with_no_content_at_all(flag):
    guidance = evaluate(facts(red_flags={flag}), EMPTY_CONTENT)
    assert guidance.prompts[0].key == "red_flag_emergency"
    assert guidance.prompts[0].urgency == "emergency"
    assert "emergency" in guidance.prompts[0].text


@pytest.mark.parametrize("flag", sorted(URGENT))
def test_the_urgent_floor_holds_with_no_content_at_all(flag):
    guidance = evaluate(facts(red_flags={flag}), EMPTY_CONTENT)
    assert [(p.key, p.urgency) for p in guidance.prompts] == [("red_flag_urgent", "urgent")]


def test_no_rule_matching_still_gives_the_safe_default():
    guidance = evaluate(facts(), EMPTY_CONTENT)
    assert [s.key for s in guidance.steps] == ["rest_take_it_easy"]
    assert "call your doctor if the pain gets worse" in guidance.steps[0].body
    assert guidance.reasons[-1].rule == "safe_default"


def test_an_admin_cannot_demote_the_red_flag_prompt(content):
    from dataclasses import replace

    demoted = replace(content.prompts["red_flag_emergency"], urgency="routine")
    tampered = replace(content, prompts={**content.prompts, "red_flag_emergency": demoted})
    guidance = evaluate(facts(red_flags={"bladder_bowel"}, locations={"leg_left"}), tampered)
    assert (guidance.prompts[0].key, guidance.prompts[0].urgency) == ("red_flag_emergency", "emergency")


def test_a_malformed_condition_never_raises(content):
    from dataclasses import replace

    from guidance.engine import RuleContent

    broken = RuleContent("broken", 1, ({"fact": "nope"}, {"op": "gte"}, "not-a-dict"), ("get_to_chair",), ())
    guidance = evaluate(facts(), replace(content, rules=(*content.rules, broken)))
    assert "broken" not in [r.rule for r in guidance.reasons]


def test_markdown_with_script_and_event_handlers_is_rendered_inert():
    html = render_markdown(
        'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3)) **ok**'
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<strong>ok</strong>" in html
