"""Reads for guidance. ``guidance_for_episode`` is what pages and the API call."""

from guidance.engine import Guidance, evaluate
from guidance.facts import EpisodeFacts, Facts, ReliefFact


def guidance_for_episode(*, episode, language: str | None = None) -> Guidance:
    """The guidance for one episode (placeholder facts until the guidance issue lands)."""
    facts = Facts(
        episode=EpisodeFacts(
            severity=episode.severity,
            ongoing=episode.is_ongoing,
            locations=frozenset(episode.locations),
            descriptors=frozenset(episode.descriptors),
            triggers=frozenset(episode.triggers),
            red_flags=frozenset(episode.red_flags),
            mobility=episode.mobility,
            relief=tuple(ReliefFact(r.measure, r.effect) for r in episode.relief.all()),
        )
    )
    return evaluate(facts)
