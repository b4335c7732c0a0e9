from django import template

from tracker.choices import TAG_CHOICES

register = template.Library()


@register.filter
def labels(values, kind: str) -> list[str]:
    """Translated labels for a list of vocabulary slugs of one kind."""
    choices = dict(TAG_CHOICES[kind].choices)
    return [str(choices.get(value, value)) for value in values]


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
