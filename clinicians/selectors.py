"""Reads for clinicians. Every clinician page, export and API call goes through
``linked_patient_or_404`` and the dashboard through ``visible_patients`` (both in
``clinicians.access``, the one access rule): a patient the clinician may not see does
not exist (404, never 403)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clinicians.access import linked_patient_or_404, visible_patients
from clinicians.models import (
    AccessLogEntry,
    CareLink,
    ClinicianNote,
    Membership,
    OrganisationShare,
    PatientReview,
    ShareInvitation,
    normalised_code,
)
from guidance.selectors import TREND_WINDOW
from guidance.trend import DAY_SECONDS, average_trend, combined_trend, slope_trend
from tracker.choices import TagKind
from tracker.models import Episode, EpisodeTag, PegCheckIn, peg_score
from tracker.patient_facts import micros, patient_facts_compute

__all__ = ["linked_patient_or_404", "visible_patients"]  # re-exported: views reach the rule here

FREQUENT = 4
# Most in need of attention first, so page 1 is what matters: about what a clinician can
# act on in one sitting (the count above the list says how many more there are).
DASHBOARD_PAGE_SIZE = 25
CHRONIC_WEEKS = 12
REVIEW_DUE_DAYS = 30  # the dashboard's "not reviewed in 30 days"
REVIEW_DUE = "due"
SORT_ATTENTION, SORT_ACTIVITY = "attention", "activity"
# Warning signs, "worse" follow-ups and the frequent count look back this many days.
FLAG_DAYS = 30


def _with_review(patients: QuerySet[User], *, clinician: User) -> QuerySet[User]:
    """The clinician's own last look and last review of each patient (index probes)."""
    review = PatientReview.objects.filter(clinician=clinician, patient=OuterRef("pk"))
    return patients.annotate(
        last_viewed_at=Subquery(review.values("last_viewed_at")[:1]),
        reviewed_at=Subquery(review.values("reviewed_at")[:1]),
    )


def review_for(*, clinician: User, patient: User) -> PatientReview | None:
    return PatientReview.objects.filter(clinician=clinician, patient=patient).first()


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

    patient_id: int
    name: str
    episodes_30d: int
    recent_avg: float | None
    earlier_avg: float | None
    flags: tuple[str, ...]
    trend: str = "unknown"
    last_activity: datetime.datetime | None = None

    @property
    def sort_key(self) -> tuple:
        """Each flag in FLAG_ORDER first, then the most episodes, then by name."""
        return (*(key not in self.flags for key in FLAG_ORDER), -self.episodes_30d, self.name)

    @property
    def activity_key(self) -> tuple:
        """The latest episode first; patients with none last, then by name."""
        latest = self.last_activity.timestamp() if self.last_activity else 0.0
        return (self.last_activity is None, -latest, self.name)


@dataclass
class DashboardRow:
    patient: User
    reviewed_at: datetime.datetime | None
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


