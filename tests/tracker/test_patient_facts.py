"""The per-patient facts row stays equal to a recomputation from the episodes, whatever
changes them, and guidance for a spasm just logged reads the same facts from it as from
the episodes."""

import datetime
import random

import pytest
from django.utils import timezone

from tracker import services
from tracker.choices import ReliefEffect, ReliefMeasure
from tracker.guidance import history_facts
from tracker.models import Episode, PatientFacts
from tracker.patient_facts import history_before, patient_facts_compute

# Every test twice: PostgreSQL's one-statement insert and the ORM's (tests/tracker/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("insert_path")]


HOUR = datetime.timedelta(hours=1)
EFFECTS = ReliefEffect.values
MEASURES = ReliefMeasure.values


def assert_row_matches_episodes(patient) -> None:
    stored = PatientFacts.objects.get(patient=patient)
    computed = patient_facts_compute(patient_id=patient.pk)
    fields = ("first_started_at", "latest_started_at", "latest_count", "recent", "red_flag_started_at")
    assert [getattr(stored, name) for name in fields] == [getattr(computed, name) for name in fields]
    assert {m: c for m, c in stored.relief.items() if any(c)} == {
        m: c for m, c in computed.relief.items() if any(c)
    }


def log(patient, *, hours_ago: float = 0, relief=(), ongoing: bool = False, **extra) -> Episode:
    """An episode that ended where it started (only one may be ongoing), unless ``ongoing``."""
    started = timezone.now() - datetime.timedelta(hours=hours_ago)
    extra.setdefault("severity", 6)
    return services.episode_create(
        patient=patient,
        started_at=started,
        ended_at=None if ongoing else started,
        relief=list(relief),
        **extra,
    )


def test_logging_keeps_the_row_equal_to_a_recomputation(patient):
    log(patient, hours_ago=50, relief=[{"measure": "heat", "effect": "much"}])
    assert_row_matches_episodes(patient)  # the first episode makes the row
    log(
        patient,
        hours_ago=10,
        relief=[{"measure": "heat", "effect": "worse"}, {"measure": "rest", "effect": "some"}],
    )
    log(patient, relief=[{"measure": "ice", "effect": "none"}])
    assert_row_matches_episodes(patient)


def test_a_back_dated_episode_keeps_the_row_equal_to_a_recomputation(patient):
    log(patient, hours_ago=1)
    log(patient, hours_ago=24 * 400, relief=[{"measure": "stretching", "effect": "much"}])
    assert_row_matches_episodes(patient)
    assert PatientFacts.objects.get(patient=patient).first_started_at < timezone.now() - 399 * 24 * HOUR


def test_editing_the_start_or_the_relief_keeps_the_row_equal_to_a_recomputation(patient):
    first = log(patient, hours_ago=30, relief=[{"measure": "heat", "effect": "much"}])
    log(patient, hours_ago=5)
    moved = timezone.now() - HOUR
    services.episode_update(episode=first, started_at=moved, ended_at=moved)
    assert_row_matches_episodes(patient)
    services.episode_update(episode=first, relief=[{"measure": "heat", "effect": "worse"}])
    assert_row_matches_episodes(patient)


def test_editing_the_severity_keeps_the_row_equal_to_a_recomputation(patient):
    episode = log(patient, hours_ago=3)
    services.episode_update(episode=episode, severity=9)
    assert_row_matches_episodes(patient)
    assert PatientFacts.objects.get(patient=patient).recent[0][1] == 9


def test_episodes_older_than_the_trend_windows_leave_the_rows_recent_list(patient):
    log(patient, hours_ago=24 * 70)
    log(patient, hours_ago=24 * 50)
    log(patient)
    assert len(PatientFacts.objects.get(patient=patient).recent) == 2
    assert_row_matches_episodes(patient)


def test_ending_an_episode_keeps_the_row_equal_to_a_recomputation(patient):
    episode = log(patient, hours_ago=2, relief=[{"measure": "rest", "effect": "some"}], ongoing=True)
    services.episode_end(episode=episode)
    assert_row_matches_episodes(patient)


def test_deleting_episodes_keeps_the_row_equal_to_a_recomputation(patient):
    oldest = log(patient, hours_ago=90, relief=[{"measure": "heat", "effect": "much"}])
    latest = log(patient, relief=[{"measure": "ice", "effect": "some"}])
    services.episode_delete(episode=latest)
    assert_row_matches_episodes(patient)
    services.episode_delete(episode=oldest)
    assert_row_matches_episodes(patient)
    assert PatientFacts.objects.get(patient=patient).latest_started_at is None


def test_a_patients_row_ignores_other_patients(patient, other_patient):
    log(other_patient, relief=[{"measure": "heat", "effect": "much"}])
    log(patient, relief=[{"measure": "ice", "effect": "some"}])
    assert PatientFacts.objects.get(patient=patient).relief == {"ice": [1, 0]}


def test_guidance_for_a_new_spasm_reads_the_same_history_from_the_row_as_from_the_episodes(patient):
    for hours_ago, effect in ((24 * 100, "much"), (24 * 20, "some"), (24 * 3, "worse"), (5, "much")):
        log(
            patient,
            hours_ago=hours_ago,
            relief=[{"measure": "heat", "effect": effect}, {"measure": "rest", "effect": "none"}],
        )
    episode = log(
        patient, relief=[{"measure": "heat", "effect": "worse"}, {"measure": "ice", "effect": "much"}]
    )
    from_row = episode.history_facts
    from_episodes = history_facts(patient_id=patient.pk, reference=episode.started_at)
    assert from_row == from_episodes
    assert from_row.helpful_relief == ("heat",) and from_row.weeks_since_first_episode == 14
    assert (from_row.episodes_last_7d, from_row.episodes_last_30d) == (3, 4)


