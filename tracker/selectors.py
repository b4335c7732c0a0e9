"""Reads for the tracker: history statistics and the doctor-visit summary.

Every statistic is one aggregate query in SQL (on SQLite and PostgreSQL alike), so the
number of queries does not grow with the number of episodes; tests pin it.
"""

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from guidance.selectors import severity_trend
from tracker.choices import HELPFUL_EFFECTS, RedFlag, ReliefEffect, ReliefMeasure, TagKind, Trigger, label_map
from tracker.models import DailyCheckIn, Episode, EpisodeTag, PegCheckIn, ReliefTried

DEFAULT_SUMMARY_DAYS = 90
# The summary's trend compares the last TREND_DAYS of the period with the TREND_DAYS before.
TREND_DAYS = 28
# That many more (or fewer) episodes in the recent window, and at least half as many again, is a trend.
TREND_MIN_CHANGE = 2


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


@dataclass
class RedFlagRow:
    value: str
    label: str
    count: int
    first: datetime.datetime
    last: datetime.datetime


@dataclass
class SummaryEpisode:
    """One row of the summary's episode table: only what the table shows."""

    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    severity: int
    locations: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)


SUMMARY_TAGS = {TagKind.LOCATION: "locations", TagKind.TRIGGER: "triggers", TagKind.RED_FLAG: "red_flags"}


def summary_episodes(episodes: QuerySet[Episode]) -> list[SummaryEpisode]:
    """The period's episodes, oldest first, as plain rows: two queries, and no model
    instances or relief rows, because a long period has hundreds of them."""
    rows = {
        pk: SummaryEpisode(started_at, ended_at, severity)
        for pk, started_at, ended_at, severity in episodes.order_by("started_at").values_list(
            "id", "started_at", "ended_at", "severity"
        )
    }
    if rows:
        tags = EpisodeTag.objects.filter(episode_id__in=list(rows), kind__in=list(SUMMARY_TAGS))
        for episode_id, kind, value in tags.values_list("episode_id", "kind", "value"):
            getattr(rows[episode_id], SUMMARY_TAGS[kind]).append(value)
        for row in rows.values():
            row.locations.sort()
            row.triggers.sort()
            row.red_flags.sort()
    return list(rows.values())


@dataclass
class VisitSummary:
    patient: User
    start: datetime.date
    end: datetime.date
    episode_count: int
    average_severity: float | None
    worst_severity: int | None
    mildest_severity: int | None
    episodes_per_week: float
    spasm_free_days: int
    checkin_days: int
    first_episode_ever: datetime.datetime | None
    first_in_period: datetime.datetime | None
    relief: list[ReliefRow]
    triggers: list[CountRow]
    red_flags: list[RedFlagRow]
    medications: list[str]
    peg: list[PegCheckIn]
    episodes: list[SummaryEpisode] = field(default_factory=list)
    # The later of the period's start and the first thing ever recorded: rates are over this.
    recorded_from: datetime.date | None = None
    trend: "Trend | None" = None

    @property
    def days(self) -> int:
        """Days recorded in the period: a record begun six weeks ago is not 90 days of data."""
        return (self.end - (self.recorded_from or self.start)).days + 1

    @property
    def record_began_in_period(self) -> bool:
        return self.recorded_from is not None and self.recorded_from > self.start

    @property
    def relief_that_helps(self) -> list[ReliefRow]:
        return [row for row in self.relief if row.helped]


def default_period(*, patient: User, days: int = DEFAULT_SUMMARY_DAYS) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate(timezone=patient.zone)
    return today - datetime.timedelta(days=days - 1), today


@dataclass(frozen=True)
class Trend:
    """The last TREND_DAYS of a period against the TREND_DAYS before, in counts and severity."""

    direction: str  # worse | better | same | unknown
    days: int
    recent_count: int
    earlier_count: int
    recent_avg: float | None
    earlier_avg: float | None

    @property
    def weeks(self) -> int:
        return self.days // 7


def _trend(*, recent_count: int, earlier_count: int, recent_avg, earlier_avg, known: bool) -> Trend:
    if not known:
        direction = "unknown"
    else:
        severity = severity_trend(recent_avg, earlier_avg)
        change = recent_count - earlier_count
        more = change >= TREND_MIN_CHANGE and recent_count >= 1.5 * earlier_count
        fewer = -change >= TREND_MIN_CHANGE and earlier_count >= 1.5 * recent_count
        worse = more or severity == "worsening"
        better = fewer or severity == "improving"
        direction = "worse" if worse and not better else "better" if better and not worse else "same"
    return Trend(
        direction=direction,
        days=TREND_DAYS,
        recent_count=recent_count,
        earlier_count=earlier_count,
        recent_avg=round(recent_avg, 1) if recent_avg is not None else None,
        earlier_avg=round(earlier_avg, 1) if earlier_avg is not None else None,
    )


