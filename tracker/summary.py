"""The doctor-visit summary: severity, frequency, relief, triggers, warning signs and the
trend in words over a period, built from the history statistics of ``tracker.selectors``."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from guidance.selectors import severity_trend
from tracker.choices import RedFlag, TagKind, label_map
from tracker.models import DailyCheckIn, Episode, EpisodeTag, PegCheckIn
from tracker.selectors import (
    CountRow,
    HistoryStats,
    ReliefRow,
    _window,
    local_bounds,
    relief_ranking,
    trigger_ranking,
)
from tracker.summary_words import PegChange, peg_change, summary_headline

DEFAULT_SUMMARY_DAYS = 90
# The summary's trend compares the last TREND_DAYS of the period with the TREND_DAYS before.
TREND_DAYS = 28
# That many more (or fewer) episodes in the recent window, and at least half as many again, is a trend.
TREND_MIN_CHANGE = 2


# A warning sign's dates listed in the summary: the latest this many.
RED_FLAG_DATES_SHOWN = 10


@dataclass
class RedFlagRow:
    value: str
    label: str
    count: int
    first: datetime.datetime
    last: datetime.datetime
    # The patient's local days it was reported on, latest first (at most RED_FLAG_DATES_SHOWN).
    days: list[datetime.date] = field(default_factory=list)

    @property
    def last_local(self) -> datetime.date:
        return self.days[0]

    @property
    def days_text(self) -> str:
        return ", ".join(date_format(day, "j M Y") for day in self.days)


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
    # The first day anything was recorded (episode or check-in), in or before the period.
    record_began: datetime.date | None = None

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

    @property
    def relief_that_hurt(self) -> list[ReliefRow]:
        """What made it worse, most often first: a doctor needs this as much as what helps."""
        return sorted((row for row in self.relief if row.worse), key=lambda row: (-row.worse, row.label))

    @property
    def peg_change(self) -> PegChange | None:
        return peg_change(self.peg)

    @property
    def headline(self) -> str:
        return summary_headline(self)


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


def _red_flags(*, patient: User, start: datetime.date, end: datetime.date) -> list[RedFlagRow]:
    """The period's warning signs (like every other figure of the summary), most recent first,
    each with the days it was reported on. Warning signs are rare: their rows are few."""
    begin, finish = local_bounds(zone=patient.zone, start=start, end=end)
    flag_labels = label_map(RedFlag)
    rows: dict[str, RedFlagRow] = {}
    reports = (
        EpisodeTag.objects.filter(
            kind=TagKind.RED_FLAG,
            episode__patient=patient,
            episode__started_at__gte=begin,
            episode__started_at__lt=finish,
        )
        .order_by("-episode__started_at")
        .values_list("value", "episode__started_at")
    )
    for value, started_at in reports:
        row = rows.get(value)
        if row is None:
            label = str(flag_labels.get(value, value))
            row = rows[value] = RedFlagRow(value, label, 0, started_at, started_at)
        row.count += 1
        row.first = started_at
        day = timezone.localtime(started_at, patient.zone).date()
        if len(row.days) < RED_FLAG_DATES_SHOWN and day not in row.days:
            row.days.append(day)
    return list(rows.values())


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
    red_flags = _red_flags(patient=patient, start=start, end=end)
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
        record_began=min(firsts) if firsts else None,
        trend=_trend(
            recent_count=stats["recent_count"],
            earlier_count=stats["earlier_count"],
            recent_avg=stats["recent_avg"],
            earlier_avg=stats["earlier_avg"],
            # The earlier window must be at least half recorded for the comparison to mean anything.
            known=bool(firsts) and min(firsts) <= trend_start + datetime.timedelta(days=TREND_DAYS // 2),
        ),
    )
