"""Charts on real axes: a time axis with labelled dates, value scales, gaps drawn as gaps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker import charts, services

START = datetime.date(2026, 9, 1)
END = datetime.date(2026, 11, 29)


def test_days_sit_on_a_time_axis_so_an_eleven_day_gap_looks_eleven_times_a_day():
    chart = charts.time_series(
        [(START, 3), (START + datetime.timedelta(days=1), 4), (START + datetime.timedelta(days=12), 5)],
        start=START,
        end=END,
    )
    first, second, third = chart.points
    assert third.x - second.x == pytest.approx(11 * (second.x - first.x))


def test_points_further_apart_than_a_week_are_not_joined():
    days = [(START, 3), (START + datetime.timedelta(days=2), 4), (START + datetime.timedelta(days=20), 5)]
    chart = charts.time_series(days, start=START, end=END)
    assert len(chart.segments) == 2
    assert chart.segments[0].count(",") == 2 and chart.segments[1].count(",") == 1


def test_the_time_axis_is_labelled_with_dates_inside_the_period():
    chart = charts.time_series([], start=START, end=END)
    dates = [tick.date for tick in chart.x_ticks]
    assert 2 <= len(dates) <= charts.MAX_DATE_TICKS
    assert all(START <= day <= END for day in dates)
    assert dates == [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]


def test_the_severity_scale_is_labelled_0_5_10():
    chart = charts.time_series([(START, 7)], start=START, end=END)
    assert [tick.label for tick in chart.y_ticks] == ["0", "5", "10"]
    assert chart.points[0].y == pytest.approx(chart.bottom - (chart.bottom - chart.top) * 0.7)


@pytest.mark.parametrize(("largest", "top"), [(0, 1), (1, 1), (3, 4), (7, 10), (11, 20), (45, 50)])
def test_a_count_scale_ends_at_a_round_number_at_or_above_the_largest(largest, top):
    assert charts.nice_top(largest) == top


def test_the_tallest_weekly_bar_fits_under_the_top_of_its_scale():
    monday = datetime.date(2026, 11, 2)
    chart = charts.week_bars([(monday, 2), (monday + datetime.timedelta(days=7), 7)], start=START, end=END)
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.y >= chart.top
    assert chart.y_ticks[-1].label == "10"


def test_weekly_bars_are_as_wide_as_their_week_on_the_time_axis():
    monday = datetime.date(2026, 11, 2)
    chart = charts.week_bars([(monday, 1), (monday + datetime.timedelta(days=14), 1)], start=START, end=END)
    first, second = chart.bars
    assert second.x - first.x == pytest.approx(2 * (first.width + 1), rel=0.01)


@pytest.mark.django_db
def test_the_history_charts_label_hours_and_give_each_point_its_value(patient_client, patient):
    start = timezone.now() - datetime.timedelta(days=3)
    services.episode_create(
        patient=patient, severity=7, started_at=start, ended_at=start + datetime.timedelta(hours=1)
    )
    page = patient_client.get(reverse("history")).content.decode()
    for hours in ("00–06", "06–12", "12–18", "18–24"):
        assert f">{hours}</text>" in page
    day = timezone.localtime(start, patient.zone)
    assert f'tabindex="0" role="img" aria-label="{day:%a} {day.day} {day:%b %Y}: 7/10"' in page
