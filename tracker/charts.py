"""Server-side chart geometry: templates draw it as inline SVG (no script, nothing remote).

Every chart also has a table in the template, for screen readers and for print.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.selectors import HistoryStats

WIDTH, HEIGHT, PAD = 320, 140, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: float


def bars(items: list[tuple[str, float]], *, max_value: float | None = None) -> list[Bar]:
    if not items:
        return []
    top = max_value or max(value for _label, value in items) or 1
    slot = (WIDTH - PAD) / len(items)
    width = max(1.0, slot * 0.8)
    result = []
    for index, (label, value) in enumerate(items):
        height = (HEIGHT - PAD) * value / top
        result.append(Bar(PAD + index * slot, HEIGHT - PAD - height, width, height, label, value))
    return result


def line(items: list[tuple[str, float]], *, max_value: float = 10) -> list[Point]:
    if not items:
        return []
    step = (WIDTH - 2 * PAD) / max(1, len(items) - 1)
    return [
        Point(PAD + index * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / max_value, label, value)
        for index, (label, value) in enumerate(items)
    ]


def polyline(points: list[Point]) -> str:
    return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def chart_context(stats: "HistoryStats") -> dict:
    """SVG geometry for the history charts (shared with the summary and clinician pages)."""
    severity_points = line([(day.date.isoformat(), day.worst) for day in stats.days])
    return {
        "severity_points": severity_points,
        "severity_polyline": polyline(severity_points),
        "week_bars": bars([(week.isoformat(), count) for week, count in stats.weeks]),
        "time_bars": bars([(row.label, row.count) for row in stats.time_of_day]),
        "chart": {"width": WIDTH, "height": HEIGHT, "pad": PAD},
    }
