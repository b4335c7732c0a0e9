"""``history.trend`` from the recent episodes themselves (issue 11, item 3)."""

import datetime

import pytest

from guidance.trend import MIN_RECENT_EPISODES, recent_slope_trend, severity_trend

START = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)


def series(*severities: int, every_days: float = 3) -> list[tuple[datetime.datetime, int]]:
    return [(START + datetime.timedelta(days=i * every_days), s) for i, s in enumerate(severities)]


def test_a_steady_climb_with_no_earlier_history_is_worsening():
    assert severity_trend(6.2, None, recent=series(3, 5, 6, 8, 9)) == "worsening"


def test_one_outlier_among_steady_episodes_is_not_a_trend():
    assert recent_slope_trend(series(3, 3, 3, 3, 9)) == "stable"
    assert recent_slope_trend(series(4, 4, 9, 4, 4)) == "stable"


def test_falling_severities_are_improving():
    assert severity_trend(None, None, recent=series(8, 7, 6, 4, 3)) == "improving"


def test_flat_severities_are_stable():
    assert severity_trend(5.0, 5.0, recent=series(5, 5, 5, 5, 5)) == "stable"


def test_sparse_recent_episodes_say_nothing_on_their_own():
    points = series(*range(2, 2 + MIN_RECENT_EPISODES - 1))
    assert recent_slope_trend(points) == "unknown"
    assert severity_trend(None, None, recent=points) == "unknown"


def test_sparse_recent_episodes_fall_back_to_the_month_before():
    assert severity_trend(7.0, 4.0, recent=series(7, 7)) == "worsening"
    assert severity_trend(3.0, 6.0, recent=series(3, 3)) == "improving"


def test_a_month_worse_than_the_one_before_is_worsening_even_if_flat_within_itself():
    assert severity_trend(7.0, 3.0, recent=series(7, 7, 7, 7)) == "worsening"


def test_episodes_all_at_one_moment_have_no_slope():
    assert recent_slope_trend(series(2, 4, 6, 8, every_days=0)) == "unknown"


def test_the_order_given_does_not_matter():
    assert severity_trend(None, None, recent=list(reversed(series(3, 5, 6, 8, 9)))) == "worsening"


@pytest.mark.parametrize("days_apart", [0.5, 3, 7])
def test_a_small_drift_below_a_point_is_stable(days_apart):
    assert recent_slope_trend(series(5, 5, 6, 5, 5, 6, every_days=days_apart)) == "stable"


def test_a_month_better_than_the_one_before_is_improving_even_if_flat_within_itself():
    assert severity_trend(3.0, 8.0, recent=series(3, 3, 3, 3)) == "improving"


def test_a_recent_climb_outweighs_a_better_month_on_average():
    assert severity_trend(4.0, 7.0, recent=series(2, 3, 5, 6)) == "worsening"
