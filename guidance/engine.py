"""The guidance engine: ``evaluate(facts, content) -> Guidance``. Pure: no database, no I/O.

1. Every active rule whose conditions all hold contributes its steps and prompts, and a
   reason naming the rule and the facts it read (for staff), with their values, which
   ``Reason.text`` says in the patient's words and language when the page is drawn.
2. The patient's relief history is respected: where heat or ice made it worse before,
   alternating them becomes the other one alone, with a note that says why; any other
   step whose measure made it worse carries the same kind of note. Of the steps left,
   those for measures this patient rated as helping before come first, marked as such. A
   measure no rule chose stays out: the rules may leave it out for a reason (no
   stretching when the patient cannot move, say).
3. Nothing matched: the article's safe default (rest, take it easy, call your doctor if
   the pain gets worse).
4. The safety floor, last so that nothing above can undo it: any red flag puts
   ``red_flag_emergency`` (cauda equina signs) or ``red_flag_urgent`` at the top, with
   built-in text if admins removed or unpublished the prompt.

Pages draw emergency, urgent and soon prompts above the steps and routine ones after
them (``Guidance.leading_prompts`` / ``trailing_prompts``): a reminder for the next visit
must not push the first step below the fold on a phone.
"""

import functools
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext

from guidance.conditions import describe, explain, holds, read
from guidance.facts import Facts
from guidance.vocabulary import EMERGENCY_RED_FLAGS, PHASE_ORDER, URGENCY_ORDER

# Prompts drawn above the steps; the others ("mention at your next visit") go after them.
LEADING_URGENCIES = frozenset({"emergency", "urgent", "soon"})

# The steps that carry each relief measure, for "what helped you before" and "made it worse".
STEPS_FOR_MEASURE = {
    "rest": ("rest_take_it_easy",),
    "ice": ("use_ice", "alternate_heat_ice", "ice_heat_after_strain"),
    "heat": ("use_heat", "alternate_heat_ice", "ice_heat_after_strain"),
    "ice_heat_alternating": ("alternate_heat_ice", "ice_heat_after_strain"),
    "massage": ("gentle_massage",),
    "breathing": ("slow_breathing",),
    "stretching": ("gentle_stretch_if_comfortable", "regular_stretching_chronic"),
    "nsaid": ("nsaids_muscle_relaxants",),
    "muscle_relaxant": ("nsaids_muscle_relaxants",),
    "physio": ("physical_therapy",),
    "chiropractic": ("diagnosis_before_chiropractic",),
}
# Steps that alternate heat and ice, and the step that keeps the one of them that did not
# make it worse.
HEAT_ICE_STEPS = ("alternate_heat_ice", "ice_heat_after_strain")
SINGLE_HEAT_ICE_STEP = {"ice": "use_heat", "heat": "use_ice"}  # made worse -> use the other
ARTICLE = "Back spasms: causes, treatment and prevention (patient article)"


def source_title(source: str) -> str:
    """What a patient is told the advice comes from: the guideline or the article."""
    return "NICE NG59" if source.startswith("NICE") else _article_title(get_language())


@functools.lru_cache(maxsize=32)
def _article_title(language: str | None) -> str:
    """The article's name in ``language`` (the active one): said once per step."""
    return gettext("Back spasm article")


@dataclass(frozen=True)
class GuidanceStep:
    key: str
    phase: str
    title: str
    body: str  # sanitised HTML
    helped_before: bool = False
    source: str = ""
    note: str = ""  # said to this patient only ("Ice made it worse for you before...")

    @property
    def source_title(self) -> str:
        return source_title(self.source)


@dataclass(frozen=True)
class GuidancePrompt:
    key: str
    urgency: str
    text: str
    source: str = ""

    @property
    def source_title(self) -> str:
        return source_title(self.source)


