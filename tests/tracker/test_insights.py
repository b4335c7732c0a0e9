"""Insights from a patient's records: the numbers they rest on and the words they use."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from tests.tracker.conftest import make_episodes
from tests.tracker.insights_data import seed_checkins
from tracker import services
from tracker.insights.report import insights_for
from tracker.models import DailyCheckIn, PegCheckIn

pytestmark = pytest.mark.django_db


def factor(insights, key: str):
    return next(item for item in insights.factors if item.key == key)


@pytest.mark.parametrize("seed", [17, 18, 19])
def test_poor_sleep_that_doubles_the_spasm_chance_gets_an_interval_containing_2(patient, seed):
    seed_checkins(patient, today=timezone.localdate(), days=120, poor_sleep_ratio=2.0, seed=seed)
    sleep = factor(insights_for(patient=patient), "poor_sleep")
    assert sleep.ratio.interval.contains(2.0)
    assert sleep.ratio.interval.low > 1  # 120 days are enough to see it at the 95% level
    assert sleep.counts.exposed_days + sleep.counts.other_days == 120


def test_a_patient_without_any_effect_gets_no_clear_link(patient):
    seed_checkins(patient, today=timezone.localdate(), days=120, poor_sleep_ratio=1.0)
    insights = insights_for(patient=patient)
    assert insights.factors_tested == 4
    for item in insights.factors:
        assert not item.clear
        assert item.sentences[1].startswith("No clear link")


def test_factors_tested_are_counted_and_adjusted_together(patient):
    seed_checkins(patient, today=timezone.localdate(), days=120, poor_sleep_ratio=2.0)
    insights = insights_for(patient=patient)
    sleep = factor(insights, "poor_sleep")
    assert insights.factors_tested == 4 and "We looked at 4 factors" in insights.notes["factors"]
    assert sleep.adjusted_interval.low < sleep.ratio.interval.low
    assert sleep.adjusted_interval.high > sleep.ratio.interval.high


def test_too_few_checkins_say_how_many_more_are_needed(patient):
    seed_checkins(patient, today=timezone.localdate(), days=10)
    sleep = factor(insights_for(patient=patient), "poor_sleep")
    assert sleep.ratio is None and sleep.more_checkins_needed > 0
    assert sleep.sentences == [
        f"Poor sleep: not enough data yet: {sleep.more_checkins_needed} more check-ins with it answered."
    ]


def test_a_factor_needs_three_spasm_days_on_each_side(patient):
    today = timezone.localdate()
    for offset in range(40):
        services.checkin_record(
            patient=patient,
            date=today - datetime.timedelta(days=offset),
            had_spasm=offset < 2,  # only two spasm days, both after poor sleep
            worst_pain=5 if offset < 2 else None,
            sleep="poor" if offset % 2 == 0 else "good",
        )
    sleep = factor(insights_for(patient=patient), "poor_sleep")
    assert sleep.ratio is None
    assert sleep.more_checkins_needed == 1 + 3  # one more spasm day with poor sleep, three without


def relief_episode(patient, days_ago: int, relief: list[dict]):
    return services.episode_create(
        patient=patient,
        severity=5,
        started_at=timezone.now() - datetime.timedelta(days=days_ago),
        ended_at=timezone.now() - datetime.timedelta(days=days_ago) + datetime.timedelta(hours=1),
        relief=relief,
    )


def test_what_helps_is_ranked_by_the_low_end_of_its_interval(patient):
    # Heat helped 3 of 3 (Wilson 44%-100%); ice helped 9 of 12 (47%-91%): ice ranks first
    # although heat's share is higher, because 3 tries prove less.
    for day in range(12):
        relief = [{"measure": "ice", "effect": "much" if day < 9 else "none"}]
        if day < 3:
            relief.append({"measure": "heat", "effect": "some"})
        if day < 2:
            relief.append({"measure": "massage", "effect": "much"})
        relief_episode(patient, day + 1, relief)
    insights = insights_for(patient=patient)
    assert [item.measure for item in insights.relief] == ["ice", "heat"]
    assert insights.relief_too_few == ["Massage"]
    ice = insights.relief[0]
    assert (
        ice.sentences[0]
        == "Ice helped 9 of the 12 times you tried it (75%): probably between 47% and 91% of the time."
    )


def test_what_made_it_worse_is_said_too(patient):
    for day in range(4):
        relief_episode(
            patient, day + 1, [{"measure": "stretching", "effect": "worse" if day < 3 else "some"}]
        )
    (stretching,) = insights_for(patient=patient).relief
    assert stretching.worse.successes == 3
    assert stretching.sentences[1] == "It made it worse 3 of those times (75%, probably between 30% and 95%)."
    assert stretching.sentences[2] == "That range is wide: a few more tries will narrow it."


def test_the_trend_waits_for_eight_weeks_of_tracking(patient):
    make_episodes(patient, 10, days=30)
    trend = insights_for(patient=patient).trend
    assert trend.ratio is None and trend.tracking_days_needed > 0
    assert trend.sentences[0].startswith("Not enough data yet to compare: this needs 56 days of tracking")


def tracking_since(patient, days_ago: int) -> None:
    date = timezone.localdate() - datetime.timedelta(days=days_ago)
    services.checkin_record(patient=patient, date=date, had_spasm=False, worst_pain=None)


def test_fewer_spasms_in_the_last_four_weeks_is_a_rate_ratio_below_one(patient):
    tracking_since(patient, 60)
    for days_ago in [*range(29, 55, 2), 3]:  # 13 in the four weeks before, 1 in the last four
        relief_episode(patient, days_ago, [])
    trend = insights_for(patient=patient).trend
    assert (trend.ratio.recent_count, trend.ratio.earlier_count) == (1, 13)
    assert trend.ratio.interval.high < 1
    assert trend.sentences[1] == "That is fewer, more than chance would explain."


def test_a_similar_number_of_spasms_is_no_clear_change(patient):
    tracking_since(patient, 60)
    for days_ago in [*range(29, 55, 4), *range(1, 28, 4)]:
        relief_episode(patient, days_ago, [])
    trend = insights_for(patient=patient).trend
    assert trend.ratio.interval.contains(1.0)
    assert trend.sentences[1] == "No clear change: the difference could be chance."


def test_the_peg_change_is_compared_with_the_minimal_important_difference(patient):
    today = timezone.localdate()
    relief_episode(patient, 60, [])
    PegCheckIn.objects.create(
        patient=patient, date=today - datetime.timedelta(days=40), pain=6, enjoyment=6, activity=6
    )
    PegCheckIn.objects.create(
        patient=patient, date=today - datetime.timedelta(days=5), pain=4, enjoyment=4, activity=3
    )
    trend = insights_for(patient=patient).trend
    assert round(trend.peg_change, 2) == -2.33
    assert trend.sentences[-2:] == [
        "It fell by 2.3 points (39%).",
        "That is at least the 30% that counts as a meaningful change.",
    ]


def test_a_small_peg_change_is_said_to_be_less_than_meaningful(patient):
    today = timezone.localdate()
    relief_episode(patient, 60, [])
    PegCheckIn.objects.create(
        patient=patient, date=today - datetime.timedelta(days=40), pain=5, enjoyment=5, activity=5
    )
    PegCheckIn.objects.create(
        patient=patient, date=today - datetime.timedelta(days=5), pain=5, enjoyment=5, activity=6
    )
    assert insights_for(patient=patient).trend.sentences[-2:] == [
        "It rose by 0.3 points (7%).",
        "That is less than the 30% that counts as a meaningful change.",
    ]


def test_spasms_spread_evenly_over_the_week_have_no_clear_pattern(patient):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7 * 10)
    zone = patient.zone
    for week in range(6):
        for weekday in range(7):
            start = datetime.datetime.combine(
                monday + datetime.timedelta(days=7 * week + weekday), datetime.time(9 + weekday), tzinfo=zone
            )
            services.episode_create(
                patient=patient, severity=4, started_at=start, ended_at=start + datetime.timedelta(hours=1)
            )
    weekday = insights_for(patient=patient).patterns[1]
    assert weekday.counts == [6] * 7
    assert weekday.sentences == ["No clear pattern by day of the week."]


def test_spasms_mostly_in_the_morning_are_a_pattern(patient):
    zone = patient.zone
    today = timezone.localdate()
    for day in range(30):
        hour = 8 if day < 24 else 20
        start = datetime.datetime.combine(
            today - datetime.timedelta(days=day + 1), datetime.time(hour), tzinfo=zone
        )
        services.episode_create(
            patient=patient, severity=4, started_at=start, ended_at=start + datetime.timedelta(hours=1)
        )
    time_of_day = insights_for(patient=patient).patterns[0]
    assert time_of_day.counts == [0, 24, 0, 6]
    assert time_of_day.sentences == [
        "Your spasms are not spread evenly by time of day: morning (6–12) had the most (24 of 30)."
    ]


def test_a_new_patient_is_told_what_is_missing_not_shown_numbers(patient):
    insights = insights_for(patient=patient)
    assert insights.relief == [] and insights.factors_tested == 0
    assert all(item.ratio is None for item in insights.factors)
    assert insights.trend.ratio is None
    assert all(pattern.test is None for pattern in insights.patterns)


def test_insights_speak_spanish(patient):
    seed_checkins(patient, today=timezone.localdate(), days=120, poor_sleep_ratio=2.0)
    with translation.override("es"):
        sleep = factor(insights_for(patient=patient), "poor_sleep")
    assert sleep.sentences[0].startswith("Los días después de dormir mal")
    assert re.search(r"unas \d,\d veces esa frecuencia", sleep.sentences[0])  # 2,5 not 2.5


def test_the_counts_take_the_same_queries_for_ten_and_four_hundred_episodes(
    patient, other_patient, django_assert_max_num_queries
):
    today = timezone.localdate()
    make_episodes(patient, 10, days=120)
    seed_checkins(patient, today=today, days=20)
    make_episodes(other_patient, 400, days=120)
    seed_checkins(other_patient, today=today, days=120)
    for person in (patient, other_patient):
        with django_assert_max_num_queries(6):
            insights_for(patient=person)
    assert DailyCheckIn.objects.filter(patient=other_patient).count() == 120


def test_guidance_says_a_measure_helped_only_when_its_interval_is_above_half():
    from tracker.insights.report import relief_evidence
    from tracker.insights.selectors import ReliefCounts

    sentences = relief_evidence(
        [
            ReliefCounts("heat", tried=11, helped=11, worse=0),  # Wilson 74%-100%
            ReliefCounts("ice", tried=3, helped=3, worse=0),  # 44%-100%: could be a coin toss
            ReliefCounts("rest", tried=2, helped=2, worse=0),  # too few tries
        ]
    )
    assert sentences == [
        "Heat helped you 11 of the 11 times you tried it: probably at least 74% of the time."
    ]


def test_the_episode_page_says_what_helped_before_with_its_numbers(patient_client, patient, guidance_content):
    for day in range(6):
        relief_episode(patient, day + 2, [{"measure": "massage", "effect": "much"}])
    episode = services.episode_create(patient=patient, severity=6)
    page = patient_client.get(f"/episodes/{episode.pk}/").content.decode()
    helped = page.split("What helped you before")[1].split("During the spasm")[0]
    assert "Massage helped you 6 of the 6 times you tried it: probably at least 61% of the time." in helped
