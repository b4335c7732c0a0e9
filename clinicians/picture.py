"""The clinical picture that opens a clinician's patient page: what changed and what needs
the clinician.

The flags are the dashboard's, from ``clinicians.dashboard.dashboard_ranking`` for this
one patient, so the page and the dashboard cannot disagree; this module only adds the
facts behind each flag (which warning sign, when, and what the patient was told; the
severities behind "worsening"; the episodes new since the last look) and the period's PEG,
relief and triggers. A fixed number of queries, whatever the size of the record.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from clinicians.dashboard import FLAG_DAYS, FLAG_LABELS, DashboardRank, dashboard_ranking
from guidance.engine import GuidancePrompt
from guidance.trend import TREND_WINDOW
from tracker.charts import Chart, time_series, week_bars
from tracker.choices import RedFlag, TagKind, labels_for
from tracker.guidance import guidance_given
from tracker.models import Episode, PegCheckIn, peg_score
from tracker.selectors import CountRow, HistoryStats, ReliefRow, episodes_for

# How many of each kind of detail the picture lists: it is one screen, not the record.
DETAILS_SHOWN = 5
TRIGGERS_SHOWN = 5
# The weekly and PEG charts are drawn shorter than the severity chart: the picture is one screen.
COMPACT_CHART_HEIGHT = 110


@dataclass(frozen=True)
class WarningSignReport:
    """An episode with warning signs, and the most urgent prompt the patient was shown."""

    started_at: datetime.datetime
    severity: int
    signs: list[str]
    told: GuidancePrompt | None

    @property
    def told_first_sentence(self) -> str:
        """The prompt's opening sentence, which says what to do ("See a doctor today.")."""
        if self.told is None:
            return ""
        text = self.told.text.strip()
        end = text.find(". ")
        return text if end == -1 else text[: end + 1]


@dataclass(frozen=True)
class EpisodeLine:
    started_at: datetime.datetime
    severity: int
    worse_reported_at: datetime.datetime | None = None


@dataclass
class Flag:
    key: str
    label: str


@dataclass
class ClinicalPicture:
    flags: list[Flag]
    episodes_30d: int
    recent_avg: float | None
    earlier_avg: float | None
    # Severities of the last FLAG_DAYS' episodes, oldest first: the numbers behind "worsening".
    recent_severities: list[int]
    first_episode: datetime.datetime | None
    warning_signs: list[WarningSignReport]
    worse_reports: list[EpisodeLine]
    last_looked_at: datetime.datetime | None
    new_count: int
    new_episodes: list[EpisodeLine]
    week_chart: Chart
    peg: list[tuple[datetime.date, float]]
    peg_chart: Chart
    relief_helped: list[ReliefRow]
    relief_worse: list[ReliefRow]
    triggers: list[CountRow]
    keys: set[str] = field(default_factory=set)

    @property
    def weeks_since_first(self) -> int:
        return (timezone.now() - self.first_episode).days // 7 if self.first_episode else 0

    @property
    def peg_latest(self) -> float | None:
        return self.peg[-1][1] if self.peg else None


def _warning_signs(*, patient: User, since: datetime.datetime) -> list[WarningSignReport]:
    """The latest episodes with a warning sign, each with what it was told (the prompts come
    most urgent first, and a warning sign always puts its own prompt at the top)."""
    episodes = list(
        episodes_for(patient=patient)
        .filter(started_at__gte=since, tags__kind=TagKind.RED_FLAG)
        .distinct()[:DETAILS_SHOWN]
    )
    return [
        WarningSignReport(
            started_at=episode.started_at,
            severity=episode.severity,
            signs=labels_for(RedFlag, episode.red_flags),
            told=given.guidance.prompts[0] if given.guidance.prompts else None,
        )
        for episode, given in zip(episodes, guidance_given(episodes=episodes), strict=True)
    ]


def _lines(episodes: QuerySet[Episode]) -> list[EpisodeLine]:
    return [
        EpisodeLine(*row)
        for row in episodes.values_list("started_at", "severity", "worse_reported_at")[:DETAILS_SHOWN]
    ]


def clinical_picture(
    *, clinician: User, patient: User, last_looked_at: datetime.datetime | None, stats: HistoryStats
) -> ClinicalPicture:
    """The picture of one linked patient, over the period of ``stats`` for the charts, PEG,
    relief and triggers. ``last_looked_at`` is the clinician's last look before this one.

    Queries, none of them growing with the record: the dashboard's one for the flags; one
    for the first episode and the count of new ones, one for the latest new ones; one for
    the severities of the trend window; one for the PEG; and only under their flags, one for
    the episodes said to be worse at a follow-up and up to six for the episodes with a
    warning sign and what they were told.
    """
    now = timezone.now()
    ranks = dashboard_ranking(clinician=clinician, patient=patient)
    rank = ranks[0] if ranks else DashboardRank(patient.pk, str(patient), 0, None, None, ())
    keys = set(rank.flags)
    since = now - datetime.timedelta(days=FLAG_DAYS)
    mine = Episode.objects.filter(patient=patient).order_by()
    new = Q(created_at__gt=last_looked_at) if last_looked_at else Q()
    overview = mine.aggregate(first=Min("started_at"), new=Count("id", filter=new))
    recent = mine.filter(started_at__gte=now - TREND_WINDOW, started_at__lte=now).order_by("started_at")
    peg = [
        (day, peg_score(pain, enjoyment, activity))
        for day, pain, enjoyment, activity in PegCheckIn.objects.filter(
            patient=patient, date__gte=stats.start, date__lte=stats.end
        )
        .order_by("date")
        .values_list("date", "pain", "enjoyment", "activity")
    ]
    return ClinicalPicture(
        flags=[Flag(key, str(FLAG_LABELS[key])) for key in rank.flags],
        episodes_30d=rank.episodes_30d,
        recent_avg=rank.recent_avg,
        earlier_avg=rank.earlier_avg,
        recent_severities=list(recent.values_list("severity", flat=True)),
        first_episode=overview["first"],
        warning_signs=_warning_signs(patient=patient, since=since) if "red_flag" in keys else [],
        worse_reports=_lines(mine.filter(worse_reported_at__gte=since).order_by("-worse_reported_at"))
        if "worse_follow_up" in keys
        else [],
        last_looked_at=last_looked_at,
        new_count=overview["new"],
        new_episodes=_lines(mine.filter(new).order_by("-started_at")),
        week_chart=week_bars(stats.weeks, start=stats.start, end=stats.end, height=COMPACT_CHART_HEIGHT),
        peg=peg,
        peg_chart=time_series(peg, start=stats.start, end=stats.end, height=COMPACT_CHART_HEIGHT),
        relief_helped=[row for row in stats.relief if row.helped],
        relief_worse=sorted(
            (row for row in stats.relief if row.worse), key=lambda row: (-row.worse, row.measure)
        ),
        triggers=stats.triggers[:TRIGGERS_SHOWN],
        keys=keys,
    )
