"""Plain facts the guidance engine reads: no ORM objects, so the engine stays pure."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReliefFact:
    measure: str
    effect: str


@dataclass(frozen=True)
class EpisodeFacts:
    severity: int
    ongoing: bool = True
    minutes_since_start: int = 0
    locations: frozenset[str] = frozenset()
    descriptors: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    red_flags: frozenset[str] = frozenset()
    mobility: str = ""
    relief: tuple[ReliefFact, ...] = ()


@dataclass(frozen=True)
class HistoryFacts:
    episodes_last_7d: int = 0
    episodes_last_30d: int = 0
    trend: str = "unknown"  # improving | stable | worsening | unknown
    weeks_since_first_episode: int = 0
    # Measures this patient rated as helping ("some" or "much") in earlier episodes, best first.
    helpful_relief: tuple[str, ...] = ()
    # Measures this patient rated "made it worse" more often than helping, in earlier episodes.
    unhelpful_relief: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    episode: EpisodeFacts
    history: HistoryFacts = field(default_factory=HistoryFacts)


def sample_facts(
    *,
    severity: int,
    ongoing: bool = True,
    minutes_since_start: int = 0,
    locations=(),
    descriptors=(),
    triggers=(),
    red_flags=(),
    mobility: str = "",
    relief: tuple[ReliefFact, ...] = (),
    history: dict | None = None,
) -> Facts:
    """Facts for a described (not stored) episode: the admin preview page and API."""
    history = history or {}
    return Facts(
        episode=EpisodeFacts(
            severity=severity,
            ongoing=ongoing,
            minutes_since_start=minutes_since_start,
            locations=frozenset(locations),
            descriptors=frozenset(descriptors),
            triggers=frozenset(triggers),
            red_flags=frozenset(red_flags),
            mobility=mobility,
            relief=tuple(relief),
        ),
        history=HistoryFacts(
            episodes_last_7d=history.get("episodes_last_7d", 0),
            episodes_last_30d=history.get("episodes_last_30d", 0),
            trend=history.get("trend", "unknown"),
            weeks_since_first_episode=history.get("weeks_since_first_episode", 0),
            helpful_relief=tuple(history.get("helpful_relief", ())),
            unhelpful_relief=tuple(history.get("unhelpful_relief", ())),
        ),
    )
