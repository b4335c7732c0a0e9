"""The ``history.trend`` fact: is this patient's pain getting worse, better, or neither?

Pure functions over plain numbers, shared by the guidance facts and the clinician dashboard
so the two cannot disagree.
"""

import datetime
import statistics
from collections.abc import Sequence

# The window of recent episodes the slope reads, and the older window the averages compare.
TREND_WINDOW = datetime.timedelta(days=30)
# A change of this many points of severity (0-10) either way is a trend.
TREND_THRESHOLD = 1.0
# Fewer recent episodes than this and the slope says nothing: two points always make a line.
MIN_RECENT_EPISODES = 4

DAY_SECONDS = 24 * 60 * 60


def mean_or_none(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def recent_slope_trend(points: Sequence[tuple[datetime.datetime, int]]) -> str:
    """The trend of the last TREND_WINDOW's episodes on their own: ``(started_at, severity)``.

    Why this method (Theil-Sen: the median of the slopes between every pair of episodes):
    1. It needs no earlier history. A patient going 3, 5, 6, 8, 9 over twelve days, with
       nothing before, is worsening; comparing this month's average with last month's
       cannot say so until a month of history exists.
    2. It is robust to one odd episode. A least-squares line through 3, 3, 3, 3, 9 rises by
       more than a point; the median of the pairwise slopes stays flat, because one episode
       takes part in only a minority of the pairs. It tolerates up to about 29% of outliers.
    3. It reads time, not just order: two episodes an hour apart and two a week apart weigh
       by the days between them, so the slope is points per day.
    The fitted change across the episodes' span (slope x days from first to last) is
    compared with TREND_THRESHOLD. Fewer than MIN_RECENT_EPISODES episodes, or all at one
    moment: "unknown", so sparse data never raises or lowers an alarm on its own.
    """
    if len(points) < MIN_RECENT_EPISODES:
        return "unknown"
    first = points[0][0]
    return slope_trend([((at - first).total_seconds() / DAY_SECONDS, severity) for at, severity in points])


def slope_trend(points: Sequence[tuple[float, int]]) -> str:
    """``recent_slope_trend`` of ``(day, severity)`` points, the days on any one clock."""
    if len(points) < MIN_RECENT_EPISODES:
        return "unknown"
    days = [day for day, _s in points]
    severities = [severity for _day, severity in points]
    slopes = [
        (severities[j] - severities[i]) / (days[j] - days[i])
        for i in range(len(points))
        for j in range(i + 1, len(points))
        if days[j] != days[i]
    ]
    span = max(days) - min(days)
    if not slopes or span == 0:
        return "unknown"
    change = statistics.median(slopes) * span
    if change >= TREND_THRESHOLD:
        return "worsening"
    if change <= -TREND_THRESHOLD:
        return "improving"
    return "stable"


def average_trend(recent_avg: float | None, earlier_avg: float | None) -> str:
    """Average severity of the last TREND_WINDOW against the one before it."""
    if recent_avg is None or earlier_avg is None:
        return "unknown"
    change = recent_avg - earlier_avg
    if change >= TREND_THRESHOLD:
        return "worsening"
    if change <= -TREND_THRESHOLD:
        return "improving"
    return "stable"


def severity_trend(
    recent_avg: float | None,
    earlier_avg: float | None,
    recent: Sequence[tuple[datetime.datetime, int]] = (),
) -> str:
    """Both readings, worsening first (missing it is the costly error):
    1. either says "worsening": worsening (a climb within the month, or a month worse
       than the one before even if flat within itself);
    2. else either says "improving": improving (a fall within the month, or a month
       better than the one before);
    3. else "stable" if either could tell, "unknown" if neither had enough episodes."""
    return combined_trend(recent_slope_trend(sorted(recent)), average_trend(recent_avg, earlier_avg))


def combined_trend(*readings: str) -> str:
    """``severity_trend``'s rule over readings already made."""
    for trend in ("worsening", "improving", "stable"):
        if trend in readings:
            return trend
    return "unknown"
