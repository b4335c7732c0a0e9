"""A patient's insights from plain counts (no database but in ``insights_for``): each one
as numbers for the API and the table, and as sentences a patient understands, saying how
sure we can be. What helps and what comes before a spasm day are here; the trend and the
timing in ``over_time``.

Nothing is claimed that the counts cannot support: below the minimum amount of data an
insight says how much more is needed, and wide intervals say so.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tracker.choices import ReliefMeasure, Trigger, label_map
from tracker.insights import stats
from tracker.insights.over_time import WIDE_RATIO, Pattern, Trend, patterns, trend
from tracker.insights.selectors import FactorCounts, InsightCounts, ReliefCounts, insight_counts
from tracker.insights.wording import decimal, factor_labels, factor_names, percent

MIN_TRIES = 3  # a relief measure's share is shown from its third try
CLEARLY_HELPS = 0.5  # guidance says a measure helped you only when its interval is above this
MIN_DAYS_PER_SIDE = 14  # checked-in days with, and without, a factor
MIN_SPASM_DAYS_PER_SIDE = 3
WIDE_SHARE = 0.4  # an interval for a share wider than this is called wide


@dataclass
class ReliefInsight:
    measure: str
    label: str
    helped: stats.Share
    worse: stats.Share
    sentences: list[str] = field(default_factory=list)


@dataclass
class FactorInsight:
    key: str
    name: str
    counts: FactorCounts
    more_checkins_needed: int = 0
    ratio: stats.RiskRatio | None = None
    adjusted_interval: stats.Interval | None = None
    clear: bool = False
    sentences: list[str] = field(default_factory=list)


@dataclass
class Insights:
    relief: list[ReliefInsight]
    relief_too_few: list[str]
    factors: list[FactorInsight]
    factors_tested: int
    triggers: list[tuple[str, str, int]]
    trend: Trend
    patterns: list[Pattern]
    notes: dict[str, str] = field(default_factory=dict)


def relief_insights(counts: InsightCounts) -> tuple[list[ReliefInsight], list[str]]:
    labels = label_map(ReliefMeasure)
    insights, too_few = [], []
    for row in counts.relief:
        label = str(labels.get(row.measure, row.measure))
        if row.tried < MIN_TRIES:
            too_few.append(label)
            continue
        helped = stats.share(successes=row.helped, trials=row.tried)
        worse = stats.share(successes=row.worse, trials=row.tried)
        insight = ReliefInsight(row.measure, label, helped, worse)
        insight.sentences.append(
            _(
                "%(measure)s helped %(helped)s of the %(tried)s times you tried it (%(share)s): "
                "probably between %(low)s and %(high)s of the time."
            )
            % {
                "measure": label,
                "helped": row.helped,
                "tried": row.tried,
                "share": percent(helped.estimate),
                "low": percent(helped.interval.low),
                "high": percent(helped.interval.high),
            }
        )
        if row.worse:
            insight.sentences.append(
                _(
                    "It made it worse %(worse)s of those times (%(share)s, probably between %(low)s and %(high)s)."
                )
                % {
                    "worse": row.worse,
                    "share": percent(worse.estimate),
                    "low": percent(worse.interval.low),
                    "high": percent(worse.interval.high),
                }
            )
        if helped.interval.high - helped.interval.low > WIDE_SHARE:
            insight.sentences.append(_("That range is wide: a few more tries will narrow it."))
        insights.append(insight)
    insights.sort(key=lambda item: (-item.helped.interval.low, item.worse.estimate, item.measure))
    return insights, too_few


def relief_evidence(relief: list[ReliefCounts]) -> list[str]:
    """For the guidance's "what helped you before": only the measures whose whole 95%
    interval is above one try in two, and never more than the numbers say."""
    labels = label_map(ReliefMeasure)
    sentences = []
    for row in relief:
        if row.tried < MIN_TRIES:
            continue
        helped = stats.share(successes=row.helped, trials=row.tried)
        if helped.interval.low > CLEARLY_HELPS:
            sentences.append(
                _(
                    "%(measure)s helped you %(helped)s of the %(tried)s times you tried it: probably at least "
                    "%(low)s of the time."
                )
                % {
                    "measure": str(labels.get(row.measure, row.measure)),
                    "helped": row.helped,
                    "tried": row.tried,
                    "low": percent(helped.interval.low),
                }
            )
    return sentences


def checkins_needed(row: FactorCounts) -> int:
    """The fewest further check-ins (with this factor answered) that could reach the minimum."""
    needed = 0
    for days, spasm_days in (
        (row.exposed_days, row.exposed_spasm_days),
        (row.other_days, row.other_spasm_days),
    ):
        needed += max(MIN_DAYS_PER_SIDE - days, MIN_SPASM_DAYS_PER_SIDE - spasm_days, 0)
    return needed


def factor_insights(factors: list[FactorCounts]) -> tuple[list[FactorInsight], int]:
    names, labels = factor_names(), factor_labels()
    insights = [FactorInsight(row.key, names[row.key], row, checkins_needed(row)) for row in factors]
    tested = [item for item in insights if item.more_checkins_needed == 0]
    adjusted = stats.bonferroni_confidence(tests=len(tested))
    for item in insights:
        if item.more_checkins_needed:
            item.sentences.append(
                _("%(factor)s: not enough data yet: %(count)s more check-ins with it answered.")
                % {"factor": item.name, "count": item.more_checkins_needed}
            )
            continue
        row = item.counts
        arguments = {
            "exposed_cases": row.exposed_spasm_days,
            "exposed_total": row.exposed_days,
            "other_cases": row.other_spasm_days,
            "other_total": row.other_days,
        }
        item.ratio = stats.risk_ratio(**arguments)
        item.adjusted_interval = stats.risk_ratio(**arguments, confidence=adjusted).interval
        item.clear = not item.adjusted_interval.contains(1.0)
        with_label, without_label = labels[item.key]
        item.sentences.append(
            _(
                "On days %(with)s you had a spasm %(exposed)s of the time (%(exposed_cases)s of %(exposed_days)s "
                "days), against %(other)s %(without)s (%(other_cases)s of %(other_days)s days): about "
                "%(ratio)s times as often (probably between %(low)s and %(high)s times)."
            )
            % {
                "with": with_label,
                "without": without_label,
                "exposed": percent(item.ratio.exposed_risk),
                "exposed_cases": row.exposed_spasm_days,
                "exposed_days": row.exposed_days,
                "other": percent(item.ratio.other_risk),
                "other_cases": row.other_spasm_days,
                "other_days": row.other_days,
                "ratio": decimal(item.ratio.ratio),
                "low": decimal(item.ratio.interval.low),
                "high": decimal(item.ratio.interval.high),
            }
        )
        if item.clear:
            item.sentences.append(
                _(
                    "The link holds even allowing for every factor we looked at. This shows they go "
                    "together, not that one causes the other."
                )
            )
        else:
            item.sentences.append(
                _("No clear link: with this many days, and this many factors looked at, it could be chance.")
            )
        if item.ratio.interval.high / item.ratio.interval.low > WIDE_RATIO:
            item.sentences.append(_("The range is wide: more check-ins will narrow it."))
    return insights, len(tested)


def factor_reminder(factors: list[FactorCounts]) -> str | None:
    """A sentence for the weekly mention in the daily reminder: the strongest factor whose
    link holds after allowing for all the factors looked at, or None."""
    insights, _tested = factor_insights(factors)
    clear = [item for item in insights if item.clear]
    if not clear:
        return None
    item = max(clear, key=lambda found: abs(math.log(found.ratio.ratio)))
    with_label, without_label = factor_labels()[item.key]
    return _(
        "Your check-ins show a link: on days %(with)s you had a spasm about %(ratio)s times as often as "
        "on days %(without)s (probably between %(low)s and %(high)s times). It does not prove one causes "
        "the other."
    ) % {
        "with": with_label,
        "without": without_label,
        "ratio": decimal(item.ratio.ratio),
        "low": decimal(item.ratio.interval.low),
        "high": decimal(item.ratio.interval.high),
    }


def insights_from(counts: InsightCounts) -> Insights:
    relief, too_few = relief_insights(counts)
    factors, tested = factor_insights(counts.factors)
    trigger_labels = label_map(Trigger)
    return Insights(
        relief=relief,
        relief_too_few=too_few,
        factors=factors,
        factors_tested=tested,
        triggers=[(slug, str(trigger_labels.get(slug, slug)), count) for slug, count in counts.triggers],
        trend=trend(counts),
        patterns=patterns(counts),
        notes={
            "relief": _(
                "Ranges are 95%% Wilson intervals for the share of tries; measures are ranked by the low end. "
                "This is what you reported, not a comparison with doing nothing."
            )
            % {},
            "factors": _(
                "We looked at %(count)s factors together. Ranges are 95%% intervals; a link is called clear "
                "only if it holds after allowing for all %(count)s (Bonferroni)."
            )
            % {"count": tested},
            "triggers": _(
                "Triggers are noted only on spasm days, so they can't be compared with days without a spasm: "
                "here is how often you named each."
            ),
            "trend": _("Spasms are compared as Poisson counts, with an exact 95%% interval for the ratio.")
            % {},
            "patterns": _("A chi-squared test of whether the spasms differ from an even spread (5%% level).")
            % {},
        },
    )


def insights_for(*, patient, today=None) -> Insights:
    """The patient's insights: the counts (a fixed number of queries), then pure statistics."""
    return insights_from(insight_counts(patient=patient, today=today))
