"""Reads for clinicians. Every clinician page, export and API call goes through
``linked_patient_or_404``: without an active link from a verified clinician, a patient
does not exist (404, never 403)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
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
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)  # never looked: every episode is new


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


def _scalar(queryset, expression, output=None):
    """A correlated subquery returning one aggregate for the row's patient."""
    return Subquery(
        queryset.order_by().values("patient").annotate(v=expression).values("v")[:1], output_field=output
    )


def dashboard(*, clinician: User, search: str = "", flag: str = "") -> list[DashboardRow]:
    """Linked patients, most in need of attention first. One query, whatever their number."""
    now = timezone.now()
    day = datetime.timedelta(days=1)
    episodes = Episode.objects.filter(patient=OuterRef("patient"))
    links = (
        active_links(clinician=clinician)
        .select_related("patient")
        .annotate(
            last_episode=_scalar(episodes, Max("started_at")),
            first_episode=_scalar(episodes, Min("started_at")),
            episodes_30d=Coalesce(
                _scalar(episodes.filter(started_at__gte=now - 30 * day), Count("id"), IntegerField()),
                Value(0),
            ),
            recent_avg=_scalar(episodes.filter(started_at__gte=now - 30 * day), Avg("severity")),
            earlier_avg=_scalar(
                episodes.filter(started_at__gte=now - 60 * day, started_at__lt=now - 30 * day),
                Avg("severity"),
            ),
            new_since_look=Coalesce(
                _scalar(
                    episodes.filter(created_at__gt=Coalesce(OuterRef("last_viewed_at"), Value(NEVER))),
                    Count("id"),
                    IntegerField(),
                ),
                Value(0),
            ),
            red_flag_30d=Exists(
                EpisodeTag.objects.filter(
                    kind=TagKind.RED_FLAG,
                    episode__patient=OuterRef("patient"),
                    episode__started_at__gte=now - 30 * day,
                )
            ),
            peg_pain=Subquery(
                PegCheckIn.objects.filter(patient=OuterRef("patient")).order_by("-date").values("pain")[:1]
            ),
            peg_enjoyment=Subquery(
                PegCheckIn.objects.filter(patient=OuterRef("patient"))
                .order_by("-date")
                .values("enjoyment")[:1]
            ),
            peg_activity=Subquery(
                PegCheckIn.objects.filter(patient=OuterRef("patient"))
                .order_by("-date")
                .values("activity")[:1]
            ),
        )
    )
    if search:
        links = links.filter(Q(patient__display_name__icontains=search) | Q(patient__email__icontains=search))
    rows = []
    for link in links:
        peg = None
        if link.peg_pain is not None:
            peg = round((link.peg_pain + link.peg_enjoyment + link.peg_activity) / 3, 1)
        row = DashboardRow(
            patient=link.patient,
            link=link,
            last_episode=link.last_episode,
            episodes_30d=link.episodes_30d,
            recent_avg=link.recent_avg,
            earlier_avg=link.earlier_avg,
            red_flag_30d=link.red_flag_30d,
            first_episode=link.first_episode,
            new_since_look=link.new_since_look,
            peg_score=peg,
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