def visit_summary(
    *, patient: User, start: datetime.date, end: datetime.date, history: HistoryStats | None = None
) -> VisitSummary:
    """The doctor-visit summary: the article's four questions first (how severe, how
    often, what relieves it, when it started), then triggers, red flags, medications, PEG."""
    window = _window(patient, start, end)
    episodes = Episode.objects.filter(window, patient=patient)
    trend_start = end - datetime.timedelta(days=2 * TREND_DAYS - 1)
    recent = _window(patient, end - datetime.timedelta(days=TREND_DAYS - 1), end)
    earlier = _window(patient, trend_start, end - datetime.timedelta(days=TREND_DAYS))
    # The period and the two trend windows in one aggregate over the rows they span.
    stats = Episode.objects.filter(_window(patient, min(start, trend_start), end), patient=patient).aggregate(
        count=Count("id", filter=window),
        avg=Avg("severity", filter=window),
        worst=Max("severity", filter=window),
        mildest=Min("severity", filter=window),
        first=Min("started_at", filter=window),
        recent_count=Count("id", filter=recent),
        recent_avg=Avg("severity", filter=recent),
        earlier_count=Count("id", filter=earlier),
        earlier_avg=Avg("severity", filter=earlier),
    )
    # The earliest start off the (patient, started_at) index, not MIN() over the whole history.
    first_ever = (
        Episode.objects.filter(patient=patient)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    in_period = Q(date__gte=start, date__lte=end)
    checkins = DailyCheckIn.objects.filter(patient=patient, date__lte=end).aggregate(
        days=Count("id", filter=in_period),
        free=Count("id", filter=in_period & Q(had_spasm=False)),
        first=Min("date"),
    )
    begin, finish = local_bounds(zone=patient.zone, start=start, end=end)
    flag_labels = label_map(RedFlag)
    red_flags = [
        RedFlagRow(
            r["value"], str(flag_labels.get(r["value"], r["value"])), r["count"], r["first"], r["last"]
        )
        # The period's, like every other figure of the summary (they were all-time, and
        # read every red-flag row of every patient to find this one's).
        for r in EpisodeTag.objects.filter(
            kind=TagKind.RED_FLAG,
            episode__patient=patient,
            episode__started_at__gte=begin,
            episode__started_at__lt=finish,
        )
        .values("value")
        .annotate(count=Count("id"), first=Min("episode__started_at"), last=Max("episode__started_at"))
        .order_by("-last")
    ]
    # Ordered by the value itself, so DISTINCT is over medicines, not over whole episodes.
    medications = list(
        episodes.exclude(medications="")
        .order_by("medications")
        .values_list("medications", flat=True)
        .distinct()[:50]
    )
    firsts = [
        day
        for day in (first_ever and timezone.localtime(first_ever, patient.zone).date(), checkins["first"])
        if day
    ]
    recorded_from = max(start, min(firsts)) if firsts else start
    weeks = max(1.0, ((end - recorded_from).days + 1) / 7)
    return VisitSummary(
        patient=patient,
        start=start,
        end=end,
        episode_count=stats["count"],
        average_severity=round(stats["avg"], 1) if stats["avg"] is not None else None,
        worst_severity=stats["worst"],
        mildest_severity=stats["mildest"],
        episodes_per_week=round(stats["count"] / weeks, 1),
        spasm_free_days=checkins["free"],
        checkin_days=checkins["days"],
        first_episode_ever=first_ever,
        first_in_period=stats["first"],
        # The rankings are the same as the history's for the period: reuse them when given.
        relief=history.relief if history else relief_ranking(patient=patient, start=start, end=end),
        triggers=history.triggers if history else trigger_ranking(patient=patient, start=start, end=end),
        red_flags=red_flags,
        medications=medications,
        peg=list(PegCheckIn.objects.filter(patient=patient, date__gte=start, date__lte=end).order_by("date")),
        episodes=summary_episodes(episodes),
        recorded_from=recorded_from,
        trend=_trend(
            recent_count=stats["recent_count"],
            earlier_count=stats["earlier_count"],
            recent_avg=stats["recent_avg"],
            earlier_avg=stats["earlier_avg"],
            # The earlier window must be at least half recorded for the comparison to mean anything.
            known=bool(firsts) and min(firsts) <= trend_start + datetime.timedelta(days=TREND_DAYS // 2),
        ),
    )