def dashboard_ranking(
    *,
    clinician: User,
    search: str = "",
    flag: str = "",
    review: str = "",
    sort: str = "",
    patient: User | None = None,
) -> list[DashboardRank]:
    """The patients the clinician may see, most in need of attention first (or, with
    ``sort="activity"``, the latest episode first); ``review="due"`` keeps those the
    clinician has not marked reviewed in REVIEW_DUE_DAYS. With ``patient``, only that
    one: the patient page's flags are the dashboard's, worked out by the same rules.

    One query whatever the number of patients, organisations or members, none of it over
    whole histories: the patients, each with their facts row (``tracker.patient_facts``:
    first and latest start, and the start and severity of every episode in the 60 days
    before the latest, kept at every write) and index probes for the clinician's last look
    and review, an episode created since the look, a warning sign in the last 30 days and
    a follow-up answered "worse" in the last 30 days. The 30-day count and the trend come
    from the row, worked out as the patient's own guidance does
    (``guidance.trend.severity_trend``). A patient with episodes but no row (written
    around the services) has it worked out on the spot.

    Chronic means an ongoing problem: the first episode CHRONIC_WEEKS or more ago and
    one in the last 30 days, not merely an old first episode.
    """
    now = timezone.now()
    day = datetime.timedelta(days=1)
    since_30d, recent_from, earlier_from = now - FLAG_DAYS * day, now - TREND_WINDOW, now - 2 * TREND_WINDOW
    patients_qs = visible_patients(clinician=clinician)
    if patient is not None:
        patients_qs = patients_qs.filter(pk=patient.pk)
    if search:
        patients_qs = patients_qs.filter(Q(display_name__icontains=search) | Q(email__icontains=search))
    patient_episodes = Episode.objects.filter(patient=OuterRef("pk")).order_by()
    annotated = _with_review(patients_qs, clinician=clinician)
    if review == REVIEW_DUE:
        annotated = annotated.filter(
            Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=now - REVIEW_DUE_DAYS * day)
        )
    patients = list(
        annotated.annotate(
            # The facts row, joined (one per patient).
            first_started=F("facts__first_started_at"),
            last_activity=F("facts__latest_started_at"),
            recent=F("facts__recent"),
            # No row for a patient with episodes: written around the services (an import).
            unkept=Case(When(facts__isnull=True, then=Exists(patient_episodes)), default=Value(False)),
            new=Case(
                When(last_viewed_at__isnull=True, then=Exists(patient_episodes)),
                default=Exists(patient_episodes.filter(created_at__gt=OuterRef("last_viewed_at"))),
            ),
            red_flag=Exists(
                EpisodeTag.objects.filter(
                    episode__patient=OuterRef("pk"), episode__started_at__gte=since_30d, kind=TagKind.RED_FLAG
                )
            ),
            worse_follow_up=Exists(patient_episodes.filter(worse_reported_at__gte=since_30d)),
        ).values_list(
            "pk",
            "display_name",
            "email",
            "first_started",
            "last_activity",
            "recent",
            "unkept",
            "new",
            "red_flag",
            "worse_follow_up",
        )
    )
    long_ago = now - datetime.timedelta(weeks=CHRONIC_WEEKS)
    # The windows on the row's clock (microseconds since the epoch): no datetime per episode.
    earlier_us, recent_us, since_30d_us, now_us = map(micros, (earlier_from, recent_from, since_30d, now))
    ranking = []
    for patient_id, display_name, email, first, last_activity, kept, unkept, new, red_flag, worse in patients:
        if unkept:
            row = patient_facts_compute(patient_id=patient_id)
            first, last_activity, kept = row.first_started_at, row.latest_started_at, row.recent
        recent, earlier, n30 = [], [], 0
        for start, severity in kept or ():
            if earlier_us <= start <= now_us:
                n30 += start >= since_30d_us
                (recent if start >= recent_us else earlier).append((start, severity))
        recent_avg = sum(severity for _at, severity in recent) / len(recent) if recent else None
        earlier_avg = sum(severity for _at, severity in earlier) / len(earlier) if earlier else None
        # The slope in days from the first recent start, computed as guidance computes it,
        # on the row's clock (microseconds): never converted to datetimes.
        recent.sort()
        first_us = recent[0][0] if recent else 0
        slope = slope_trend(
            [((start - first_us) / 10**6 / DAY_SECONDS, severity) for start, severity in recent]
        )
        trend = combined_trend(slope, average_trend(recent_avg, earlier_avg))
        began_long_ago = first is not None and first <= long_ago
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
                DashboardRank(
                    patient_id, name, n30, recent_avg, earlier_avg, flags, trend, last_activity=last_activity
                )
            )
    order = (lambda rank: rank.activity_key) if sort == SORT_ACTIVITY else (lambda rank: rank.sort_key)
    return sorted(ranking, key=order)


