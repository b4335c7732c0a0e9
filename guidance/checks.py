"""Deploy checks for guidance."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

IN_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def published_content_cache_is_shared(app_configs, **kwargs) -> list[Warning]:
    """Publishing clears the cached rules in the cache every process reads, or only in one."""
    if settings.CACHES["default"]["BACKEND"] not in IN_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is per process, so a guidance publish reaches the other web "
            "processes and workers only when their copy expires (up to a minute).",
            hint="Set CACHE_URL to a Redis server shared by every process (redis://host:6379/1).",
            id="guidance.W001",
        )
    ]
