"""Reads for guidance: the published content (cached), a release's content, the working copy.

Tracker builds the facts from its rows and calls the engine (``tracker.guidance``).
"""

import datetime

from django.core.cache import cache
from django.utils import translation

from guidance.engine import (
    EMPTY_CONTENT,
    Content,
    GuidancePrompt,
    PromptContent,
    RuleContent,
    StepContent,
    resolve_prompt,
)
from guidance.models import ContentRelease
from guidance.services import CACHE_KEY, content_snapshot

CACHE_SECONDS = 60
# The severity trend compares the average of the last TREND_WINDOW with the one before it;
# a change of TREND_THRESHOLD points either way is a trend.
TREND_WINDOW = datetime.timedelta(days=30)
TREND_THRESHOLD = 1.0


def content_from_snapshot(snapshot: dict) -> Content:
    return Content(
        steps={
            key: StepContent(key, s["phase"], s.get("order", 0), s["title"], s["body_html"])
            for key, s in snapshot.get("steps", {}).items()
        },
        prompts={
            key: PromptContent(key, p["urgency"], p["text"], p.get("source", ""))
            for key, p in snapshot.get("prompts", {}).items()
        },
        rules=tuple(
            RuleContent(
                r["name"],
                r.get("priority", 100),
                tuple(r.get("conditions", [])),
                tuple(r["steps"]),
                tuple(r["prompts"]),
            )
            for r in snapshot.get("rules", [])
        ),
    )


def published_content() -> Content:
    """What patients see: the latest release, cached until the next publish."""
    content = cache.get(CACHE_KEY)
    if content is None:
        release = ContentRelease.objects.order_by("-id").only("snapshot").first()
        content = content_from_snapshot(release.snapshot) if release else EMPTY_CONTENT
        cache.set(CACHE_KEY, content, CACHE_SECONDS)
    return content


def release_content(release_id: int) -> Content:
    """One published release's content; releases never change, so it is cached for a day."""
    key = f"{CACHE_KEY}:release:{release_id}"
    content = cache.get(key)
    if content is None:
        snapshot = ContentRelease.objects.filter(id=release_id).values_list("snapshot", flat=True).first()
        content = content_from_snapshot(snapshot) if snapshot is not None else EMPTY_CONTENT
        cache.set(key, content, 24 * 60 * 60)
    return content


def published_prompt(*, key: str, language: str | None = None) -> GuidancePrompt | None:
    """One published doctor prompt, for pages outside an episode (e.g. a follow-up answer)."""
    return resolve_prompt(published_content(), key, language or translation.get_language() or "en")


def working_content() -> Content:
    """The admins' working copy, for previews before publishing."""
    return content_from_snapshot(content_snapshot())


def severity_trend(recent_avg: float | None, earlier_avg: float | None) -> str:
    """Average severity of the last 30 days against the 30 before: the ``history.trend`` fact."""
    if recent_avg is None or earlier_avg is None:
        return "unknown"
    change = recent_avg - earlier_avg
    if change >= TREND_THRESHOLD:
        return "worsening"
    if change <= -TREND_THRESHOLD:
        return "improving"
    return "stable"
