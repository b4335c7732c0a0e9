"""The summary's rates are over the time actually recorded, and it says the trend in words."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker import services
from tracker.summary import visit_summary

pytestmark = pytest.mark.django_db


def log(patient, *, days_ago: int, severity: int = 5):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return services.episode_create(
        patient=patient, severity=severity, started_at=start, ended_at=start + datetime.timedelta(hours=1)
    )


def summary(patient, days: int = 90):
    end = timezone.localdate()
    return visit_summary(patient=patient, start=end - datetime.timedelta(days=days - 1), end=end)


def test_a_record_begun_six_weeks_ago_is_rated_over_six_weeks_not_ninety_days(patient):
    for days_ago in range(41, 0, -4):  # 11 episodes, the first 41 days ago
        log(patient, days_ago=days_ago)
    result = summary(patient)
    assert result.episode_count == 11
    assert result.days == 42
    assert result.episodes_per_week == 1.8  # not 0.9 over 90 days
    assert result.record_began_in_period


def test_a_record_older_than_the_period_is_rated_over_the_whole_period(patient):
    log(patient, days_ago=200)
    log(patient, days_ago=10)
    result = summary(patient, days=70)
    assert result.days == 70 and result.episodes_per_week == 0.1
    assert not result.record_began_in_period


def test_a_daily_check_in_before_the_first_episode_starts_the_record(patient):
    services.checkin_record(
        patient=patient,
        date=timezone.localdate() - datetime.timedelta(days=69),
        had_spasm=False,
        worst_pain=None,
    )
    log(patient, days_ago=3)
    assert summary(patient).days == 70


def test_the_summary_page_says_where_the_record_begins(patient_client, patient):
    log(patient, days_ago=13)
    page = patient_client.get(reverse("summary")).content.decode()
    assert "1 episode in 14 days (0.5 a week)." in page
    assert "Your record begins on" in page


def test_more_and_worse_spasms_lately_read_as_worse(patient_client, patient):
    log(patient, days_ago=50, severity=3)
    for days_ago in (20, 12, 6, 2):
        log(patient, days_ago=days_ago, severity=8)
    trend = summary(patient).trend
    assert trend.direction == "worse" and (trend.recent_count, trend.earlier_count) == (4, 1)
    page = patient_client.get(reverse("summary")).content.decode()
    assert "Worse over the last 4 weeks." in page
    assert "4 episodes in the last 4 weeks against 1 in the 4 before." in page
    assert "Average severity 8.0/10 against 3.0/10." in page


def test_fewer_and_milder_spasms_lately_read_as_better(patient):
    for days_ago in (55, 50, 45, 40, 35):
        log(patient, days_ago=days_ago, severity=8)
    log(patient, days_ago=5, severity=4)
    assert summary(patient).trend.direction == "better"


def test_a_steady_record_reads_as_about_the_same(patient):
    for days_ago in (50, 40, 20, 10):
        log(patient, days_ago=days_ago, severity=6)
    assert summary(patient).trend.direction == "same"


def test_a_record_younger_than_eight_weeks_has_no_trend_yet(patient_client, patient):
    log(patient, days_ago=30, severity=2)
    log(patient, days_ago=2, severity=9)
    assert summary(patient).trend.direction == "unknown"
    assert "Not enough history yet to see a trend." in patient_client.get(reverse("summary")).content.decode()
