import datetime
import random

from django.utils import timezone

from tracker.models import Episode, EpisodeTag, ReliefTried


def make_episodes(patient, count: int, *, days: int = 5 * 365, seed: int = 7) -> None:
    """``count`` ended episodes with tags and relief over ``days``, inserted in bulk."""
    rng = random.Random(seed + count)
    now = timezone.now()
    episodes = []
    for _index in range(count):
        start = now - datetime.timedelta(minutes=rng.randint(60, days * 24 * 60))
        episodes.append(
            Episode(
                patient=patient,
                started_at=start,
                ended_at=start + datetime.timedelta(minutes=rng.randint(5, 600)),
                severity=rng.randint(1, 10),
            )
        )
    created = Episode.objects.bulk_create(episodes, batch_size=500)
    tags, relief = [], []
    for episode in created:
        tags.append(
            EpisodeTag(
                episode=episode, kind="trigger", value=rng.choice(["heavy_lifting", "sports", "unknown"])
            )
        )
        tags.append(
            EpisodeTag(episode=episode, kind="location", value=rng.choice(["lower_back_left", "mid_back"]))
        )
        relief.append(
            ReliefTried(
                episode=episode,
                measure=rng.choice(["heat", "ice", "rest"]),
                effect=rng.choice(["none", "some", "much"]),
            )
        )
    EpisodeTag.objects.bulk_create(tags, batch_size=1000)
    ReliefTried.objects.bulk_create(relief, batch_size=1000)
