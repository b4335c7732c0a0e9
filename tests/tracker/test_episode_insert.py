"""A new episode's insert (tracker.episode_insert), in one statement on PostgreSQL and
statement by statement elsewhere: the rows it writes are the ones the episode remembers, and
a refused second ongoing episode writes none of them and leaves the transaction usable."""

import datetime
import random

import pytest
from django.utils import timezone

from tracker import services
from tracker.choices import ReliefEffect, ReliefMeasure
from tracker.episode_insert import insert_episode
from tracker.models import Episode, EpisodeTag, PatientFacts, ReliefTried
from tracker.patient_facts import STORED, patient_facts_compute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("insert_path")]


def test_the_episode_remembers_the_rows_written_with_their_ids(patient):
    episode = services.episode_create(
        patient=patient,
        severity=6,
        locations=["leg_left", "lower_back_left"],
        triggers=["sports"],
        relief=[{"measure": "heat", "effect": "much"}, {"measure": "rest", "effect": "none"}],
    )
    stored_tags = {(t.pk, t.kind, t.value) for t in EpisodeTag.objects.filter(episode=episode)}
    stored_relief = {(r.pk, r.measure, r.effect) for r in ReliefTried.objects.filter(episode=episode)}
    assert {(t.pk, t.kind, t.value) for t in episode.tags.all()} == stored_tags and len(stored_tags) == 3
    assert {(r.pk, r.measure, r.effect) for r in episode.relief.all()} == stored_relief
    assert all(t.episode_id == episode.pk for t in episode.tags.all())
    assert PatientFacts.objects.filter(patient=patient).exists()
    episode.refresh_from_db()  # saved: a plain instance again
    assert episode.severity == 6 and episode.is_ongoing


def test_a_second_ongoing_episode_writes_none_of_its_rows(patient):
    first = services.episode_create(patient=patient, severity=5)
    with pytest.raises(services.OngoingEpisodeExists) as refused:
        services.episode_create(
            patient=patient, severity=7, locations=["leg_left"], relief=[{"measure": "ice", "effect": "some"}]
        )
    assert refused.value.episode_id == first.pk
    assert not EpisodeTag.objects.exists() and not ReliefTried.objects.exists()
    assert PatientFacts.objects.get(patient=patient).latest_started_at == first.started_at
    # The one-tap log, refused the same way, raises the ongoing one's severity instead.
    episode, new = services.episode_quick_log(patient=patient, severity=9)
    assert (episode.pk, new, episode.severity) == (first.pk, False, 9)


def test_the_facts_row_it_returns_is_the_stored_row_and_a_recomputation_after_every_log(patient):
    """Random logs: new latest starts, back-dated ones, two at one moment, episodes that
    push others out of the recent window, relief repeated and new, warning signs. After each, the row the
    insert answered with (what the answer's guidance reads), the stored row and the row
    recomputed from the episodes are one."""
    rng = random.Random(12)
    now = timezone.now()
    moments = [now - datetime.timedelta(hours=rng.randint(0, 24 * 200)) for _ in range(8)]
    for _ in range(40):
        started = (
            rng.choice(moments)
            if rng.random() < 0.2
            else now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 200))
        )
        relief = [
            {"measure": measure, "effect": rng.choice(ReliefEffect.values)}
            for measure in rng.sample(ReliefMeasure.values, rng.randint(0, 3))
        ]
        episode = Episode(patient=patient, severity=rng.randint(0, 10), started_at=started, ended_at=started)
        returned = insert_episode(
            episode,
            tags=rng.choice(
                [
                    [],
                    [EpisodeTag(kind="trigger", value="sports")],
                    [EpisodeTag(kind="red_flag", value="fever")],
                ]
            ),
            relief=[ReliefTried(measure=item["measure"], effect=item["effect"]) for item in relief],
        )
        stored = PatientFacts.objects.get(patient=patient)
        computed = patient_facts_compute(patient_id=patient.pk)
        for row in (returned, stored):
            assert [getattr(row, name) for name in STORED] == [getattr(computed, name) for name in STORED]
