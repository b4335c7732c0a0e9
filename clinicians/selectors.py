"""Reads for clinicians. Every clinician page, export and API call goes through
``linked_patient_or_404``: without an active link from a verified clinician, a patient
does not exist (404, never 403)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clinicians.models import AccessLogEntry, CareLink, ClinicianNote
from tracker.choices import TagKind
from tracker.models import Episode, EpisodeTag, PegCheckIn

FREQUENT = 4
CHRONIC_WEEKS = 12
WORSENING_POINTS = 1.0


def active_links(*, clinician: User) -> QuerySet[CareLink]:
    if not clinician.is_authenticated or not clinician.is_verified_clinician:
        return CareLink.objects.none()
    return CareLink.objects.filter(clinician=clinician, revoked_at__isnull=True)


def linked_patient_or_404(*, clinician: User, patient_id: int) -> User:
    link = active_links(clinician=clinician).select_related("patient").filter(patient_id=patient_id).first()
    if link is None:
        raise Http404
    return link.patient


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

    @property
    def trend(self) -> str:
        if self.recent_avg is None or self.earlier_avg is None:
            return "unknown"
        change = self.recent_avg - self.earlier_avg
        return (
            "worsening"
            if change >= WORSENING_POINTS
            else "improving"
            if change <= -WORSENING_POINTS
            else "stable"
        )

    @property
    def attention(self) -> tuple:
        keys = [key for key, _label in self.flags]
        return tuple(flag not in keys for flag in FLAG_ORDER) + (-(self.episodes_30d),)


FLAG_ORDER = ("red_flag", "worsening", "frequent", "chronic", "new")
FLAG_LABELS = {
    "red_flag": _("Warning sign in the last 30 days"),
    "worsening": _("Getting worse"),
    "frequent": _("4 or more episodes in 30 days"),
    "chronic": _("Chronic (12 weeks or more)"),
    "new": _("New episodes since you last looked"),
}


def dashboard(*, clinician: User, search: str = "", flag: str = "") -> list[DashboardRow]:
    """Linked patients, most in need of attention first.

    Five grouped queries whatever the number of patients: the links, then per-patient
    episode statistics, recent warning signs, new episodes since the last look and the
    latest PEG, each aggregated in SQL over all linked patients at once.
    """
    now = timezone.now()
    day = datetime.timedelta(days=1)
    links_qs = active_links(clinician=clinician)
    if search:
        links_qs = links_qs.filter(
            Q(patient__display_name__icontains=search) | Q(patient__email__icontains=search)
        )
    links = list(links_qs.select_related("patient"))
    if not links:
        return []
    linked = links_qs.values("patient_id")
    stats = {
        row["patient_id"]: row
        for row in Episode.objects.filter(patient__in=linked)
        .values("patient_id")
        .annotate(
            last=Max("started_at"),
            first=Min("started_at"),
            n30=Count("id", filter=Q(started_at__gte=now - 30 * day)),
            recent=Avg("severity", filter=Q(started_at__gte=now - 30 * day)),
            earlier=Avg("severity", filter=Q(started_at__gte=now - 60 * day, started_at__lt=now - 30 * day)),
        )
    }
    red_flags = set(
        EpisodeTag.objects.filter(
            kind=TagKind.RED_FLAG, episode__patient__in=linked, episode__started_at__gte=now - 30 * day
        ).values_list("episode__patient_id", flat=True)
    )
    # One filter() call, so all three conditions apply to the same (this clinician's) link.
    new_since = dict(
        Episode.objects.filter(
            Q(patient__care_links__last_viewed_at__isnull=True)
            | Q(created_at__gt=F("patient__care_links__last_viewed_at")),
            patient__care_links__clinician=clinician,
            patient__care_links__revoked_at__isnull=True,
        )
        .values("patient_id")
        .annotate(n=Count("id"))
        .values_list("patient_id", "n")
    )
    latest_peg: dict[int, PegCheckIn] = {}
    for peg in PegCheckIn.objects.filter(patient__in=linked, date__gte=now.date() - 90 * day).order_by(
        "-date"
    ):
        latest_peg.setdefault(peg.patient_id, peg)

    rows = []
    for link in links:
        episode_stats = stats.get(link.patient_id, {})
        peg = latest_peg.get(link.patient_id)
        row = DashboardRow(
            patient=link.patient,
            link=link,
            last_episode=episode_stats.get("last"),
            episodes_30d=episode_stats.get("n30", 0),
            recent_avg=episode_stats.get("recent"),
            earlier_avg=episode_stats.get("earlier"),
            red_flag_30d=link.patient_id in red_flags,
            first_episode=episode_stats.get("first"),
            new_since_look=new_since.get(link.patient_id, 0),
            peg_score=peg.score if peg else None,
        )
        checks = {
            "red_flag": row.red_flag_30d,
            "worsening": row.trend == "worsening",
            "frequent": row.episodes_30d >= FREQUENT,
            "chronic": bool(
                row.first_episode and now - row.first_episode >= datetime.timedelta(weeks=CHRONIC_WEEKS)
            ),
            "new": row.new_since_look > 0,
        }
        row.flags = [(key, str(FLAG_LABELS[key])) for key in FLAG_ORDER if checks[key]]
        if not flag or flag in dict(row.flags):
            rows.append(row)
    return sorted(rows, key=lambda r: (r.attention, str(r.patient)))


def patients_needing_attention(*, clinician: User) -> list[DashboardRow]:
    """For a daily digest: linked patients with any flag."""
    return [row for row in dashboard(clinician=clinician) if row.flags]


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
