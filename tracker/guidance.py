"""Guidance for tracker's episodes: tracker builds the engine's facts from its own rows and
calls the engine with the published content. ``guidance_for_episode`` is what pages and the
API call.

Its cost is pinned by a test: two queries for the history facts (the episode itself
comes prefetched) and at most one for the published content, which is cached.
"""

import bisect
import datetime

from django.db.models import Count, Q
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from guidance.engine import EMPTY_CONTENT, Guidance, evaluate
from guidance.facts import EpisodeFacts, Facts, HistoryFacts, ReliefFact
from guidance.models import ContentRelease
from guidance.selectors import published_content, release_content
from guidance.serializers import GuidanceResponse, guidance_to_dict
from guidance.trend import TREND_WINDOW, mean_or_none, severity_trend
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
    """The patient's history up to ``reference`` (usually the episode's start): two queries.

    1. The last two TREND_WINDOWs' episodes (the trend reads each one's severity), and the
       first episode ever, for how long this has been going on.
    2. The relief measures tried before, each with how often it helped and made it worse.
    """
    day = datetime.timedelta(days=1)
    mine = Episode.objects.filter(patient_id=patient_id, started_at__lte=reference)
    first_id = mine.order_by("started_at", "id").values("id")[:1]
    rows = list(
        mine.filter(Q(started_at__gt=reference - 2 * TREND_WINDOW) | Q(id__in=first_id))
        .order_by("started_at", "id")
        .values_list("started_at", "severity")
    )
    first = rows[0][0] if rows else None
    recent = [(at, severity) for at, severity in rows if at > reference - TREND_WINDOW]
    earlier = [s for at, s in rows if reference - 2 * TREND_WINDOW < at <= reference - TREND_WINDOW]
    trend = severity_trend(mean_or_none([s for _at, s in recent]), mean_or_none(earlier), recent=recent)
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
    relief = list(relief)
    helpful = sorted((-helped, measure) for measure, helped, worse in relief if helped > worse)
    unhelpful = sorted((-worse, measure) for measure, helped, worse in relief if worse > helped)
    return HistoryFacts(
        episodes_last_7d=sum(1 for at, _s in rows if at > reference - 7 * day),
        episodes_last_30d=sum(1 for at, _s in rows if at > reference - 30 * day),
        trend=trend,
        weeks_since_first_episode=int((reference - first).days // 7) if first else 0,
        helpful_relief=tuple(measure for _helped, measure in helpful),
        unhelpful_relief=tuple(measure for _worse, measure in unhelpful),
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
