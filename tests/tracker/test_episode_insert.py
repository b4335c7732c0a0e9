"""A new episode's insert (tracker.episode_insert), in one statement on PostgreSQL and
statement by statement elsewhere: the rows it writes are the ones the episode remembers, and
a refused second ongoing episode writes none of them and leaves the transaction usable."""

import pytest

from tracker import services
from tracker.models import EpisodeTag, PatientFacts, ReliefTried

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
