"""Reads for clinicians. Every clinician page, export and API call goes through
``linked_patient_or_404``: without an active link from a verified clinician, a patient
does not exist (404, never 403)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clinicians.models import AccessLogEntry, CareLink, ClinicianNote, ShareInvitation, normalised_code
from guidance.selectors import TREND_WINDOW, severity_trend
from tracker.choices import TagKind
from tracker.models import Episode, EpisodeTag, PegCheckIn, peg_score

FREQUENT = 4
DASHBOARD_PAGE_SIZE = 50  # most in need of attention first, so page 1 is what matters
CHRONIC_WEEKS = 12
DAY = datetime.timedelta(days=1)


def active_links(*, clinician: User) -> QuerySet[CareLink]:
    if not clinician.is_authenticated or not clinician.is_verified_clinician:
        return CareLink.objects.none()
    return CareLink.objects.filter(clinician=clinician, revoked_at__isnull=True)


def linked_patient_or_404(*, clinician: User, patient_id: int) -> User:
    link = active_links(clinician=clinician).select_related("patient").filter(patient_id=patient_id).first()
    if link is None:
        raise Http404
    return link.patient


FLAG_ORDER = ("red_flag", "worse_follow_up", "worsening", "frequent", "chronic", "new")
FLAG_LABELS = {
    "red_flag": _("Warning sign in the last 30 days"),
    "worse_follow_up": _("Said it got worse at a follow-up in the last 30 days"),
    "worsening": _("Getting worse"),
    "frequent": _("4 or more episodes in 30 days"),
    "chronic": _("Chronic: 12 weeks or more, active in the last 30 days"),
    "new": _("New episodes since you last looked"),
}


@dataclass(frozen=True)
class DashboardRank:
    """What places a linked patient on the dashboard: cheap enough to work out for all."""

    link_id: int
    patient_id: int
    name: str
    episodes_30d: int
    recent_avg: float | None
    earlier_avg: float | None
    flags: tuple[str, ...]
    trend: str = "unknown"

    @property
    def sort_key(self) -> tuple:
        """Each flag in FLAG_ORDER first, then the most episodes, then by name."""
        return (*(key not in self.flags for key in FLAG_ORDER), -self.episodes_30d, self.name)


@dataclass
class DashboardRow:
    patient: User
    link: CareLink
    last_episode: datetime.datetime | None
    episodes_30d: int
    recent_avg: float | None
    earlier_avg: float | None
    red_flag_30d: bool
    first_episode: datetime.datetime | None
    new_since_look: int
    peg_score: float | None
    flags: list[tuple[str, str]] = field(default_factory=list)
    trend: str = "unknown"


def dashboard_ranking(*, clinician: User, search: str = "", flag: str = "") -> list[DashboardRank]:
    """Linked patients, most in need of attention first.

    Three queries whatever the number of patients, none of them over whole histories:
    1. the links, each with index probes of the patient's episodes: one older than
       CHRONIC_WEEKS, one created since the clinician last looked, a warning sign in the last
       30 days, a follow-up answered "worse" in the last 30 days;
    2. the earlier trend window's severities, summed and counted per patient in SQL;
    3. the recent trend window's episodes (time and severity): the count and the trend,
       worked out as the patient's own guidance does (``guidance.trend.severity_trend``).

    Chronic means an ongoing problem: the first episode CHRONIC_WEEKS or more ago and
    one in the last 30 days (the count from 3.), not merely an old first episode.
    """
    now = timezone.now()
    since_30d, recent_from, earlier_from = now - 30 * DAY, now - TREND_WINDOW, now - 2 * TREND_WINDOW
    links_qs = active_links(clinician=clinician)
    if search:
        links_qs = links_qs.filter(
            Q(patient__display_name__icontains=search) | Q(patient__email__icontains=search)
        )
    patient_episodes = Episode.objects.filter(patient=OuterRef("patient_id"))
    links = list(
        links_qs.annotate(
            began_long_ago=Exists(
                patient_episodes.filter(started_at__lte=now - datetime.timedelta(weeks=CHRONIC_WEEKS))
            ),
            new=Case(
                When(last_viewed_at__isnull=True, then=Exists(patient_episodes)),
                default=Exists(patient_episodes.filter(created_at__gt=OuterRef("last_viewed_at"))),
            ),
            red_flag=Exists(
                EpisodeTag.objects.filter(
                    episode__patient=OuterRef("patient_id"),
                    episode__started_at__gte=since_30d,
                    kind=TagKind.RED_FLAG,
                )
            ),
            worse_follow_up=Exists(patient_episodes.filter(worse_reported_at__gte=since_30d)),
        ).values_list(
            "id",
            "patient_id",
            "patient__display_name",
            "patient__email",
            "began_long_ago",
            "new",
            "red_flag",
            "worse_follow_up",
        )
    )
    if not links:
        return []
    linked = links_qs.values("patient_id")
    # The earlier window only as sums: its severities' mean is all the trend reads of it.
    earlier = {
        patient_id: (total, count)
        for patient_id, total, count in Episode.objects.filter(
            patient__in=linked, started_at__gte=earlier_from, started_at__lt=recent_from
        )
        .values("patient_id")
        .annotate(total=Sum("severity"), count=Count("id"))
        .values_list("patient_id", "total", "count")
        .order_by()
    }
    fetched_from = min(recent_from, since_30d)  # the same moment while TREND_WINDOW is 30 days
    series: dict[int, list[tuple[datetime.datetime, int]]] = {}
    for patient_id, started_at, severity in (
        Episode.objects.filter(patient__in=linked, started_at__gte=fetched_from, started_at__lte=now)
        .order_by("patient_id", "started_at")
        .values_list("patient_id", "started_at", "severity")
    ):
        series.setdefault(patient_id, []).append((started_at, severity))

    ranking = []
    for link_id, patient_id, display_name, email, began_long_ago, new, red_flag, worse in links:
        points = series.get(patient_id, [])
        recent = points if fetched_from == recent_from else [p for p in points if p[0] >= recent_from]
        n30 = len(points) if fetched_from == since_30d else sum(1 for at, _s in points if at >= since_30d)
        recent_avg = sum(severity for _at, severity in recent) / len(recent) if recent else None
        total, count = earlier.get(patient_id, (0, 0))
        earlier_avg = total / count if count else None
        trend = severity_trend(recent_avg, earlier_avg, recent=recent)
        checks = {
            "red_flag": red_flag,
            "worse_follow_up": worse,
            "worsening": trend == "worsening",
            "frequent": n30 >= FREQUENT,
            "chronic": began_long_ago and n30 > 0,
            "new": new,
        }
        flags = tuple(key for key in FLAG_ORDER if checks[key])
        if not flag or flag in flags:
            # The name as str(User) gives it.
            name = display_name or email
            ranking.append(
                DashboardRank(link_id, patient_id, name, n30, recent_avg, earlier_avg, flags, trend)
            )
    return sorted(ranking, key=lambda rank: rank.sort_key)


def dashboard_rows(*, clinician: User, ranking: Sequence[DashboardRank]) -> list[DashboardRow]:
    """The rows shown for some ranked patients (a page of them), in their order.

    Two queries over those patients only: their links, each with its patient, first
    and last episode and the count created since the last look (index probes); and
    their latest PEG.
    """
    if not ranking:
        return []
    now = timezone.now()
    patient_ids = [rank.patient_id for rank in ranking]
    patient_episodes = Episode.objects.filter(patient=OuterRef("patient_id")).order_by()
    count = patient_episodes.values("patient_id").annotate(n=Count("id")).values("n")
    links = (
        active_links(clinician=clinician)
        .select_related("patient")
        .annotate(
            first_episode=Subquery(patient_episodes.order_by("started_at").values("started_at")[:1]),
            last_episode=Subquery(patient_episodes.order_by("-started_at").values("started_at")[:1]),
            new_since_look=Coalesce(
                Case(
                    When(last_viewed_at__isnull=True, then=Subquery(count)),
                    default=Subquery(count.filter(created_at__gt=OuterRef("last_viewed_at"))),
                ),
                0,
            ),
        )
        .order_by()
        .in_bulk([rank.link_id for rank in ranking])
    )
    latest_peg: dict[int, float] = {}
    for patient_id, *items in (
        PegCheckIn.objects.filter(
            patient_id__in=patient_ids, date__gte=now.date() - datetime.timedelta(days=90)
        )
        .order_by("-date")
        .values_list("patient_id", "pain", "enjoyment", "activity")
    ):
        latest_peg.setdefault(patient_id, peg_score(*items))

    labels = {key: str(label) for key, label in FLAG_LABELS.items()}
    rows = []
    for rank in ranking:
        link = links.get(rank.link_id)
        if link is None:  # revoked a moment ago
            continue
        rows.append(
            DashboardRow(
                patient=link.patient,
                link=link,
                last_episode=link.last_episode,
                episodes_30d=rank.episodes_30d,
                recent_avg=rank.recent_avg,
                earlier_avg=rank.earlier_avg,
                red_flag_30d="red_flag" in rank.flags,
                first_episode=link.first_episode,
                new_since_look=link.new_since_look,
                peg_score=latest_peg.get(rank.patient_id),
                flags=[(key, labels[key]) for key in rank.flags],
                trend=rank.trend,
            )
        )
    return rows


def dashboard(*, clinician: User, search: str = "", flag: str = "") -> list[DashboardRow]:
    """Every linked patient's row, most in need of attention first. The page and the API
    rank everyone but build rows for the patients on one page only."""
    ranking = dashboard_ranking(clinician=clinician, search=search, flag=flag)
    return dashboard_rows(clinician=clinician, ranking=ranking)


def patients_needing_attention(*, clinician: User) -> list[str]:
    """For a daily digest: the names of linked patients with any flag, most in need first.
    The ranking alone (its three queries): the digest shows no rows."""
    return [rank.name for rank in dashboard_ranking(clinician=clinician) if rank.flags]


def invitation_is_open(*, code: str, direction: str) -> bool:
    """Whether an invitation could still be used, so a dead link says so before anyone tries."""
    return (
        ShareInvitation.objects.still_open().filter(code=normalised_code(code), direction=direction).exists()
    )


def access_log_for(*, patient: User) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(patient=patient).select_related("clinician")


def notes_for(*, clinician: User, patient: User) -> QuerySet[ClinicianNote]:
    return ClinicianNote.objects.filter(clinician=clinician, patient=patient)


def links_for_patient(*, patient: User) -> QuerySet[CareLink]:
    return (
        CareLink.objects.filter(patient=patient)
        .select_related("clinician")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
    )


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_for(*, user: User) -> dict:
    """Whom the user shared their record with, the codes and invitations, and every access
    a clinician made to it, for their data export."""
    invitations = ShareInvitation.objects.filter(Q(created_by=user) | Q(used_by=user)).select_related(
        "created_by", "used_by"
    )
    return {
        "sharing": [
            {
                "clinician": str(link.clinician),
                "clinician_email": link.clinician.email,
                "shared_at": _iso(link.created_at),
                "revoked_at": _iso(link.revoked_at),
                "last_viewed_at": _iso(link.last_viewed_at),
            }
            for link in links_for_patient(patient=user)
        ],
        "share_invitations": [
            {
                "direction": invitation.direction,
                "created_by": invitation.created_by.email,
                "email": invitation.email,
                "created_at": _iso(invitation.created_at),
                "expires_at": _iso(invitation.expires_at),
                "used_at": _iso(invitation.used_at),
                "used_by": invitation.used_by.email if invitation.used_by else None,
            }
            for invitation in invitations.order_by("created_at")
        ],
        "access_log": [
            {
                "clinician": str(entry.clinician),
                "clinician_email": entry.clinician.email,
                "action": entry.action,
                "at": _iso(entry.at),
            }
            for entry in access_log_for(patient=user).order_by("at", "id")
        ],
    }
