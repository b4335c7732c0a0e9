"""Generated histories for benchmarks: episodes over five years with their tags and relief,
and daily check-ins, written in bulk (then the per-patient facts recomputed)."""

import datetime
import random

from django.utils import timezone

from tracker.api import EPISODE_EXAMPLE
from tracker.choices import Location, ReliefEffect, ReliefMeasure, Trigger
from tracker.models import DailyCheckIn, Episode, EpisodeTag, ReliefTried

# The realistic body the benchmarks log: the API schema's own example.
LOG_BODY = EPISODE_EXAMPLE.value


RECENT_DAYS = 80


def add_history(
    patients, *, episodes: int, recent: int = 10, checkins: int = 0, days: int = 5 * 365, seed: int = 5
) -> None:
    """``recent`` of the episodes in the last RECENT_DAYS (what the default 90-day pages
    show), the others spread over the ``days`` before: so patients with 10 and 2,000
    episodes show the same period, and a difference in cost is the older history's."""
    rng = random.Random(seed)
    now = timezone.now()
    rows = []
    for patient in patients:
        for index in range(episodes):
            low, high = (60, RECENT_DAYS * 24 * 60) if index < recent else (100 * 24 * 60, days * 24 * 60)
            start = now - datetime.timedelta(minutes=rng.randint(low, high))
            rows.append(
                Episode(
                    patient=patient,
                    started_at=start,
                    ended_at=start + datetime.timedelta(hours=1),
                    severity=rng.randint(1, 10),
                    medications=rng.choice(["", "", "ibuprofen 400 mg"]),
                )
            )
    created = Episode.objects.bulk_create(rows, batch_size=5000)
    tags = []
    relief = []
    for episode in created:
        tags.append(EpisodeTag(episode=episode, kind="trigger", value=rng.choice(Trigger.values)))
        tags.append(EpisodeTag(episode=episode, kind="location", value=rng.choice(Location.values)))
        if rng.random() < 0.03:
            tags.append(EpisodeTag(episode=episode, kind="red_flag", value="fever"))
        for measure in rng.sample(ReliefMeasure.values, 2):
            relief.append(
                ReliefTried(episode=episode, measure=measure, effect=rng.choice(ReliefEffect.values))
            )
    EpisodeTag.objects.bulk_create(tags, batch_size=5000)
    ReliefTried.objects.bulk_create(relief, batch_size=5000)
    if checkins:
        today = timezone.localdate()
        DailyCheckIn.objects.bulk_create(
            [
                DailyCheckIn(
                    patient=patient,
                    date=today - datetime.timedelta(days=d),
                    had_spasm=d % 3 == 0,
                    worst_pain=5 if d % 3 == 0 else None,
                )
                for patient in patients
                for d in range(checkins)
            ],
            batch_size=5000,
        )
    refresh_facts(patients)


def refresh_facts(patients) -> None:
    """Bulk rows bypass the services: recompute what they keep per patient."""
    try:
        from tracker.patient_facts import patient_facts_refresh
    except ImportError:  # before the per-patient facts existed
        return
    for patient in patients:
        patient_facts_refresh(patient_id=patient.pk)
