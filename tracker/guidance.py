"""Guidance for tracker's episodes: tracker builds the engine's facts from its own rows and
calls the engine with the published content. ``guidance_for_episode`` is what pages and the
API call.

Its cost is pinned by tests: a spasm just logged reads its history facts from the
per-patient facts row (no query); any other episode costs two queries (the last two trend
windows with the first start, the relief tried before); a timeline page two for all its
episodes. The published content is cached.
"""

import bisect
import datetime
from dataclasses import dataclass

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
        # Set by tracker.services for a spasm just logged, from the per-patient facts row.
        history=getattr(episode, "history_facts", None)
        or history_facts(patient_id=episode.patient_id, reference=episode.started_at),
    )


def guidance_for_episode(*, episode: Episode, language: str | None = None) -> Guidance:
    """The published guidance for one episode and the history around it."""
    return evaluate(
        facts_for_episode(episode=episode),
        published_content(),
        language or translation.get_language() or "en",
    )


def history_facts_for_page(*, episodes: list[Episode]) -> list[HistoryFacts]:
    """``history_facts`` of each of one patient's episodes, in two queries whatever their
    number (a page of a timeline): the episodes of the page's span and the two trend windows
    before it with the patient's first episode, and the relief of the episodes before the
    page's last one. The same figures as ``history_facts``, counted here instead of in SQL."""
    if not episodes:
        return []
    patient_id = episodes[0].patient_id
    references = [episode.started_at for episode in episodes]
    earliest, latest = min(references), max(references)
    mine = Episode.objects.filter(patient_id=patient_id, started_at__lte=latest)
    first_id = mine.order_by("started_at", "id").values("id")[:1]
    window = sorted(
        mine.filter(Q(started_at__gt=earliest - 2 * TREND_WINDOW) | Q(id__in=first_id)).values_list(
            "started_at", "severity"
        )
    )
    starts = [start for start, _severity in window]
    first = starts[0] if starts else None
    relief = sorted(
        ReliefTried.objects.filter(
            episode__patient_id=patient_id, episode__started_at__lt=latest
        ).values_list("episode__started_at", "measure", "effect")
    )
    relief_starts = [start for start, _measure, _effect in relief]
    day = datetime.timedelta(days=1)

    def between(low: datetime.datetime, high: datetime.datetime) -> list[tuple[datetime.datetime, int]]:
        """(start, severity) of the episodes with low < started_at <= high."""
        return window[bisect.bisect_right(starts, low) : bisect.bisect_right(starts, high)]

    facts = []
    for reference in references:
        counts: dict[str, list[int]] = {}
        for _start, measure, effect in relief[: bisect.bisect_left(relief_starts, reference)]:
            pair = counts.setdefault(measure, [0, 0])
            pair[0] += effect in HELPFUL_EFFECTS
            pair[1] += effect == ReliefEffect.WORSE
        helpful = sorted((-helped, measure) for measure, (helped, worse) in counts.items() if helped > worse)
        unhelpful = sorted((-worse, measure) for measure, (helped, worse) in counts.items() if worse > helped)
        recent = between(reference - TREND_WINDOW, reference)
        earlier = between(reference - 2 * TREND_WINDOW, reference - TREND_WINDOW)
        facts.append(
            HistoryFacts(
                episodes_last_7d=len(between(reference - 7 * day, reference)),
                episodes_last_30d=len(between(reference - 30 * day, reference)),
                trend=severity_trend(
                    mean_or_none([s for _at, s in recent]),
                    mean_or_none([s for _at, s in earlier]),
                    recent=recent,
                ),
                weeks_since_first_episode=int((reference - first).days // 7) if first else 0,
                helpful_relief=tuple(measure for _helped, measure in helpful),
                unhelpful_relief=tuple(measure for _worse, measure in unhelpful),
            )
        )
    return facts


@dataclass(frozen=True)
class GivenGuidance:
    """The guidance an episode got, and the content release that was in force for it."""

    guidance: Guidance
    release_id: int | None = None
    release_published_at: datetime.datetime | None = None


def guidance_given(*, episodes: list[Episode], language: str | None = None) -> list[GivenGuidance]:
    """The guidance each of one patient's episodes got: its facts, with the content that was
    published when the patient last saved it, so a later publish does not rewrite what they
    were told.

    One query for the release dates and two for the history facts of all the episodes
    (``history_facts_for_page``); each release's content is cached. An episode saved before
    any release gets the oldest one.
    """
    if not episodes:
        return []
    language = language or translation.get_language() or "en"
    histories = history_facts_for_page(episodes=episodes)
    facts = [Facts(episode=episode_facts(e), history=h) for e, h in zip(episodes, histories, strict=True)]
    releases = list(ContentRelease.objects.order_by("published_at", "id").values_list("published_at", "id"))
    if not releases:
        return [GivenGuidance(evaluate(item, EMPTY_CONTENT, language)) for item in facts]
    dates = [published_at for published_at, _id in releases]
    given = []
    for episode, item in zip(episodes, facts, strict=True):
        published_at, in_force = releases[max(bisect.bisect_right(dates, episode.updated_at) - 1, 0)]
        given.append(
            GivenGuidance(evaluate(item, release_content(in_force), language), in_force, published_at)
        )
    return given


def guidance_as_given(*, episodes: list[Episode], language: str | None = None) -> list[Guidance]:
    """``guidance_given`` without the releases: what each episode was told."""
    return [given.guidance for given in guidance_given(episodes=episodes, language=language)]


class EpisodeGuidanceView(APIView):
    """The guidance for one of your episodes: steps, doctor prompts (most urgent first), reasons."""

    @extend_schema(responses={200: GuidanceResponse})
    def get(self, request, pk: int):
        episode = access_episode(user=request.user, pk=pk)
        return Response(guidance_to_dict(guidance_for_episode(episode=episode)))
