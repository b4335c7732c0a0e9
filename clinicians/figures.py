"""A linked patient's dashboard figures (episodes in the last 30 days, the two trend
windows' average severity and the trend) from their facts row's recent list
(``tracker.patient_facts``: ``[start in microseconds, severity]`` pairs, in order).

The figures are a pure function of that list and the moment they are asked for, and they
change with time only when a window's edge passes one of the list's starts. So each result
is remembered, under the list's text, with the span of moments it holds for: a dashboard
ranking hundreds of patients works out only the rows that changed since it last looked
(a new episode changes the text; time moves past an edge) instead of decoding every list
and fitting every slope again. Memory is bounded; a process starts empty.
"""

import datetime
import json
from dataclasses import dataclass

from guidance.trend import (
    DAY_SECONDS,
    MIN_RECENT_EPISODES,
    TREND_WINDOW,
    average_trend,
    combined_trend,
    slope_trend,
)

# The dashboard's 30-day count (and its other 30-day flags) look back this many days.
FLAG_DAYS = 30
MICROSECOND = datetime.timedelta(microseconds=1)
_FLAG_US = datetime.timedelta(days=FLAG_DAYS) // MICROSECOND
_TREND_US = TREND_WINDOW // MICROSECOND
# Remembered results at most (each a few hundred bytes); past it the memory starts again.
MEMO_SIZE = 50_000


@dataclass(frozen=True)
class Figures:
    episodes_30d: int
    recent_avg: float | None
    earlier_avg: float | None
    trend: str
    # The moments (microseconds since the epoch) these figures hold for: [since, until).
    since: int
    until: int


_memo: dict[str, Figures] = {}


def figures_for(recent_text: str | None, now_us: int) -> Figures:
    """The figures at ``now_us`` of a facts row's recent list, given as its JSON text."""
    if not recent_text:
        return compute_figures((), now_us)
    held = _memo.get(recent_text)
    if held is not None and held.since <= now_us < held.until:
        return held
    result = compute_figures(json.loads(recent_text), now_us)
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[recent_text] = result
    return result


def compute_figures(recent_list, now_us: int) -> Figures:
    """The figures at ``now_us`` of ``[start, severity]`` pairs in order of start, counted
    as the patient's own guidance counts them (``guidance.trend``), on the row's clock."""
    earlier_us, recent_us, since_30d_us = now_us - 2 * _TREND_US, now_us - _TREND_US, now_us - _FLAG_US
    recent, earlier, n30 = [], [], 0
    until = 2**63
    for start, severity in recent_list:
        # When this start enters the windows, or leaves the 30 days, the recent window or both.
        for edge in (start, start + _FLAG_US + 1, start + _TREND_US + 1, start + 2 * _TREND_US + 1):
            if now_us < edge < until:
                until = edge
        if earlier_us <= start <= now_us:
            n30 += start >= since_30d_us
            (recent if start >= recent_us else earlier).append((start, severity))
    recent_avg = sum(severity for _at, severity in recent) / len(recent) if recent else None
    earlier_avg = sum(severity for _at, severity in earlier) / len(earlier) if earlier else None
    # The slope in days from the first recent start, computed as guidance computes it:
    # never converted to datetimes. Too few episodes for a slope need no points.
    slope = "unknown"
    if len(recent) >= MIN_RECENT_EPISODES:
        first_us = recent[0][0]
        slope = slope_trend(
            [((start - first_us) / 10**6 / DAY_SECONDS, severity) for start, severity in recent]
        )
    trend = combined_trend(slope, average_trend(recent_avg, earlier_avg))
    return Figures(n30, recent_avg, earlier_avg, trend, since=now_us, until=until)
