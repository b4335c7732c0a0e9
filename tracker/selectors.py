"""Reads for the tracker: episodes, history statistics and the calendar (the doctor-visit
summary, built on them, is ``tracker.summary``).

Every statistic is one aggregate query in SQL (on SQLite and PostgreSQL alike), so the
number of queries does not grow with the number of episodes; tests pin it.
"""

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tracker.choices import HELPFUL_EFFECTS, ReliefEffect, ReliefMeasure, TagKind, Trigger, label_map
from tracker.models import Episode, EpisodeTag, ReliefTried


def episodes_for(*, patient: User) -> QuerySet[Episode]:
    return Episode.objects.filter(patient=patient).prefetch_related("tags", "relief")


def access_episode(*, user: User, pk: int) -> Episode:
    """One of the user's own episodes, for pages and the API alike; anyone else's is a 404."""
    return get_object_or_404(episodes_for(patient=user), pk=pk)


def ongoing_episode(*, patient: User) -> Episode | None:
    return episodes_for(patient=patient).filter(ended_at__isnull=True).first()


def local_bounds(*, zone: zoneinfo.ZoneInfo, start: datetime.date, end: datetime.date):
    """Aware datetimes for [start 00:00, end+1 00:00) in the patient's zone."""
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return begin, finish


def episode_list_for(
    *,
    patient: User,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    min_severity: int | None = None,
    trigger: str | None = None,
) -> QuerySet[Episode]:
    episodes = episodes_for(patient=patient)
    zone = patient.zone
    if start:
        episodes = episodes.filter(started_at__gte=local_bounds(zone=zone, start=start, end=start)[0])
    if end:
        episodes = episodes.filter(started_at__lt=local_bounds(zone=zone, start=end, end=end)[1])
    if min_severity is not None:
        episodes = episodes.filter(severity__gte=min_severity)
    if trigger:
        episodes = episodes.filter(tags__kind=TagKind.TRIGGER, tags__value=trigger)
    return episodes


@dataclass
class ReliefRow:
    measure: str
    label: str
    tried: int
    helped: int
    much: int
    worse: int

    @property
    def helped_percent(self) -> int:
        return round(100 * self.helped / self.tried) if self.tried else 0


@dataclass
class CountRow:
    value: str
    label: str
    count: int


@dataclass
class DayRow:
    date: datetime.date
    worst: int
    count: int


@dataclass
class HistoryStats:
    start: datetime.date
    end: datetime.date
    episode_count: int
    days: list[DayRow]
    weeks: list[tuple[datetime.date, int]]
    triggers: list[CountRow]
    relief: list[ReliefRow]
    time_of_day: list[CountRow]


TIME_OF_DAY = (
    ("night", (0, 6)),
    ("morning", (6, 12)),
    ("afternoon", (12, 18)),
    ("evening", (18, 24)),
)


def _window(patient: User, start: datetime.date, end: datetime.date) -> Q:
    begin, finish = local_bounds(zone=patient.zone, start=start, end=end)
    return Q(started_at__gte=begin, started_at__lt=finish)


def relief_ranking(*, patient: User, start: datetime.date, end: datetime.date) -> list[ReliefRow]:
    begin, finish = local_bounds(zone=patient.zone, start=start, end=end)
    rows = (
        ReliefTried.objects.filter(
            episode__patient=patient, episode__started_at__gte=begin, episode__started_at__lt=finish
        )
        .values("measure")
        .annotate(
            tried=Count("id"),
            helped=Count("id", filter=Q(effect__in=HELPFUL_EFFECTS)),
            much=Count("id", filter=Q(effect=ReliefEffect.MUCH)),
            worse=Count("id", filter=Q(effect=ReliefEffect.WORSE)),
        )
    )
    labels = label_map(ReliefMeasure)
    ranking = [
        ReliefRow(
            r["measure"],
            str(labels.get(r["measure"], r["measure"])),
            r["tried"],
            r["helped"],
            r["much"],
            r["worse"],
        )
        for r in rows
    ]
    return sorted(ranking, key=lambda r: (-r.helped_percent, -r.tried, r.measure))


def trigger_ranking(*, patient: User, start: datetime.date, end: datetime.date) -> list[CountRow]:
    begin, finish = local_bounds(zone=patient.zone, start=start, end=end)
    rows = (
        EpisodeTag.objects.filter(
            kind=TagKind.TRIGGER,
            episode__patient=patient,
            episode__started_at__gte=begin,
            episode__started_at__lt=finish,
        )
        .values("value")
        .annotate(count=Count("id"))
        .order_by("-count", "value")
    )
    labels = label_map(Trigger)
    return [CountRow(r["value"], str(labels.get(r["value"], r["value"])), r["count"]) for r in rows]


def daily_worst(*, patient: User, start: datetime.date, end: datetime.date) -> list[DayRow]:
    rows = (
        Episode.objects.filter(_window(patient, start, end), patient=patient)
        .annotate(day=TruncDate("started_at", tzinfo=patient.zone))
        .values("day")
        .annotate(worst=Max("severity"), count=Count("id"))
        .order_by("day")
    )
    return [DayRow(r["day"], r["worst"], r["count"]) for r in rows]


def history_stats(*, patient: User, start: datetime.date, end: datetime.date) -> HistoryStats:
    days = daily_worst(patient=patient, start=start, end=end)
    weeks: dict[datetime.date, int] = {}
    monday = start - datetime.timedelta(days=start.weekday())
    while monday <= end:
        weeks[monday] = 0
        monday += datetime.timedelta(days=7)
    for day in days:
        weeks[day.date - datetime.timedelta(days=day.date.weekday())] += day.count
    hours = (
        Episode.objects.filter(_window(patient, start, end), patient=patient)
        .annotate(hour=ExtractHour("started_at", tzinfo=patient.zone))
        .values("hour")
        .annotate(count=Count("id"))
    )
    by_hour = {r["hour"]: r["count"] for r in hours}
    labels = {
        "night": _("Night (0–6)"),
        "morning": _("Morning (6–12)"),
        "afternoon": _("Afternoon (12–18)"),
        "evening": _("Evening (18–24)"),
    }
    time_of_day = [
        CountRow(name, str(labels[name]), sum(by_hour.get(h, 0) for h in range(low, high)))
        for name, (low, high) in TIME_OF_DAY
    ]
    return HistoryStats(
        start=start,
        end=end,
        episode_count=sum(day.count for day in days),
        days=days,
        weeks=sorted(weeks.items()),
        triggers=trigger_ranking(patient=patient, start=start, end=end),
        relief=relief_ranking(patient=patient, start=start, end=end),
        time_of_day=time_of_day,
    )


@dataclass
class CalendarDay:
    date: datetime.date | None
    worst: int | None = None
    count: int = 0


def month_calendar(*, patient: User, year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with its worst severity."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    worst = {day.date: day for day in daily_worst(patient=patient, start=first, end=last)}
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(year, month):
        row = []
        for date in week:
            if date.month != month:
                row.append(CalendarDay(None))
            else:
                day = worst.get(date)
                row.append(CalendarDay(date, day.worst if day else None, day.count if day else 0))
        weeks.append(row)
    return weeks
