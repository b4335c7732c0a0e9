"""The insight statistics against published worked examples (each test names its source)."""

import math

import pytest

from tracker.insights import stats


def test_share_gives_newcombes_wilson_intervals():
    # Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of
    # seven methods. Stat Med 1998;17:857-872, Table II, method 3 (Wilson score, no continuity
    # correction): 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611;
    # 1/29 -> 0.0061 to 0.1718.
    examples = [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ]
    for successes, trials, low, high in examples:
        result = stats.share(successes=successes, trials=trials)
        assert (round(result.interval.low, 4), round(result.interval.high, 4)) == (low, high)


def test_share_refuses_more_successes_than_trials():
    with pytest.raises(ValueError):
        stats.share(successes=4, trials=3)


def test_risk_ratio_matches_sahai_and_khurshid_example_3_1():
    # Sahai H, Khurshid A. Statistics in Epidemiology. CRC Press 1996, Example 3.1: coronary
    # heart disease in 27 of 122 with high catecholamine against 44 of 487 with low:
    # relative risk 2.45, 95% interval 1.58 to 3.79.
    result = stats.risk_ratio(exposed_cases=27, exposed_total=122, other_cases=44, other_total=487)
    assert round(result.ratio, 2) == 2.45
    assert (round(result.interval.low, 2), round(result.interval.high, 2)) == (1.58, 3.79)
    assert round(result.exposed_risk, 3) == 0.221 and round(result.other_risk, 3) == 0.090


def test_risk_ratio_refuses_a_side_without_cases():
    with pytest.raises(ValueError):
        stats.risk_ratio(exposed_cases=0, exposed_total=20, other_cases=5, other_total=20)


def test_rate_ratio_matches_the_exact_conditional_example_of_r_poisson_test():
    # R Core Team, stats::poisson.test help page, the two-sample example:
    # poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)) gives a rate ratio of
    # 1.971488 with a 95% interval of 0.8584264 to 4.2772659.
    result = stats.rate_ratio(recent_count=11, recent_time=800, earlier_count=21, earlier_time=3011)
    assert round(result.ratio, 6) == 1.971488
    assert (round(result.interval.low, 7), round(result.interval.high, 7)) == (0.8584264, 4.2772659)


def test_rate_ratio_is_none_without_any_event_and_unbounded_without_earlier_ones():
    assert stats.rate_ratio(recent_count=0, recent_time=4, earlier_count=0, earlier_time=4) is None
    result = stats.rate_ratio(recent_count=5, recent_time=4, earlier_count=0, earlier_time=4)
    assert math.isinf(result.ratio) and math.isinf(result.interval.high) and result.interval.low > 0


def test_evenness_matches_mendels_peas():
    # Mendel's round/wrinkled, yellow/green peas (315, 108, 101, 32) against 9:3:3:1 give
    # chi-squared 0.47 on 3 degrees of freedom, P = 0.925 (Snedecor GW, Cochran WG,
    # Statistical Methods, 8th ed., Iowa State University Press 1989, section 2.11).
    result = stats.evenness([315, 108, 101, 32], weights=[9, 3, 3, 1])
    assert (round(result.statistic, 2), round(result.p_value, 3)) == (0.47, 0.925)
    assert not result.uneven


def test_evenness_of_equal_counts_is_zero():
    assert stats.evenness([10, 10, 10, 10]).statistic == 0


def test_evenness_finds_a_clear_cluster_and_its_slot():
    result = stats.evenness([30, 5, 5, 5])
    assert result.uneven and result.busiest == 0


def test_evenness_waits_for_five_expected_in_each_slot():
    assert stats.evenness([5, 5, 5, 4]) is None
    assert stats.evenness([5, 5, 5, 5]) is not None


def test_bonferroni_confidence_splits_the_error_over_the_tests():
    assert stats.bonferroni_confidence(tests=5) == pytest.approx(0.99)
    assert stats.bonferroni_confidence(tests=0) == pytest.approx(0.95)
