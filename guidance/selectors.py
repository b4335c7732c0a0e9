"""Reads for guidance: the published content (cached), a release's content, the working copy.

Tracker builds the facts from its rows and calls the engine (``tracker.guidance``).
"""

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
from guidance.services import CACHE_KEY, VERSION_KEY, content_snapshot
from guidance.trend import TREND_WINDOW, severity_trend

CACHE_SECONDS = 60
__all__ = ["TREND_WINDOW", "severity_trend"]  # the trend lives in guidance.trend


def content_from_snapshot(snapshot: dict) -> Content:
    return Content(
        steps={
            key: StepContent(
                key, s["phase"], s.get("order", 0), s["title"], s["body_html"], s.get("source", "")
            )
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


# The published content this process holds, with the version it is: rebuilding it from the
# shared cache on every request (unpickling every step and prompt) cost more than the rules.
_held: tuple[str, Content] | None = None


def published_version() -> str:
    """``<release id>@<published at>`` of the latest release ("" before the first publish),
    from the shared cache, which a publish clears and which expires within a minute."""
    version = cache.get(VERSION_KEY)
    if version is None:
        latest = ContentRelease.objects.order_by("-id").values_list("id", "published_at").first()
        version = f"{latest[0]}@{latest[1].isoformat()}" if latest else ""
        cache.set(VERSION_KEY, version, CACHE_SECONDS)
    return version


def published_content() -> Content:
    """What patients see: the latest release, held in the process and checked against
    ``published_version()``."""
    global _held
    version = published_version()
    held = _held
    if held is not None and held[0] == version:
        return held[1]
    content = release_content(int(version.split("@")[0])) if version else EMPTY_CONTENT
    _held = (version, content)
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
