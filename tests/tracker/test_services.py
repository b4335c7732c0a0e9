import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker import services
from tracker.models import DailyCheckIn, Episode, PegCheckIn
from tracker.signals import episode_ended, episode_logged

pytestmark = pytest.mark.django_db


def test_a_quick_log_needs_only_severity_and_starts_now(patient):
    before = timezone.now()
    episode = services.episode_create(patient=patient, severity=7)
    assert episode.is_ongoing
    assert episode.started_at >= before
    assert episode.locations == [] and episode.relief.count() == 0


def test_it_stores_multi_valued_details_as_rows(patient):
    episode = services.episode_create(
        patient=patient,
        severity=5,
        locations=["leg_left", "lower_back_left"],
        triggers=["heavy_lifting"],
        red_flags=["fever"],
        relief=[{"measure": "heat", "effect": "much"}],
    )
    episode = Episode.objects.prefetch_related("tags", "relief").get(pk=episode.pk)
    assert episode.locations == ["leg_left", "lower_back_left"]
    assert episode.triggers == ["heavy_lifting"]
    assert episode.red_flags == ["fever"]
    assert [(r.measure, r.effect) for r in episode.relief.all()] == [("heat", "much")]


def test_a_new_episode_comes_back_with_its_details_read_without_a_query(patient, django_assert_num_queries):
    episode = services.episode_create(
        patient=patient,
        severity=5,
        triggers=["sports", "injury"],
        relief=[{"measure": "ice", "effect": "some"}],
    )
    with django_assert_num_queries(0):
        assert episode.triggers == ["injury", "sports"] and episode.locations == []
        assert [(r.measure, r.effect) for r in episode.relief.all()] == [("ice", "some")]


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"severity": 11}, "severity"),
        ({"severity": -1}, "severity"),
        ({"severity": 5, "locations": ["moon"]}, "locations"),
        ({"severity": 5, "relief": [{"measure": "magic", "effect": "much"}]}, "relief"),
        ({"severity": 5, "notes": "x" * 5001}, "notes"),
        # Times as offsets from when the test runs: a suite slower than the future tolerance
        # would otherwise make "10 minutes ahead", computed at collection, a time in the past.
        ({"severity": 5, "started_at": datetime.timedelta(minutes=10)}, "started_at"),
        ({"severity": 5, "started_at": datetime.datetime(1899, 12, 31, tzinfo=datetime.UTC)}, "started_at"),
        (
            {
                "severity": 5,
                "started_at": -datetime.timedelta(hours=1),
                "ended_at": -datetime.timedelta(hours=2),
            },
            "ended_at",
        ),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_saved(patient, fields, error_field):
    now = timezone.now()
    fields = {k: now + v if isinstance(v, datetime.timedelta) else v for k, v in fields.items()}
    with pytest.raises(ValidationError) as error:
        services.episode_create(patient=patient, **fields)
    assert error_field in error.value.message_dict
    assert Episode.objects.count() == 0


def test_a_start_a_few_minutes_ahead_is_tolerated_for_clock_skew(patient):
    episode = services.episode_create(
        patient=patient, severity=4, started_at=timezone.now() + datetime.timedelta(minutes=3)
    )
    assert episode.pk


def test_a_failed_edit_leaves_the_stored_episode_as_it_was(patient):
    episode = services.episode_create(patient=patient, severity=6, triggers=["sports"], notes="kept")
    with pytest.raises(ValidationError):
        services.episode_update(episode=episode, severity=99, notes="lost?", triggers=["injury"])
    stored = Episode.objects.prefetch_related("tags").get(pk=episode.pk)
    assert (stored.severity, stored.notes, stored.triggers) == (6, "kept", ["sports"])


def test_an_edit_replaces_only_the_details_given(patient):
    episode = services.episode_create(
        patient=patient, severity=6, triggers=["sports"], locations=["mid_back"]
    )
    services.episode_update(episode=episode, triggers=["injury", "sports"])
    stored = Episode.objects.prefetch_related("tags").get(pk=episode.pk)
    assert stored.triggers == ["injury", "sports"]
    assert stored.locations == ["mid_back"]


def test_ending_twice_ends_once_and_signals_once(patient):
    ended = []
    episode_ended.connect(lambda **kw: ended.append(kw["episode"].pk), weak=False, dispatch_uid="t1")
    try:
        episode = services.episode_create(patient=patient, severity=6)
        services.episode_end(episode=episode)
        first_end = Episode.objects.get(pk=episode.pk).ended_at
        services.episode_end(episode=episode)
        assert Episode.objects.get(pk=episode.pk).ended_at == first_end
        assert ended == [episode.pk]
    finally:
        episode_ended.disconnect(dispatch_uid="t1")


def test_logging_sends_the_episode_logged_signal(patient):
    logged = []
    episode_logged.connect(lambda **kw: logged.append(kw["episode"].pk), weak=False, dispatch_uid="t2")
    try:
        episode = services.episode_create(patient=patient, severity=3)
    finally:
        episode_logged.disconnect(dispatch_uid="t2")
    assert logged == [episode.pk]


def test_a_daily_check_in_can_be_corrected_the_same_day(patient):
    today = timezone.localdate()
    services.checkin_record(patient=patient, date=today, had_spasm=False, worst_pain=None)
    services.checkin_record(patient=patient, date=today, had_spasm=True, worst_pain=6)
    assert list(DailyCheckIn.objects.values_list("had_spasm", "worst_pain")) == [(True, 6)]


def test_a_spasm_day_needs_the_worst_pain(patient):
    with pytest.raises(ValidationError) as error:
        services.checkin_record(patient=patient, date=timezone.localdate(), had_spasm=True, worst_pain=None)
    assert "worst_pain" in error.value.message_dict


def test_peg_items_outside_0_to_10_are_refused(patient):
    with pytest.raises(ValidationError) as error:
        services.peg_record(patient=patient, date=timezone.localdate(), pain=11, enjoyment=3, activity=3)
    assert "pain" in error.value.message_dict
    assert PegCheckIn.objects.count() == 0


def test_the_database_refuses_an_out_of_range_severity_even_without_the_service(patient):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(patient=patient, severity=12)


def test_the_summary_counts_the_warning_signs_of_its_period_only(patient):
    from tracker.summary import default_period, visit_summary

    now = timezone.now()
    long_ago = now - datetime.timedelta(days=200)  # ended: only one episode may be ongoing
    services.episode_create(
        patient=patient, severity=5, red_flags=["fever"], started_at=long_ago, ended_at=long_ago
    )
    services.episode_create(
        patient=patient, severity=5, red_flags=["night_pain"], started_at=now - datetime.timedelta(days=3)
    )
    start, end = default_period(patient=patient)
    summary = visit_summary(patient=patient, start=start, end=end)
    assert [(row.value, row.count) for row in summary.red_flags] == [("night_pain", 1)]


def test_episode_end_refuses_an_end_before_the_start_instead_of_moving_it(patient):
    episode = services.episode_create(patient=patient, severity=5)
    with pytest.raises(ValidationError) as error:
        services.episode_end(episode=episode, ended_at=episode.started_at - datetime.timedelta(minutes=1))
    assert "ended_at" in error.value.message_dict
    assert Episode.objects.get(pk=episode.pk).ended_at is None
