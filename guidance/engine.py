"""The guidance engine: ``evaluate(facts) -> Guidance``. Pure: no database, no I/O."""

from dataclasses import dataclass, field

from guidance.facts import Facts

URGENCY_ORDER = ("emergency", "urgent", "soon", "routine")


@dataclass(frozen=True)
class GuidanceStep:
    key: str
    phase: str
    title: str
    body: str
    helped_before: bool = False


@dataclass(frozen=True)
class GuidancePrompt:
    key: str
    urgency: str
    text: str


@dataclass(frozen=True)
class Reason:
    rule: str
    fact: str
    detail: str = ""


@dataclass(frozen=True)
class Guidance:
    steps: tuple[GuidanceStep, ...] = ()
    prompts: tuple[GuidancePrompt, ...] = ()
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def evaluate(facts: Facts) -> Guidance:
    """Placeholder until the rule engine lands: the article's safe default."""
    return Guidance(
        steps=(
            GuidanceStep(
                key="rest_take_it_easy",
                phase="during",
                title="Rest and take it easy",
                body="Get plenty of rest, take it easy, and call your doctor if the pain gets worse.",
            ),
        ),
    )