@dataclass(frozen=True)
class Reason:
    rule: str
    fact: str
    detail: str = ""
    read: tuple[tuple[str, object], ...] = ()  # (fact, value) pairs the rule looked at

    @property
    def text(self) -> str:
        """Why, in the patient's words and the active language ("Pain 8 out of 10")."""
        sentences = dict.fromkeys(sentence for fact, value in self.read if (sentence := explain(fact, value)))
        return "; ".join(sentences) or gettext("General advice")


@dataclass(frozen=True)
class Guidance:
    steps: tuple[GuidanceStep, ...] = ()
    prompts: tuple[GuidancePrompt, ...] = ()
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def helped_steps(self) -> tuple[GuidanceStep, ...]:
        return tuple(step for step in self.steps if step.helped_before)

    @property
    def other_steps(self) -> tuple[GuidanceStep, ...]:
        return tuple(step for step in self.steps if not step.helped_before)

    @property
    def leading_prompts(self) -> tuple[GuidancePrompt, ...]:
        """Drawn above the steps: emergency, urgent and soon."""
        return tuple(p for p in self.prompts if p.urgency in LEADING_URGENCIES)

    @property
    def trailing_prompts(self) -> tuple[GuidancePrompt, ...]:
        """Drawn after the steps: "mention at your next visit"."""
        return tuple(p for p in self.prompts if p.urgency not in LEADING_URGENCIES)

    @property
    def has_emergency(self) -> bool:
        return any(prompt.urgency == "emergency" for prompt in self.prompts)

    def steps_by_phase(self) -> list[tuple[str, list[GuidanceStep]]]:
        groups: dict[str, list[GuidanceStep]] = {}
        for step in self.steps:
            groups.setdefault(step.phase, []).append(step)
        return list(groups.items())


@dataclass(frozen=True)
class StepContent:
    key: str
    phase: str
    order: int
    title: dict[str, str]
    body_html: dict[str, str]
    source: str = ""


@dataclass(frozen=True)
class PromptContent:
    key: str
    urgency: str
    text: dict[str, str]
    source: str = ""


@dataclass(frozen=True)
class RuleContent:
    name: str
    priority: int
    conditions: tuple[dict, ...]
    step_keys: tuple[str, ...] = ()
    prompt_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    """Everything the engine needs to know about the guidance content, as plain data."""

    steps: dict[str, StepContent] = field(default_factory=dict)
    prompts: dict[str, PromptContent] = field(default_factory=dict)
    rules: tuple[RuleContent, ...] = ()


EMPTY_CONTENT = Content()
GUIDELINE = "NICE NG59: Low back pain and sciatica in over 16s (2016, updated 2020)"


def _fallback_prompt(key: str) -> GuidancePrompt:
    """Built-in text for the safety floor, used when the published content lacks the prompt."""
    if key == "red_flag_emergency":
        text = gettext(
            "Seek medical care now: call your local emergency number or go to an emergency department. "
            "These signs can mean pressure on the nerves at the base of the spine (cauda equina syndrome)."
        )
        return GuidancePrompt(key, "emergency", text, GUIDELINE)
    if key == "red_flag_urgent":
        text = gettext(
            "See a doctor today. Together with back pain, this warning sign needs a doctor to check it."
        )
        return GuidancePrompt(key, "urgent", text, GUIDELINE)
    raise KeyError(key)


def _fallback_rest_step() -> GuidanceStep:
    return GuidanceStep(
        key="rest_take_it_easy",
        phase="during",
        title=gettext("Rest and take it easy"),
        body="<p>"
        + gettext("Get plenty of rest, take it easy, and call your doctor if the pain gets worse.")
        + "</p>",
        source=ARTICLE,
    )


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or ""


def _step(
    content: Content, key: str, language: str, helped_before: bool = False, note: str = ""
) -> GuidanceStep | None:
    step = content.steps.get(key)
    if step is None:
        return _fallback_rest_step() if key == "rest_take_it_easy" else None
    return GuidanceStep(
        key=key,
        phase=step.phase,
        title=_pick(step.title, language),
        body=_pick(step.body_html, language),
        helped_before=helped_before,
        source=step.source or ARTICLE,
        note=note,
    )


