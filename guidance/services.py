"""Writes for guidance: publishing the working copy of the content."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from guidance.models import ContentRelease, DoctorPrompt, Rule, Step
from guidance.rendering import render_markdown

CACHE_KEY = "guidance:published-content"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def content_snapshot() -> dict:
    """The working copy of all content as JSON-ready data (Markdown already rendered)."""
    steps = {
        step.key: {
            "phase": step.phase,
            "order": step.order,
            "title": {lang: getattr(step, f"title_{lang}") or "" for lang in LANGUAGES},
            "body_html": {lang: render_markdown(getattr(step, f"body_{lang}") or "") for lang in LANGUAGES},
            "source": step.source,
        }
        for step in Step.objects.all()
    }
    prompts = {
        prompt.key: {
            "urgency": prompt.urgency,
            "text": {lang: getattr(prompt, f"text_{lang}") or "" for lang in LANGUAGES},
            "source": prompt.source,
        }
        for prompt in DoctorPrompt.objects.all()
    }
    rules = [
        {
            "name": rule.name,
            "priority": rule.priority,
            "conditions": rule.conditions,
            "steps": [step.key for step in rule.steps.all()],
            "prompts": [prompt.key for prompt in rule.prompts.all()],
        }
        for rule in Rule.objects.filter(active=True).prefetch_related("steps", "prompts")
    ]
    return {"steps": steps, "prompts": prompts, "rules": rules}


@transaction.atomic
def content_publish(*, user=None, note: str = "") -> ContentRelease:
    """Publish the working copy: patients see it from the next request on."""
    release = ContentRelease.objects.create(snapshot=content_snapshot(), published_by=user, note=note)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return release
