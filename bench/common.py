"""Shared set-up for benchmarks: a throwaway database (SQLite in a temp folder unless
DATABASE_URL is set), migrated, and a minimal authenticated endpoint to compare against.

Benchmarks print ratios against a baseline measured in the same run, because the
machines are shared and absolute times are noisy.
"""

import os
import statistics
import tempfile
import time
from collections.abc import Callable

_TMP = tempfile.mkdtemp(prefix="spasm-bench-")
os.environ.setdefault("VAR_DIR", _TMP)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backspasm.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
os.environ["API_USER_RATE"] = "1000000/minute"
os.environ["API_ANON_RATE"] = "1000000/minute"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class MinimalRead(APIView):
    """The baseline: authentication, throttling, JSON; nothing else."""

    def get(self, request):
        return Response({"ok": True})


class MinimalCreate(APIView):
    """The baseline for writes: authentication, one INSERT, JSON."""

    def post(self, request):
        from tracker.models import Episode

        episode = Episode.objects.create(patient=request.user, severity=int(request.data.get("severity", 5)))
        return Response({"id": episode.pk}, status=201)


class WriteOnlyCreate(APIView):
    """The log endpoint without its guidance: validate, write the episode and its child rows.

    Not a product endpoint: it shows how much of the log's cost is the write itself.
    """

    def post(self, request):
        from tracker import services
        from tracker.serializers import EpisodeSerializer

        serializer = EpisodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        episode = services.episode_create(patient=request.user, **serializer.validated_data)
        return Response({"id": episode.pk}, status=201)


urlpatterns = [
    path("bench/minimal-read/", MinimalRead.as_view()),
    path("bench/minimal-create/", MinimalCreate.as_view()),
    path("bench/write-only-create/", WriteOnlyCreate.as_view()),
    path("", include("backspasm.urls")),
]


_prepared = False


def prepare() -> None:
    global _prepared
    if _prepared:
        return
    _prepared = True
    setup_test_environment()
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("load_guidance", stdout=open(os.devnull, "w"))  # noqa: SIM115


def median_seconds(action: Callable[[], object], *, runs: int, warmup: int = 3) -> float:
    return interleaved_median_seconds({"action": action}, runs=runs, warmup=warmup)["action"]


def interleaved_median_seconds(
    actions: dict[str, Callable[[], object]], *, runs: int, warmup: int = 3
) -> dict[str, float]:
    """Median time of each action, run in turn (a, b, a, b...) so that a slow moment of a
    shared machine lands on both sides of a ratio instead of on one of them."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(name: str, value: float, unit: str, target: str = "") -> None:
    print(f"{name:60} {value:10.3f} {unit}{'   (target ' + target + ')' if target else ''}")