def dashboard_rows(*, clinician: User, ranking: Sequence[DashboardRank]) -> list[DashboardRow]:
    """The rows shown for some ranked patients (a page of them), in their order.

    Two queries over those patients only: the patients, each with the clinician's last
    look and review, their first and last episode and the count created since the look
    (index probes); and their latest PEG.
    """
    if not ranking:
        return []
    now = timezone.now()
    patient_ids = [rank.patient_id for rank in ranking]
    patient_episodes = Episode.objects.filter(patient=OuterRef("pk")).order_by()
    count = patient_episodes.values("patient_id").annotate(n=Count("id")).values("n")
    patients = (
        _with_review(visible_patients(clinician=clinician), clinician=clinician)
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
        .in_bulk(patient_ids)
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
        patient = patients.get(rank.patient_id)
        if patient is None:  # revoked a moment ago
            continue
        rows.append(
            DashboardRow(
                patient=patient,
                reviewed_at=patient.reviewed_at,
                last_episode=patient.last_episode,
                episodes_30d=rank.episodes_30d,
                recent_avg=rank.recent_avg,
                earlier_avg=rank.earlier_avg,
                red_flag_30d="red_flag" in rank.flags,
                first_episode=patient.first_episode,
                new_since_look=patient.new_since_look,
                peg_score=latest_peg.get(rank.patient_id),
                flags=[(key, labels[key]) for key in rank.flags],
                trend=rank.trend,
            )
        )
    return rows


def dashboard(*, clinician: User, **filters: str) -> list[DashboardRow]:
    """Every visible patient's row, most in need of attention first. The page and the API
    rank everyone but build rows for the patients on one page only."""
    ranking = dashboard_ranking(clinician=clinician, **filters)
    return dashboard_rows(clinician=clinician, ranking=ranking)


def patients_needing_attention(*, clinician: User) -> list[str]:
    """For a daily digest: the names of linked patients with any flag, most in need first.
    The ranking alone (three queries): the digest shows no rows."""
    return [rank.name for rank in dashboard_ranking(clinician=clinician) if rank.flags]


def invitation_is_open(*, code: str, direction: str) -> bool:
    """Whether an invitation could still be used, so a dead link says so before anyone tries."""
    return (
        ShareInvitation.objects.still_open().filter(code=normalised_code(code), direction=direction).exists()
    )


def invitation_for_addressee(*, code: str, patient: User) -> ShareInvitation | None:
    """An open clinician's invitation emailed to this patient, with whom it shares: shown
    before they accept (to them only, not to whoever else holds the link)."""
    members = Membership.objects.select_related("clinician")
    return (
        ShareInvitation.objects.still_open()
        .filter(
            code=normalised_code(code),
            direction=ShareInvitation.Direction.FROM_CLINICIAN,
            email__iexact=patient.email,
        )
        .select_related("created_by", "organisation")
        .prefetch_related(Prefetch("organisation__memberships", queryset=members))
        .first()
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


def organisation_shares_for_patient(*, patient: User) -> QuerySet[OrganisationShare]:
    """The organisations the patient shares (or shared) with, each with its current members."""
    members = Membership.objects.select_related("clinician")
    return (
        OrganisationShare.objects.filter(patient=patient)
        .select_related("organisation")
        .prefetch_related(Prefetch("organisation__memberships", queryset=members))
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
    )


def memberships_for(*, clinician: User) -> QuerySet[Membership]:
    return Membership.objects.filter(clinician=clinician).select_related("organisation")


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_for(*, user: User) -> dict:
    """Whom the user shared their record with, the codes and invitations, and every access
    a clinician made to it, for their data export."""
    invitations = ShareInvitation.objects.filter(Q(created_by=user) | Q(used_by=user)).select_related(
        "created_by", "used_by", "organisation"
    )
    last_viewed = dict(
        PatientReview.objects.filter(patient=user).values_list("clinician_id", "last_viewed_at")
    )
    return {
        "sharing": [
            {
                "clinician": str(link.clinician),
                "clinician_email": link.clinician.email,
                "shared_at": _iso(link.created_at),
                "revoked_at": _iso(link.revoked_at),
                "last_viewed_at": _iso(last_viewed.get(link.clinician_id)),
            }
            for link in links_for_patient(patient=user)
        ],
        "organisation_sharing": [
            {
                "organisation": share.organisation.name,
                "members": [str(member.clinician) for member in share.organisation.memberships.all()],
                "shared_at": _iso(share.created_at),
                "revoked_at": _iso(share.revoked_at),
            }
            for share in organisation_shares_for_patient(patient=user)
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
                "organisation": invitation.organisation.name if invitation.organisation else None,
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
