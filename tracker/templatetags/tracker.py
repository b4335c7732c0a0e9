import math
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.timezone import template_localtime

from tracker.choices import TAG_CHOICES, TagKind, labels_for
from tracker.insights.wording import decimal
from tracker.insights.wording import percent as as_percent

register = template.Library()


@register.filter
def labels(values, kind: str) -> list[str]:
    """Translated labels for a list of vocabulary slugs of one kind."""
    return labels_for(TAG_CHOICES[kind], values)


@register.filter
def severity_band(value) -> str:
    if value is None:
        return "none"
    return "high" if value >= 7 else "mid" if value >= 4 else "low"


@register.filter
def duration(episode) -> str:
    """How long an episode lasted, as "1 h 05 min" (cheaper than timesince in long tables)."""
    if episode.ended_at is None:
        return ""
    minutes = int((episode.ended_at - episode.started_at).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@register.filter
def elapsed(started_at) -> str:
    """Time since a start, as "1 h 05 min" (static/js/elapsed.js keeps it current the same way)."""
    minutes = max(0, int((timezone.now() - started_at).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@dataclass(frozen=True)
class EpisodeTableRow:
    """One row of a long episode table, every cell already text."""

    started_at: str
    severity: int
    ongoing: bool
    duration: str
    locations: str
    triggers: str
    red_flags: str


@register.simple_tag
def episode_table_rows(episodes) -> list[EpisodeTableRow]:
    """The cells of the summary's episode table, formatted in one pass.

    The text is what ``date:"j M Y H:i"``, ``duration`` and ``labels|join:", "`` give;
    a chain of filters per cell cost more than the rest of the page together once a
    period holds a hundred episodes. The start is written as Django's dateformat
    writes those five characters, with the month names translated once rather than
    the format parsed and the month translated again for every row.
    """
    months = {number: str(name).title() for number, name in MONTHS_3.items()}
    rows = []
    for episode in episodes:
        start = template_localtime(episode.started_at)
        rows.append(
            EpisodeTableRow(
                started_at=f"{start.day} {months[start.month]} {start.year:04d} {start.hour:02d}:{start.minute:02d}",
                severity=episode.severity,
                ongoing=episode.ended_at is None,
                duration=duration(episode),
                locations=", ".join(labels(episode.locations, TagKind.LOCATION)),
                triggers=", ".join(labels(episode.triggers, TagKind.TRIGGER)),
                red_flags=", ".join(labels(episode.red_flags, TagKind.RED_FLAG)),
            )
        )
    return rows


@register.filter
def percent(value) -> str:
    """A share (0-1) as a whole percentage, "42%"."""
    return as_percent(value)


@register.filter
def ratio(value) -> str:
    """A ratio or score with one decimal in the active language's format; "–" when missing."""
    if value is None:
        return "–"
    return "∞" if math.isinf(value) else decimal(value)
