"""A patient's insights from plain counts (no database but in ``insights_for``): each one as numbers for the API
and the table, and as sentences a patient understands, saying how sure we can be.

Nothing is claimed that the counts cannot support: below the minimum amount of data an
insight says how much more is needed, and wide intervals say so.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tracker.choices import ReliefMeasure, Trigger, label_map
from tracker.insights import stats
from tracker.insights.selectors import (
    TREND_DAYS,
    TREND_WEEKS,
    FactorCounts,
    InsightCounts,
    ReliefCounts,
    insight_counts,
)

MIN_TRIES = 3  # a relief measure's share is shown from its third try
CLEARLY_HELPS = 0.5  # guidance says a measure helped you only when its interval is above this
MIN_DAYS_PER_SIDE = 14  # checked-in days with, and without, a factor
MIN_SPASM_DAYS_PER_SIDE = 3
WIDE_SHARE = 0.4  # an interval for a share wider than this is called wide
WIDE_RATIO = 4.0  # a ratio interval whose ends differ more than this many times is wide
# IMMPACT (Dworkin et al., J Pain 2008;9:105-121): a 30% fall in pain scores is a
# moderately important improvement; Krebs et al. 2009 found PEG as responsive as the BPI.
PEG_IMPORTANT_CHANGE = 0.30


def percent(value: float) -> str:
    return f"{round(100 * value)}%"


def decimal(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1)


def factor_labels() -> dict[str, tuple[str, str]]:
    """Per factor: the days with it and the days without it, as a sentence names them."""
    return {
        "poor_sleep": (_("after poor sleep"), _("after OK or good sleep")),
        "high_stress": (_("with high stress"), _("with low or medium stress")),
        "active": (_("when you were physically active"), _("when you were not")),
        "long_sitting": (_("when you sat for a long time"), _("when you did not")),
    }


def factor_names() -> dict[str, str]:
    return {
        "poor_sleep": _("Poor sleep"),
        "high_stress": _("High stress"),
        "active": _("Physically active"),
        "long_sitting": _("Long sitting"),
    }


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
class Trend:
    ratio: stats.RateRatio | None
    tracking_days_needed: int
    peg_recent: float | None
    peg_earlier: float | None
    sentences: list[str] = field(default_factory=list)

    @property
    def peg_change(self) -> float | None:
        if self.peg_recent is None or self.peg_earlier is None:
            return None
        return self.peg_recent - self.peg_earlier


@dataclass
class Pattern:
    key: str
    labels: list[str]
    counts: list[int]
    test: stats.Evenness | None
    sentences: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, int]]:
        return list(zip(self.labels, self.counts, strict=True))


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


def trend(counts: InsightCounts) -> Trend:
    needed = max(0, 2 * TREND_DAYS - counts.tracking_days)
    result = Trend(None, needed, counts.peg_recent, counts.peg_earlier)
    weeks = {"weeks": TREND_WEEKS}
    if needed:
        result.sentences.append(
            _("Not enough data yet to compare: this needs %(days)s days of tracking, %(more)s more to go.")
            % {"days": 2 * TREND_DAYS, "more": needed}
        )
    else:
        result.ratio = stats.rate_ratio(
            recent_count=counts.recent_episodes,
            recent_time=TREND_WEEKS,
            earlier_count=counts.earlier_episodes,
            earlier_time=TREND_WEEKS,
        )
        result.sentences.extend(_trend_sentences(result.ratio, counts, weeks))
    result.sentences.extend(_peg_sentences(result, weeks))
    return result


def _trend_sentences(ratio: stats.RateRatio | None, counts: InsightCounts, weeks: dict) -> list[str]:
    if ratio is None:
        return [_("No spasms logged in the last %(weeks)s weeks or the %(weeks)s before.") % weeks]
    numbers = {
        **weeks,
        "recent": counts.recent_episodes,
        "recent_week": decimal(counts.recent_episodes / TREND_WEEKS),
        "earlier": counts.earlier_episodes,
        "earlier_week": decimal(counts.earlier_episodes / TREND_WEEKS),
    }
    if math.isinf(ratio.ratio):
        sentences = [
            _("In the last %(weeks)s weeks you had %(recent)s spasms, and none in the %(weeks)s before.")
            % numbers
        ]
    else:
        numbers.update(
            ratio=decimal(ratio.ratio), low=decimal(ratio.interval.low), high=decimal(ratio.interval.high)
        )
        sentences = [
            _(
                "In the last %(weeks)s weeks you had %(recent)s spasms (%(recent_week)s a week), against "
                "%(earlier)s in the %(weeks)s weeks before (%(earlier_week)s a week): %(ratio)s times the "
                "earlier rate (probably between %(low)s and %(high)s times)."
            )
            % numbers
        ]
    if ratio.interval.high < 1:
        sentences.append(_("That is fewer, more than chance would explain."))
    elif ratio.interval.low > 1:
        sentences.append(_("That is more, more than chance would explain: worth telling your doctor."))
    else:
        sentences.append(_("No clear change: the difference could be chance."))
    if ratio.interval.low == 0 or ratio.interval.high / ratio.interval.low > WIDE_RATIO:
        sentences.append(_("The range is wide: a few more weeks will narrow it."))
    return sentences


def _peg_sentences(result: Trend, weeks: dict) -> list[str]:
    change = result.peg_change
    if change is None:
        return [_("Fill in the weekly PEG in both periods to see how pain gets in the way over time.")]
    numbers = {
        **weeks,
        "recent": decimal(result.peg_recent),
        "earlier": decimal(result.peg_earlier),
        "change": decimal(abs(change)),
        "important": percent(PEG_IMPORTANT_CHANGE),
    }
    sentences = [
        _(
            "Your PEG score (pain and how it gets in your way, 0 to 10) averaged %(recent)s in the last "
            "%(weeks)s weeks, against %(earlier)s in the %(weeks)s before."
        )
        % numbers
    ]
    numbers["percent"] = percent(abs(change) / result.peg_earlier) if result.peg_earlier else "–"
    if change < 0:
        sentences.append(_("It fell by %(change)s points (%(percent)s).") % numbers)
    elif change > 0:
        sentences.append(_("It rose by %(change)s points (%(percent)s).") % numbers)
    important = result.peg_earlier > 0 and abs(change) >= PEG_IMPORTANT_CHANGE * result.peg_earlier
    if important:
        sentences.append(
            _("That is at least the %(important)s that counts as a meaningful change.") % numbers
        )
    else:
        sentences.append(
            _("That is less than the %(important)s that counts as a meaningful change.") % numbers
        )
    return sentences


def patterns(counts: InsightCounts) -> list[Pattern]:
    slots = [
        (
            "time_of_day",
            [_("night (0–6)"), _("morning (6–12)"), _("afternoon (12–18)"), _("evening (18–24)")],
            counts.time_of_day,
        ),
        (
            "weekday",
            [
                _("Monday"),
                _("Tuesday"),
                _("Wednesday"),
                _("Thursday"),
                _("Friday"),
                _("Saturday"),
                _("Sunday"),
            ],
            counts.weekdays,
        ),
    ]
    result = []
    for key, labels, values in slots:
        pattern = Pattern(key, [str(label) for label in labels], list(values), stats.evenness(values))
        by = _("by time of day") if key == "time_of_day" else _("by day of the week")
        if pattern.test is None:
            more = stats.minimum_total_for_evenness(len(values)) - sum(values)
            pattern.sentences.append(
                _("Not enough data yet to look for a pattern %(by)s: %(count)s more spasms.")
                % {"by": by, "count": more}
            )
        elif pattern.test.uneven:
            busiest = pattern.test.busiest
            pattern.sentences.append(
                _("Your spasms are not spread evenly %(by)s: %(slot)s had the most (%(count)s of %(total)s).")
                % {"by": by, "slot": pattern.labels[busiest], "count": values[busiest], "total": sum(values)}
            )
        else:
            pattern.sentences.append(_("No clear pattern %(by)s.") % {"by": by})
        result.append(pattern)
    return result


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
