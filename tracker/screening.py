"""Reads for the warning-sign question ("Do you have any of these?") on an episode page."""

from dataclasses import dataclass

from guidance.vocabulary import EMERGENCY_RED_FLAGS, RED_FLAG_PLAIN, RedFlag
from tracker.models import Episode


@dataclass(frozen=True)
class Sign:
    slug: str
    title: str
    hint: str


@dataclass(frozen=True)
class WarningSignScreen:
    """What the page draws: the whole question while it needs an answer, else a folded
    "another sign?" with the signs not yet recorded."""

    ask: bool  # the question needs an answer
    required: bool  # severe, leg pain or reported worse: it cannot be folded away
    open: bool  # drawn unfolded
    signs: tuple[Sign, ...]


def warning_signs(*, recorded: frozenset[str] = frozenset()) -> tuple[Sign, ...]:
    """The signs to ask about, in the active language. Cauda equina signs come first: a
    patient who stops reading half way has seen the emergencies."""
    order = sorted(RedFlag.values, key=lambda slug: slug not in EMERGENCY_RED_FLAGS)
    return tuple(
        Sign(slug, str(RED_FLAG_PLAIN[slug][0]), str(RED_FLAG_PLAIN[slug][1]))
        for slug in order
        if slug not in recorded
    )


def warning_sign_screen(*, episode: Episode) -> WarningSignScreen:
    """The question for one episode, without the signs already recorded."""
    signs = warning_signs(recorded=frozenset(episode.red_flags))
    ask = episode.needs_red_flag_check
    required = ask and episode.red_flag_check_required
    return WarningSignScreen(
        ask=ask, required=required, open=ask and (required or episode.is_ongoing), signs=signs
    )
