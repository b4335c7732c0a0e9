import datetime
import random

import pytest
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


@pytest.fixture(params=["one statement", "statement by statement"])
def insert_path(request, monkeypatch):
    """A new episode's rows written both ways tracker.episode_insert knows: PostgreSQL's one
    statement (episode, children, the facts row locked) and the ORM's, which SQLite takes."""
    from tracker import episode_insert, services

    if request.param == "statement by statement":
        monkeypatch.setattr(episode_insert, "ONE_STATEMENT", False)
        monkeypatch.setattr(services, "ONE_STATEMENT", False)
