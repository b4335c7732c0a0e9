"""The visit summary in words a doctor can act on: the one-line headline and the PEG change.

Plain functions over the summary's figures (no queries), so the page, the PDF and the API
say the same thing. Every phrase is a whole translatable sentence part, plurals included.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.insights.over_time import PEG_IMPORTANT_CHANGE
from tracker.insights.wording import decimal, percent
from tracker.models import PegCheckIn


@dataclass(frozen=True)
class PegChange:
    """The period's first and last PEG, and whether the change is an important one (30%)."""

    first: PegCheckIn
    last: PegCheckIn

    @property
    def change(self) -> float:
        return round(self.last.score - self.first.score, 1)

    @property
    def important(self) -> bool:
        return self.first.score > 0 and abs(self.change) >= PEG_IMPORTANT_CHANGE * self.first.score

    @property
    def sentence(self) -> str:
        numbers = {
            "first": decimal(self.first.score),
            "first_date": date_format(self.first.date, "j M Y"),
            "last": decimal(self.last.score),
            "last_date": date_format(self.last.date, "j M Y"),
            "change": decimal(abs(self.change)),
            "percent": percent(abs(self.change) / self.first.score) if self.first.score else "–",
        }
        if self.change > 0:
            text = _(
                "PEG score %(first)s on %(first_date)s, %(last)s on %(last_date)s: up %(change)s (%(percent)s)."
            )
        elif self.change < 0:
            text = _(
                "PEG score %(first)s on %(first_date)s, %(last)s on %(last_date)s: down %(change)s (%(percent)s)."
            )
        else:
            text = _("PEG score %(first)s on %(first_date)s, %(last)s on %(last_date)s: no change.")
        text %= numbers
        if self.change and self.important:
            text += " " + _("A change of 30% or more is a meaningful one.")
        return text


def peg_change(pegs: list[PegCheckIn]) -> PegChange | None:
    return PegChange(pegs[0], pegs[-1]) if len(pegs) >= 2 else None


def _spasms(*, count: int, days: int, record_began: datetime.date | None, end: datetime.date) -> str:
    weeks = days // 7
    if record_began is not None and (end - record_began).days + 1 < days:
        return ngettext(
            "%(count)s spasm since %(date)s, when the record began",
            "%(count)s spasms since %(date)s, when the record began",
            count,
        ) % {"count": count, "date": date_format(record_began, "j M")}
    return ngettext(
        "%(count)s spasm in the last %(weeks)s weeks", "%(count)s spasms in the last %(weeks)s weeks", count
    ) % {"count": count, "weeks": weeks}


def _trend(trend) -> str:
    if trend is None or trend.direction == "unknown":
        return _("too early to tell whether it is getting better or worse")
    word = {"worse": _("worsening"), "better": _("improving"), "same": _("about the same")}[trend.direction]
    numbers = {"word": word, "weeks": trend.weeks}
    if trend.recent_avg is not None and trend.earlier_avg is not None:
        numbers.update(recent=decimal(trend.recent_avg), earlier=decimal(trend.earlier_avg))
        text = _("%(word)s: average %(recent)s vs %(earlier)s the %(weeks)s weeks before") % numbers
    else:
        text = str(word)
    return (
        text
        + " "
        + ngettext("(%(count)s spasm then)", "(%(count)s spasms then)", trend.earlier_count)
        % {"count": trend.earlier_count}
    )


def _warning_signs(red_flags) -> str:
    if not red_flags:
        return _("no warning signs reported")
    signs = ", ".join(
        _("%(sign)s on %(date)s") % {"sign": row.label, "date": date_format(row.last_local, "j M")}
        for row in red_flags
    )
    return ngettext(
        "warning sign reported: %(signs)s", "warning signs reported: %(signs)s", len(red_flags)
    ) % {"signs": signs}


def summary_headline(summary) -> str:
    """ "9 spasms in the last 4 weeks, worsening: average 6.8 vs 4.1 the 4 weeks before (4 spasms
    then); no warning signs reported." The count is of the trend's recent window, or of the
    days since the record began when that is shorter: a rate over time not recorded is no rate."""
    trend = summary.trend
    return _("%(spasms)s, %(trend)s; %(warning_signs)s.") % {
        "spasms": _spasms(
            count=trend.recent_count if trend else summary.episode_count,
            days=trend.days if trend else summary.days,
            record_began=summary.record_began,
            end=summary.end,
        ),
        "trend": _trend(trend),
        "warning_signs": _warning_signs(summary.red_flags),
    }
