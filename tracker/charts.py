"""Server-side chart geometry: templates draw it as inline SVG (no script, nothing remote).

Charts sit on real axes: a time axis runs from the period's first to its last day, so an
11-day gap looks like 11 days; value axes start at 0 with labelled ticks and end at a round
number at or above the largest value, so no bar is clipped. Every chart also has a table in
the template, for screen readers and for print.
"""

import datetime
import math
from dataclasses import dataclass, field

from tracker.selectors import TIME_OF_DAY, HistoryStats

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 28, 20, 14, 30  # room for the value ticks, the last label, and the dates
# Points more than this many days apart are not joined: a long gap is drawn as a gap.
GAP_DAYS = 7
MAX_DATE_TICKS = 5


@dataclass(frozen=True)
class Tick:
    position: float
    label: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    date: datetime.date
    value: float


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    date: datetime.date | None = None
    detail: str = ""


@dataclass
class Chart:
    """One chart's geometry; the template draws the frame, ticks and marks from it."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.points and not any(bar.value for bar in self.bars)


def _chart(height: int) -> Chart:
    """An empty chart of the usual width; a shorter one for a compact overview."""
    return Chart(height=height, bottom=height - BOTTOM)


def nice_top(largest: float) -> int:
    """A round top for a count axis: 1, 2, 4, 5, 10, 20, 40, 50... at or above ``largest``."""
    if largest <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 4, 5, 10):
        if step * magnitude >= largest:
            return int(step * magnitude)
    return int(10 * magnitude)


def _value_ticks(chart: Chart, top: float) -> list[Tick]:
    values = sorted({0, top / 2, top}) if top > 1 else [0, top]
    return [Tick(_y(chart, value, top), f"{value:g}") for value in values]


def _y(chart: Chart, value: float, top: float) -> float:
    return chart.bottom - (chart.bottom - chart.top) * value / top


def _x(chart: Chart, day: datetime.date, start: datetime.date, end: datetime.date) -> float:
    span = max(1, (end - start).days)
    return chart.left + (chart.right - chart.left) * (day - start).days / span


def date_ticks(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """A few round dates in [start, end]: month starts over long periods, Mondays or days over short."""
    span = (end - start).days
    if span > 75:
        days = [start.replace(day=1)]
        while days[-1] <= end:
            days.append((days[-1].replace(day=28) + datetime.timedelta(days=4)).replace(day=1))
        candidates = [day for day in days if start <= day <= end]
    elif span > 14:
        monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
        candidates = [monday + datetime.timedelta(weeks=n) for n in range(span // 7 + 1)]
        candidates = [day for day in candidates if day <= end]
    else:
        candidates = [start + datetime.timedelta(days=n) for n in range(span + 1)]
    step = max(1, math.ceil(len(candidates) / MAX_DATE_TICKS))
    return candidates[::step]


def time_series(
    days: list[tuple[datetime.date, float]],
    *,
    start: datetime.date,
    end: datetime.date,
    max_value: float = 10,
    height: int = HEIGHT,
) -> Chart:
    """Values by day on a time axis from ``start`` to ``end``; days far apart stay unjoined."""
    chart = _chart(height)
    chart.y_ticks = _value_ticks(chart, max_value)
    chart.x_ticks = [Tick(_x(chart, day, start, end), date=day) for day in date_ticks(start, end)]
    chart.points = [
        Point(_x(chart, day, start, end), _y(chart, value, max_value), day, value)
        for day, value in days
        if start <= day <= end
    ]
    run: list[Point] = []
    for point in chart.points:
        if run and (point.date - run[-1].date).days > GAP_DAYS:
            chart.segments.append(_path(run))
            run = []
        run.append(point)
    if run:
        chart.segments.append(_path(run))
    return chart


def _path(points: list[Point]) -> str:
    return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def week_bars(
    weeks: list[tuple[datetime.date, int]], *, start: datetime.date, end: datetime.date, height: int = HEIGHT
) -> Chart:
    """Episodes per week as bars on the time axis, each as wide as its week."""
    chart = _chart(height)
    top = nice_top(max((count for _week, count in weeks), default=0))
    chart.y_ticks = _value_ticks(chart, top)
    first = min([start, *(week for week, _count in weeks)])
    last = max([end, *(week + datetime.timedelta(days=7) for week, _count in weeks)])
    chart.x_ticks = [Tick(_x(chart, day, first, last), date=day) for day in date_ticks(start, end)]
    for week, count in weeks:
        x = _x(chart, week, first, last)
        width = max(1.0, _x(chart, week + datetime.timedelta(days=7), first, last) - x - 1)
        y = _y(chart, count, top)
        chart.bars.append(Bar(x, y, width, chart.bottom - y, "", count, date=week))
    return chart


def category_bars(items: list[tuple[str, str, int]]) -> Chart:
    """Counts by category, e.g. time of day: (label, detail such as "06–12", count)."""
    chart = Chart()
    top = nice_top(max((count for _label, _detail, count in items), default=0))
    chart.y_ticks = _value_ticks(chart, top)
    slot = (chart.right - chart.left) / max(1, len(items))
    for index, (label, detail, count) in enumerate(items):
        y = _y(chart, count, top)
        x = chart.left + index * slot + slot * 0.15
        chart.bars.append(Bar(x, y, slot * 0.7, chart.bottom - y, label, count, detail=detail))
        chart.x_ticks.append(Tick(x + slot * 0.35, label))
    return chart


def chart_context(stats: HistoryStats) -> dict:
    """SVG geometry for the history charts (shared with the summary and clinician pages)."""
    hours = dict(TIME_OF_DAY)
    return {
        "severity_chart": time_series(
            [(day.date, day.worst) for day in stats.days], start=stats.start, end=stats.end
        ),
        "week_chart": week_bars(stats.weeks, start=stats.start, end=stats.end),
        "time_chart": category_bars(
            [
                (f"{hours[row.value][0]:02d}–{hours[row.value][1]:02d}", row.label, row.count)
                for row in stats.time_of_day
            ]
        ),
    }