def _made_worse_note(measure: str) -> str:
    return {
        "ice": gettext("Ice made it worse for you before, so this leaves ice out."),
        "heat": gettext("Heat made it worse for you before, so this leaves heat out."),
    }.get(measure) or gettext("You said this made it worse before: stop if it does again.")


def _respect_relief_history(
    step_keys: list[str], facts: Facts, content: Content
) -> tuple[list[str], dict[str, str], Reason | None]:
    """2. The chosen steps with heat/ice swapped for the one that did not make it worse, a
    note for each step whose measure made it worse before, and the reason saying so."""
    worse = set(facts.history.unhelpful_relief)
    notes: dict[str, str] = {}
    keys = list(step_keys)
    if worse & {"heat", "ice"} and any(key in keys for key in HEAT_ICE_STEPS):
        made_worse = [m for m in ("ice", "heat") if m in worse]
        single = SINGLE_HEAT_ICE_STEP[made_worse[0]] if len(made_worse) == 1 else None
        index = min(keys.index(key) for key in HEAT_ICE_STEPS if key in keys)
        keys = [key for key in keys if key not in HEAT_ICE_STEPS]
        if single and single in content.steps:
            keys.insert(index, single)
            notes[single] = _made_worse_note(made_worse[0])
    for measure in worse:
        for key in STEPS_FOR_MEASURE.get(measure, ()):
            if key in keys and key not in notes:
                notes[key] = _made_worse_note(measure)
    keys = list(dict.fromkeys(keys))
    chosen = set(step_keys)
    if not notes and chosen == set(keys):
        return keys, notes, None
    measures = [m for m in facts.history.unhelpful_relief if set(STEPS_FOR_MEASURE.get(m, ())) & chosen]
    reason = Reason(
        rule="made_worse_before",
        fact="history.unhelpful_relief",
        detail=", ".join(notes),
        read=(("history.unhelpful_relief", measures),),
    )
    return keys, notes, reason


def phase_steps(content: Content, phase: str, language: str) -> tuple[GuidanceStep, ...]:
    """Every step of one phase in its order, whatever the rules pick: what an app that
    has lost its connection shows during a spasm (issue 15)."""
    keys = sorted((s.order, s.key) for s in content.steps.values() if s.phase == phase)
    steps = tuple(step for _, key in keys if (step := _step(content, key, language)) is not None)
    return steps or (_fallback_rest_step(),)


def resolve_prompt(content: Content, key: str, language: str) -> GuidancePrompt | None:
    prompt = content.prompts.get(key)
    if prompt is None:
        return _fallback_prompt(key) if key.startswith("red_flag_") else None
    return GuidancePrompt(key, prompt.urgency, _pick(prompt.text, language), prompt.source or ARTICLE)


def evaluate(facts: Facts, content: Content = EMPTY_CONTENT, language: str = "en") -> Guidance:
    """The module docstring's four steps, one function each."""
    step_keys, prompt_keys, reasons = _matching_rules(facts, content)
    step_keys, notes, worse_reason = _respect_relief_history(step_keys, facts, content)
    if worse_reason is not None:
        reasons.append(worse_reason)
    helped_keys, helped_reason = _helped_before(facts, step_keys)
    if helped_reason is not None:
        reasons.append(helped_reason)
    steps = _ordered_steps(content, step_keys, helped_keys, notes, language)
    if not steps:
        steps = [_step(content, "rest_take_it_easy", language) or _fallback_rest_step()]
        reasons.append(Reason(rule="safe_default", fact="no rule matched"))
    floor, floor_reason = _safety_floor(facts, content, language)
    if floor_reason is not None:
        reasons.insert(0, floor_reason)
    prompts = _rule_prompts(content, prompt_keys, language)
    return Guidance(steps=tuple(steps), prompts=tuple(floor + prompts), reasons=tuple(reasons))


