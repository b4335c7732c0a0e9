"""The timeline's history facts, counted for a whole page at once, equal each episode's own."""

import datetime
import random

import pytest
from django.utils import timezone

from tests.factories import EpisodeFactory
from tracker.choices import ReliefEffect, ReliefMeasure
from tracker.guidance import history_facts, history_facts_for_page
from tracker.models import ReliefTried

pytestmark = pytest.mark.django_db


def test_a_pages_history_facts_equal_each_episodes_own(patient, other_patient, django_assert_num_queries):
    rng = random.Random(3)
    now = timezone.now()
    for person in (patient, other_patient):
        for _ in range(60):
            episode = EpisodeFactory(
                patient=person,
                started_at=now - datetime.timedelta(hours=rng.randint(1, 24 * 200)),
                severity=rng.randint(0, 10),
            )
            for measure in rng.sample(ReliefMeasure.values, rng.randint(0, 2)):
                ReliefTried.objects.create(
                    episode=episode, measure=measure, effect=rng.choice(ReliefEffect.values)
                )
    page = list(patient.episodes.order_by("-started_at")[10:40])
    with django_assert_num_queries(2):  # the episodes around the page with the first; the relief
        batch = history_facts_for_page(episodes=page)
    assert batch == [history_facts(patient_id=patient.pk, reference=e.started_at) for e in page]
    assert len({facts.trend for facts in batch}) > 1 and any(facts.helpful_relief for facts in batch)
    assert any(facts.unhelpful_relief for facts in batch)
