"""Insights over time, from plain counts: is it getting better (spasm rate and PEG, last
four weeks against the four before), and when do spasms happen (time of day, weekday)."""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tracker.insights import stats
from tracker.insights.selectors import TREND_DAYS, TREND_WEEKS, InsightCounts
from tracker.insights.wording import decimal, percent

WIDE_RATIO = 4.0  # a ratio interval whose ends differ more than this many times is wide
# IMMPACT (Dworkin et al., J Pain 2008;9:105-121): a 30% fall in pain scores is a
# moderately important improvement; Krebs et al. 2009 found PEG as responsive as the BPI.
PEG_IMPORTANT_CHANGE = 0.30


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