def _matching_rules(facts: Facts, content: Content) -> tuple[list[str], list[str], list[Reason]]:
    """1. The steps and prompts of every rule whose conditions all hold, with a reason for each."""
    step_keys: list[str] = []
    prompt_keys: list[str] = []
    reasons: list[Reason] = []
    for rule in sorted(content.rules, key=lambda r: (r.priority, r.name)):
        if all(holds(condition, facts) for condition in rule.conditions):
            step_keys += [k for k in rule.step_keys if k not in step_keys]
            prompt_keys += [k for k in rule.prompt_keys if k not in prompt_keys]
            facts_read = "; ".join(describe(c, facts) for c in rule.conditions) or "always"
            looked_at = tuple(read(c["fact"], facts) for c in rule.conditions)
            reasons.append(Reason(rule=rule.name, fact=facts_read, read=looked_at))
    return step_keys, prompt_keys, reasons


def _helped_before(facts: Facts, step_keys: list[str]) -> tuple[list[str], Reason | None]:
    """2. The chosen steps that carry a measure this patient rated as helping, best first; a
    step helped only if nothing it carries made it worse (heat did, ice did not...)."""
    worse = set(facts.history.unhelpful_relief)
    measures = [m for m in facts.history.helpful_relief if m not in worse]
    helped = [key for m in measures for key in STEPS_FOR_MEASURE.get(m, ()) if key in step_keys]
    carried_worse = {key for m in worse for key in STEPS_FOR_MEASURE.get(m, ())}
    helped_keys = [key for key in dict.fromkeys(helped) if key not in carried_worse]
    if not helped_keys:
        return helped_keys, None
    reason = Reason(
        rule="helped_before",
        fact="history.helpful_relief",
        detail=", ".join(helped_keys),
        read=(
            (
                "history.helpful_relief",
                [m for m in measures if set(STEPS_FOR_MEASURE.get(m, ())) & set(helped_keys)],
            ),
        ),
    )
    return helped_keys, reason


def _ordered_steps(
    content: Content, step_keys: list[str], helped_keys: list[str], notes: dict[str, str], language: str
) -> list[GuidanceStep]:
    """The helped steps first, then the others by phase and their order within it."""
    steps: list[GuidanceStep] = []
    for key in helped_keys:
        step = _step(content, key, language, helped_before=True, note=notes.get(key, ""))
        if step is not None:
            steps.append(step)
    others = [
        s
        for k in step_keys
        if k not in helped_keys and (s := _step(content, k, language, note=notes.get(k, "")))
    ]
    order = {key: (content.steps[key].order if key in content.steps else 0) for key in step_keys}
    steps += sorted(others, key=lambda s: (PHASE_ORDER.get(s.phase, 99), order.get(s.key, 0)))
    return steps


def _rule_prompts(content: Content, prompt_keys: list[str], language: str) -> list[GuidancePrompt]:
    """The rules' doctor prompts, most urgent first; red-flag prompts are the floor's alone."""
    prompts = [
        p
        for k in prompt_keys
        if not k.startswith("red_flag_") and (p := resolve_prompt(content, k, language))
    ]
    prompts.sort(key=lambda p: URGENCY_ORDER.get(p.urgency, 99))
    return prompts


def _safety_floor(
    facts: Facts, content: Content, language: str
) -> tuple[list[GuidancePrompt], Reason | None]:
    """4. Any red flag: the emergency (cauda equina signs) or urgent prompt, whatever the rules said."""
    red_flags = facts.episode.red_flags
    if not red_flags:
        return [], None
    key = "red_flag_emergency" if red_flags & EMERGENCY_RED_FLAGS else "red_flag_urgent"
    prompt = resolve_prompt(content, key, language)
    # A published prompt's urgency is admin-editable; the floor's urgency is not.
    urgency = "emergency" if key == "red_flag_emergency" else "urgent"
    reason = Reason(
        "safety_floor",
        "episode.red_flags",
        ", ".join(sorted(red_flags)),
        read=(read("episode.red_flags", facts),),
    )
    return [GuidancePrompt(prompt.key, urgency, prompt.text, prompt.source)], reason
