"""The counts behind a patient's insights, gathered in a fixed number of queries (six),
whatever the amount of data: each is one aggregate or one small GROUP BY in SQL."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Min, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from accounts.models import User
from tracker.choices import HELPFUL_EFFECTS, ReliefEffect, Sleep, Stress, TagKind
from tracker.models import DailyCheckIn, Episode, EpisodeTag, PegCheckIn, ReliefTried
from tracker.selectors import local_bounds

TREND_WEEKS = 4
TREND_DAYS = 7 * TREND_WEEKS
HOURS_PER_SLOT = 6  # night, morning, afternoon, evening, as in the history charts


@dataclass(frozen=True)
class Factor:
    """A daily factor as a yes/no exposure: the days with ``exposed`` against the days with
    ``other`` (days where it was skipped count on neither side)."""

    key: str
    field: str
    exposed: tuple
    other: tuple


FACTORS = (
    # Sleep is asked about last night, so a check-in's sleep is the night before its day.
    Factor("poor_sleep", "sleep", (Sleep.POOR,), (Sleep.OK, Sleep.GOOD)),
    Factor("high_stress", "stress", (Stress.HIGH,), (Stress.LOW, Stress.MEDIUM)),
    Factor("active", "active", (True,), (False,)),
    Factor("long_sitting", "long_sitting", (True,), (False,)),
)


@dataclass(frozen=True)
class FactorCounts:
    key: str
    exposed_days: int
    exposed_spasm_days: int
    other_days: int
    other_spasm_days: int


@dataclass(frozen=True)
class ReliefCounts:
    measure: str
    tried: int
    helped: int
    worse: int


@dataclass
class InsightCounts:
    """Plain counts: everything the insights are computed from."""

    checkin_days: int = 0
    tracking_days: int = 0  # from the first episode or check-in to today, inclusive
    factors: list[FactorCounts] = field(default_factory=list)
    relief: list[ReliefCounts] = field(default_factory=list)
    triggers: list[tuple[str, int]] = field(default_factory=list)
    recent_episodes: int = 0
    earlier_episodes: int = 0
    peg_recent: float | None = None
    peg_earlier: float | None = None
    time_of_day: list[int] = field(default_factory=lambda: [0] * 4)
    weekdays: list[int] = field(default_factory=lambda: [0] * 7)  # Monday first


def _in(field_name: str, values: tuple) -> Q:
    return Q(**{f"{field_name}__in": list(values)})


def _factor_aggregates() -> dict:
    aggregates = {}
    for factor in FACTORS:
        for side, values in (("exposed", factor.exposed), ("other", factor.other)):
            aggregates[f"{factor.key}_{side}"] = Count("id", filter=_in(factor.field, values))
            aggregates[f"{factor.key}_{side}_spasm"] = Count(
                "id", filter=_in(factor.field, values) & Q(had_spasm=True)
            )
    return aggregates


def _factors_from(row: dict) -> list[FactorCounts]:
    return [
        FactorCounts(
            factor.key,
            row[f"{factor.key}_exposed"],
            row[f"{factor.key}_exposed_spasm"],
            row[f"{factor.key}_other"],
            row[f"{factor.key}_other_spasm"],
        )
        for factor in FACTORS
    ]


def _factor_counts(patient: User) -> tuple[list[FactorCounts], int, datetime.date | None]:
    row = DailyCheckIn.objects.filter(patient=patient).aggregate(
        days=Count("id"), first=Min("date"), **_factor_aggregates()
    )
    return _factors_from(row), row["days"], row["first"]


def factor_counts_by_patient(*, patient_ids: list[int]) -> dict[int, list[FactorCounts]]:
    """The daily-factor counts of many patients at once (for a batch of reminders): one query."""
    rows = (
        DailyCheckIn.objects.filter(patient_id__in=patient_ids)
        .values("patient_id")
        .annotate(**_factor_aggregates())
        .order_by()
    )
    return {row["patient_id"]: _factors_from(row) for row in rows}


def relief_counts(*, patient: User) -> list[ReliefCounts]:
    """How often each relief measure was tried, helped and made it worse: one query."""
    rows = (
        ReliefTried.objects.filter(episode__patient=patient)
        .values("measure")
        .annotate(
            tried=Count("id"),
            helped=Count("id", filter=Q(effect__in=HELPFUL_EFFECTS)),
            worse=Count("id", filter=Q(effect=ReliefEffect.WORSE)),
        )
        .order_by("measure")
    )
    return [ReliefCounts(r["measure"], r["tried"], r["helped"], r["worse"]) for r in rows]


def _trigger_counts(patient: User) -> list[tuple[str, int]]:
    rows = (
        EpisodeTag.objects.filter(kind=TagKind.TRIGGER, episode__patient=patient)
        .values("value")
        .annotate(count=Count("id"))
        .order_by("-count", "value")
    )
    return [(r["value"], r["count"]) for r in rows]


def _windows(
    today: datetime.date,
) -> tuple[tuple[datetime.date, datetime.date], tuple[datetime.date, datetime.date]]:
    recent = (today - datetime.timedelta(days=TREND_DAYS - 1), today)
    earlier = (recent[0] - datetime.timedelta(days=TREND_DAYS), recent[0] - datetime.timedelta(days=1))
    return recent, earlier


def insight_counts(*, patient: User, today: datetime.date | None = None) -> InsightCounts:
    """Every count the insights need, in six queries."""
    zone = patient.zone
    today = today or timezone.localdate(timezone=zone)
    factors, checkin_days, first_checkin = _factor_counts(patient)
    recent, earlier = _windows(today)
    recent_bounds = local_bounds(zone=zone, start=recent[0], end=recent[1])
    earlier_bounds = local_bounds(zone=zone, start=earlier[0], end=earlier[1])
    episodes = Episode.objects.filter(patient=patient).aggregate(
        recent=Count("id", filter=Q(started_at__gte=recent_bounds[0], started_at__lt=recent_bounds[1])),
        earlier=Count("id", filter=Q(started_at__gte=earlier_bounds[0], started_at__lt=earlier_bounds[1])),
        first=Min("started_at"),
    )
    in_recent = Q(date__gte=recent[0], date__lte=recent[1])
    in_earlier = Q(date__gte=earlier[0], date__lte=earlier[1])
    peg = PegCheckIn.objects.filter(patient=patient).aggregate(
        **{
            f"{item}_{name}": Avg(item, filter=window)
            for item in ("pain", "enjoyment", "activity")
            for name, window in (("recent", in_recent), ("earlier", in_earlier))
        }
    )
    counts = InsightCounts(
        checkin_days=checkin_days,
        factors=factors,
        relief=relief_counts(patient=patient),
        triggers=_trigger_counts(patient),
        recent_episodes=episodes["recent"],
        earlier_episodes=episodes["earlier"],
        peg_recent=_peg_mean(peg, "recent"),
        peg_earlier=_peg_mean(peg, "earlier"),
    )
    firsts = [first_checkin] if first_checkin else []
    if episodes["first"]:
        firsts.append(episodes["first"].astimezone(zone).date())
    counts.tracking_days = (today - min(firsts)).days + 1 if firsts else 0
    timing = (
        Episode.objects.filter(patient=patient)
        .annotate(
            hour=ExtractHour("started_at", tzinfo=zone), weekday=ExtractIsoWeekDay("started_at", tzinfo=zone)
        )
        .values("hour", "weekday")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in timing:
        counts.time_of_day[row["hour"] // HOURS_PER_SLOT] += row["count"]
        counts.weekdays[row["weekday"] - 1] += row["count"]
    return counts


def _peg_mean(row: dict, window: str) -> float | None:
    items = [row[f"{item}_{window}"] for item in ("pain", "enjoyment", "activity")]
    return None if None in items else sum(items) / 3
