"""Guidance for tracker's episodes: tracker builds the engine's facts from its own rows and
calls the engine with the published content. ``guidance_for_episode`` is what pages and the
API call.

Its cost is pinned by a test: two queries for the history facts (the episode itself
comes prefetched) and at most one for the published content, which is cached.
"""

import bisect
import datetime

from django.db.models import Avg, Count, Min, Q
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from guidance.engine import EMPTY_CONTENT, Guidance, evaluate
from guidance.facts import EpisodeFacts, Facts, HistoryFacts, ReliefFact
from guidance.models import ContentRelease
from guidance.selectors import TREND_WINDOW, published_content, release_content, severity_trend
from guidance.serializers import GuidanceResponse, guidance_to_dict
from guidance.vocabulary import HELPFUL_EFFECTS, ReliefEffect
from tracker.models import Episode, ReliefTried
from tracker.selectors import access_episode


def episode_facts(episode: Episode, *, now: datetime.datetime | None = None) -> EpisodeFacts:
    now = now or timezone.now()
    end = episode.ended_at or now
    return EpisodeFacts(
        severity=episode.severity,
        ongoing=episode.is_ongoing,
        minutes_since_start=max(0, int((end - episode.started_at).total_seconds() // 60)),
        locations=frozenset(episode.locations),
        descriptors=frozenset(episode.descriptors),
        triggers=frozenset(episode.triggers),
        red_flags=frozenset(episode.red_flags),
        mobility=episode.mobility,
        relief=tuple(ReliefFact(r.measure, r.effect) for r in episode.relief.all()),
    )


def history_facts(*, patient_id: int, reference: datetime.datetime) -> HistoryFacts:
    """The patient's history up to ``reference`` (usually the episode's start): two queries."""
    day = datetime.timedelta(days=1)
    window = Q(started_at__lte=reference)
    stats = Episode.objects.filter(window, patient_id=patient_id).aggregate(
        last_7d=Count("id", filter=Q(started_at__gt=reference - 7 * day)),
        last_30d=Count("id", filter=Q(started_at__gt=reference - 30 * day)),
        recent_avg=Avg("severity", filter=Q(started_at__gt=reference - TREND_WINDOW)),
        earlier_avg=Avg(
            "severity",
            filter=Q(started_at__gt=reference - 2 * TREND_WINDOW, started_at__lte=reference - TREND_WINDOW),
        ),
        first=Min("started_at"),
    )
    trend = severity_trend(stats["recent_avg"], stats["earlier_avg"])
    # At most one row per measure: ranked here rather than with HAVING and ORDER BY,
    # which cost more to build than to run.
    relief = (
        ReliefTried.objects.filter(episode__patient_id=patient_id, episode__started_at__lt=reference)
        .values_list("measure")
        .annotate(
            helped=Count("id", filter=Q(effect__in=HELPFUL_EFFECTS)),
            worse=Count("id", filter=Q(effect=ReliefEffect.WORSE)),
        )
        .order_by()
    )
    helpful = sorted((-helped, measure) for measure, helped, worse in relief if helped > worse)
    first = stats["first"]
    return HistoryFacts(
        episodes_last_7d=stats["last_7d"],
        episodes_last_30d=stats["last_30d"],
        trend=trend,
        weeks_since_first_episode=int((reference - first).days // 7) if first else 0,
        helpful_relief=tuple(measure for _helped, measure in helpful),
    )


def facts_for_episode(*, episode: Episode) -> Facts:
    return Facts(
        episode=episode_facts(episode),
        history=history_facts(patient_id=episode.patient_id, reference=episode.started_at),
    )


def guidance_for_episode(*, episode: Episode, language: str | None = None) -> Guidance:
    """The published guidance for one episode and the history around it."""
    return evaluate(
        facts_for_episode(episode=episode),
        published_content(),
        language or translation.get_language() or "en",
    )


def guidance_as_given(*, episodes: list[Episode], language: str | None = None) -> list[Guidance]:
    """The guidance each episode got: its facts, with the content that was published when the
    patient last saved it, so a later publish does not rewrite what they were told.

    One query for the release dates, then the history facts (two queries) per episode; each
    release's content is cached. An episode saved before any release gets the oldest one.
    """
    if not episodes:
        return []
    language = language or translation.get_language() or "en"
    releases = list(ContentRelease.objects.order_by("published_at", "id").values_list("published_at", "id"))
    if not releases:
        return [evaluate(facts_for_episode(episode=e), EMPTY_CONTENT, language) for e in episodes]
    dates = [published_at for published_at, _id in releases]
    given = []
    for episode in episodes:
        in_force = releases[max(bisect.bisect_right(dates, episode.updated_at) - 1, 0)][1]
        given.append(evaluate(facts_for_episode(episode=episode), release_content(in_force), language))
    return given


class EpisodeGuidanceView(APIView):
    """The guidance for one of your episodes: steps, doctor prompts (most urgent first), reasons."""

    @extend_schema(responses={200: GuidanceResponse})
    def get(self, request, pk: int):
        episode = access_episode(user=request.user, pk=pk)
        return Response(guidance_to_dict(guidance_for_episode(episode=episode)))
