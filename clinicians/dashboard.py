"""The clinician's dashboard: every patient the clinician may see (``visible_patients``,
the one access rule) ranked by who needs attention, and the rows shown for a page of them.
The patient page's flags come from the same ranking (``clinicians.picture``)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clinicians.access import visible_patients
from clinicians.figures import FLAG_DAYS, compute_figures, figures_for
from clinicians.models import PatientReview
from tracker.models import Episode, PegCheckIn, peg_score
from tracker.patient_facts import micros, patient_facts_compute

FREQUENT = 4
CHRONIC_WEEKS = 12
REVIEW_DUE_DAYS = 30  # the dashboard's "not reviewed in 30 days"
REVIEW_DUE = "due"
SORT_ATTENTION, SORT_ACTIVITY = "attention", "activity"


def _with_review(patients: QuerySet[User], *, clinician: User) -> QuerySet[User]:
    """The clinician's own last look and last review of each patient (index probes)."""
    review = PatientReview.objects.filter(clinician=clinician, patient=OuterRef("pk"))
    return patients.annotate(
        last_viewed_at=Subquery(review.values("last_viewed_at")[:1]),
        reviewed_at=Subquery(review.values("reviewed_at")[:1]),
    )


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
    last_activity: datetime.datetime | None = None  # the latest episode's start
    first_started: datetime.datetime | None = None  # the first episode's start

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
    before the latest, and the latest start with a warning sign, kept at every write) and
    index probes for the clinician's last look and review, an episode created since the
    look and a follow-up answered "worse" in the last 30 days. The 30-day count and the
    trend come from the row, worked out as the patient's own guidance does
    (``guidance.trend.severity_trend``) and remembered until time changes them
    (``clinicians.figures``). A patient with episodes but no row (written around the
    services) has it worked out on the spot.

    Chronic means an ongoing problem: the first episode CHRONIC_WEEKS or more ago and
    one in the last 30 days, not merely an old first episode.
    """
    now = timezone.now()
    day = datetime.timedelta(days=1)
    since_30d = now - FLAG_DAYS * day
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
            # As text: the figures are remembered under it (clinicians.figures).
            recent=Cast("facts__recent", TextField()),
            # No row for a patient with episodes: written around the services (an import).
            unkept=Case(When(facts__isnull=True, then=Exists(patient_episodes)), default=Value(False)),
            new=Case(
                When(last_viewed_at__isnull=True, then=Exists(patient_episodes)),
                default=Exists(patient_episodes.filter(created_at__gt=OuterRef("last_viewed_at"))),
            ),
            red_flag_at=F("facts__red_flag_started_at"),
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
            "red_flag_at",
            "worse_follow_up",
        )
    )
    long_ago = now - datetime.timedelta(weeks=CHRONIC_WEEKS)
    now_us = micros(now)
    ranking = []
    for (
        patient_id,
        display_name,
        email,
        first,
        last_activity,
        recent_text,
        unkept,
        new,
        red_flag_at,
        worse,
    ) in patients:
        if unkept:
            row = patient_facts_compute(patient_id=patient_id)
            first, last_activity, red_flag_at = (
                row.first_started_at,
                row.latest_started_at,
                row.red_flag_started_at,
            )
            figures = compute_figures(row.recent, now_us)
        else:
            figures = figures_for(recent_text, now_us)
        n30, trend = figures.episodes_30d, figures.trend
        began_long_ago = first is not None and first <= long_ago
        checks = {
            "red_flag": red_flag_at is not None and red_flag_at >= since_30d,
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
                    patient_id,
                    name,
                    n30,
                    figures.recent_avg,
                    figures.earlier_avg,
                    flags,
                    trend,
                    last_activity=last_activity,
                    first_started=first,
                )
            )
    order = (lambda rank: rank.activity_key) if sort == SORT_ACTIVITY else (lambda rank: rank.sort_key)
    return sorted(ranking, key=order)


def dashboard_rows(*, clinician: User, ranking: Sequence[DashboardRank]) -> list[DashboardRow]:
    """The rows shown for some ranked patients (a page of them), in their order.

    Two queries over those patients only: the patients, each with the clinician's last
    look and review and the count of episodes created since the look (index probes); and
    their latest PEG. The first and last episode come with the ranking.
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
                last_episode=rank.last_activity,
                episodes_30d=rank.episodes_30d,
                recent_avg=rank.recent_avg,
                earlier_avg=rank.earlier_avg,
                red_flag_30d="red_flag" in rank.flags,
                first_episode=rank.first_started,
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
    The ranking alone (one query): the digest shows no rows."""
    return [rank.name for rank in dashboard_ranking(clinician=clinician) if rank.flags]
