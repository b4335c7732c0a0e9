"""The statistics behind the insights: pure functions over plain counts, no database.

Every interval and test comes from ``scipy.stats``; nothing here re-derives a formula.
The tests check each function against a published worked example.

- a share (what helps): Wilson score interval, ``binomtest(...).proportion_ci("wilson")``;
- a risk ratio (what comes before a spasm day): ``contingency.relative_risk``, whose
  interval is the usual log (Katz) interval;
- a rate ratio (is it getting better): the exact conditional interval. Given the total
  number of spasms, the number in the recent period is binomial, so the Clopper-Pearson
  interval for that share, turned into a ratio of rates, is an exact interval for it;
- evenness over the day or the week: Pearson's chi-squared goodness of fit, only when
  every expected count is at least 5 (the usual rule for the test to be trusted).
"""

import math
from dataclasses import dataclass

from scipy import stats
from scipy.stats import contingency

CONFIDENCE = 0.95
SIGNIFICANCE = 1 - CONFIDENCE
MIN_EXPECTED_COUNT = 5


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Share:
    """``successes`` of ``trials``, with its Wilson interval."""

    successes: int
    trials: int
    estimate: float
    interval: Interval


def share(*, successes: int, trials: int, confidence: float = CONFIDENCE) -> Share:
    """The share of trials that succeeded, with a Wilson score interval (Wilson 1927),
    which behaves well for the handful of tries a patient has (unlike the Wald interval)."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError("a share needs 0 <= successes <= trials and at least one trial")
    ci = stats.binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="wilson")
    return Share(successes, trials, successes / trials, Interval(float(ci.low), float(ci.high)))


@dataclass(frozen=True)
class RiskRatio:
    exposed_cases: int
    exposed_total: int
    other_cases: int
    other_total: int
    ratio: float
    interval: Interval

    @property
    def exposed_risk(self) -> float:
        return self.exposed_cases / self.exposed_total

    @property
    def other_risk(self) -> float:
        return self.other_cases / self.other_total


def risk_ratio(
    *,
    exposed_cases: int,
    exposed_total: int,
    other_cases: int,
    other_total: int,
    confidence: float = CONFIDENCE,
) -> RiskRatio:
    """The chance of a spasm day with the factor over the chance without it. Needs at least
    one case on each side: with none the ratio (or its interval) is unbounded."""
    if min(exposed_cases, other_cases) < 1:
        raise ValueError("a risk ratio needs at least one case on each side")
    result = contingency.relative_risk(exposed_cases, exposed_total, other_cases, other_total)
    ci = result.confidence_interval(confidence_level=confidence)
    return RiskRatio(
        exposed_cases,
        exposed_total,
        other_cases,
        other_total,
        float(result.relative_risk),
        Interval(float(ci.low), float(ci.high)),
    )


def bonferroni_confidence(*, tests: int, confidence: float = CONFIDENCE) -> float:
    """The confidence each of ``tests`` intervals needs so that all of them together hold
    with ``confidence`` (Bonferroni): looking at many factors, one can seem linked by chance."""
    return 1 - (1 - confidence) / max(1, tests)


@dataclass(frozen=True)
class RateRatio:
    recent_count: int
    recent_time: float
    earlier_count: int
    earlier_time: float
    ratio: float  # math.inf when the earlier period had none
    interval: Interval


def rate_ratio(
    *,
    recent_count: int,
    recent_time: float,
    earlier_count: int,
    earlier_time: float,
    confidence: float = CONFIDENCE,
) -> RateRatio | None:
    """Recent rate over earlier rate (Poisson counts), with the exact conditional interval;
    None when neither period had any event (nothing to compare)."""
    total = recent_count + earlier_count
    if total == 0:
        return None
    ci = stats.binomtest(recent_count, total).proportion_ci(confidence_level=confidence, method="exact")

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p) * earlier_time / recent_time

    ratio = math.inf if earlier_count == 0 else (recent_count / recent_time) / (earlier_count / earlier_time)
    return RateRatio(
        recent_count,
        recent_time,
        earlier_count,
        earlier_time,
        ratio,
        Interval(to_ratio(float(ci.low)), to_ratio(float(ci.high))),
    )


@dataclass(frozen=True)
class Evenness:
    counts: tuple[int, ...]
    statistic: float
    p_value: float

    @property
    def uneven(self) -> bool:
        return self.p_value < SIGNIFICANCE

    @property
    def busiest(self) -> int:
        """The index of the largest count (the first one on a tie)."""
        return max(range(len(self.counts)), key=lambda index: self.counts[index])


def evenness(counts: list[int] | tuple[int, ...], *, weights: list[float] | None = None) -> Evenness | None:
    """Whether counts over slots differ from even (or from ``weights``, relative sizes of the
    slots), by a chi-squared goodness-of-fit test; None while an expected count is under 5."""
    total = sum(counts)
    weights = weights or [1.0] * len(counts)
    expected = [total * weight / sum(weights) for weight in weights]
    if not counts or min(expected) < MIN_EXPECTED_COUNT:
        return None
    result = stats.chisquare(list(counts), f_exp=expected)
    return Evenness(tuple(counts), float(result.statistic), float(result.pvalue))


def minimum_total_for_evenness(slots: int) -> int:
    return MIN_EXPECTED_COUNT * slots
