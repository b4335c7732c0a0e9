"""The clinician's compact timeline: one line per episode, its guidance folded into one line
that names how much was shown and the most urgent prompt, with the content release then
in force."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from guidance.engine import GuidancePrompt
from tracker.choices import HELPFUL_EFFECTS, ReliefEffect
from tracker.guidance import GivenGuidance, guidance_given
from tracker.models import Episode, ReliefTried

# The prompt's urgency as the folded line says it ("Shown: 4 steps, prompt: see a doctor soon").
URGENCY_PHRASES = {
    "emergency": _("seek care now"),
    "urgent": _("see a doctor today"),
    "soon": _("see a doctor soon"),
    "routine": _("mention it at the next visit"),
}


@dataclass(frozen=True)
class TimelineEntry:
    episode: Episode
    given: GivenGuidance
    relief_helped: tuple[ReliefTried, ...]
    relief_worse: tuple[ReliefTried, ...]

    @property
    def top_prompt(self) -> GuidancePrompt | None:
        """The most urgent prompt shown (the engine orders them, most urgent first)."""
        prompts = self.given.guidance.prompts
        return prompts[0] if prompts else None

    @property
    def top_prompt_phrase(self) -> str:
        prompt = self.top_prompt
        return str(URGENCY_PHRASES.get(prompt.urgency, prompt.urgency)) if prompt else ""


def timeline_entries(*, episodes: list[Episode]) -> list[TimelineEntry]:
    """A page of one patient's episodes (tags and relief prefetched) with the guidance each
    got: three queries for the guidance whatever the page's size (``guidance_given``)."""
    entries = []
    for episode, given in zip(episodes, guidance_given(episodes=episodes), strict=True):
        relief = list(episode.relief.all())
        entries.append(
            TimelineEntry(
                episode=episode,
                given=given,
                relief_helped=tuple(r for r in relief if r.effect in HELPFUL_EFFECTS),
                relief_worse=tuple(r for r in relief if r.effect == ReliefEffect.WORSE),
            )
        )
    return entries