def test_a_back_dated_episode_gets_its_history_from_the_episodes(patient):
    log(patient, hours_ago=1)
    episode = log(patient, hours_ago=48)
    assert episode.history_facts is None


def test_two_episodes_starting_at_the_same_moment_get_their_history_from_the_episodes(patient):
    started = timezone.now() - HOUR
    services.episode_create(patient=patient, severity=4, started_at=started, ended_at=started)
    second = services.episode_create(patient=patient, severity=5, started_at=started, ended_at=started)
    assert second.history_facts is None
    assert history_before(facts=PatientFacts.objects.get(patient=patient), episode=second) is None


def test_the_quick_log_raising_the_ongoing_episodes_severity_keeps_the_row_equal_to_a_recomputation(patient):
    log(patient, hours_ago=1, ongoing=True, severity=3)
    episode, new = services.episode_quick_log(patient=patient, severity=8)
    assert not new and episode.severity == 8
    assert_row_matches_episodes(patient)
    assert PatientFacts.objects.get(patient=patient).recent[-1][1] == 8


def test_recording_warning_signs_and_reporting_worse_keep_the_row_equal_to_a_recomputation(patient):
    episode = log(patient, hours_ago=1, ongoing=True, relief=[{"measure": "heat", "effect": "some"}])
    services.episode_red_flags_record(episode=episode, red_flags=["saddle_numbness"])
    services.episode_report_worse(episode=episode)
    assert_row_matches_episodes(patient)


def test_a_new_spasm_reads_the_relief_that_made_it_worse_from_the_row_as_from_the_episodes(patient):
    for hours_ago, heat, rest in (
        (24 * 40, "worse", "worse"),
        (24 * 10, "worse", "worse"),
        (30, "some", "worse"),
    ):
        log(
            patient,
            hours_ago=hours_ago,
            relief=[{"measure": "heat", "effect": heat}, {"measure": "rest", "effect": rest}],
        )
    # Its own relief is not history: heat that helped now leaves heat worse twice, helped once.
    episode = log(
        patient, relief=[{"measure": "heat", "effect": "much"}, {"measure": "ice", "effect": "worse"}]
    )
    assert episode.history_facts == history_facts(patient_id=patient.pk, reference=episode.started_at)
    assert episode.history_facts.unhelpful_relief == ("rest", "heat")


def test_a_new_spasm_reads_a_climb_within_the_month_from_the_row_as_from_the_episodes(patient):
    # No earlier month to compare with: only the slope over the recent episodes can tell.
    for days_ago, severity in ((12, 3), (9, 5), (6, 6), (3, 8)):
        log(patient, hours_ago=24 * days_ago, severity=severity)
    episode = log(patient, severity=9)
    assert episode.history_facts == history_facts(patient_id=patient.pk, reference=episode.started_at)
    assert episode.history_facts.trend == "worsening"


def test_a_new_spasm_reads_the_same_trend_from_the_row_as_from_the_episodes_in_every_case(patient):
    """Random histories: the row's facts equal the episodes' for each spasm logged now."""
    rng = random.Random(11)
    hours = sorted(rng.sample(range(1, 24 * 70), 40), reverse=True)
    trends = set()
    for hours_ago in hours:
        relief = [
            {"measure": m, "effect": rng.choice(EFFECTS)} for m in rng.sample(MEASURES, rng.randint(0, 2))
        ]
        log(patient, hours_ago=hours_ago, severity=rng.randint(0, 10), relief=relief)
        episode = log(patient, hours_ago=0, severity=rng.randint(0, 10), relief=relief)
        assert episode.history_facts == history_facts(patient_id=patient.pk, reference=episode.started_at)
        trends.add(episode.history_facts.trend)
        services.episode_delete(episode=episode)
        assert_row_matches_episodes(patient)
    assert len(trends) > 1


def test_the_data_migration_gives_every_patient_with_episodes_a_row_equal_to_a_recomputation(
    transactional_db, patient, other_patient
):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("tracker", "0006_episode_indexes_start_with_the_patient")],
        [("tracker", "0007_backfill_patient_facts")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    now = timezone.now()
    for days, severity, effect in ((90, 3, ReliefEffect.MUCH), (20, 6, ReliefEffect.WORSE), (2, 8, "")):
        episode = apps.get_model("tracker", "Episode").objects.create(
            patient_id=patient.pk,
            started_at=now - datetime.timedelta(days=days),
            severity=severity,
            ended_at=now,
        )
        if effect:
            apps.get_model("tracker", "ReliefTried").objects.create(
                episode_id=episode.pk, measure=ReliefMeasure.ICE, effect=effect
            )
        if days == 20:  # a warning sign: 0008 keeps its start on the row
            apps.get_model("tracker", "EpisodeTag").objects.create(
                episode_id=episode.pk, kind="red_flag", value="fever"
            )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert_row_matches_episodes(patient)
    assert PatientFacts.objects.get(patient=patient).red_flag_started_at is not None
    assert not PatientFacts.objects.filter(patient=other_patient).exists()  # no episodes, no row
