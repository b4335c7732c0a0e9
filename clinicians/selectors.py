"""Reads for clinicians. Every clinician page, export and API call goes through
``linked_patient_or_404`` and the dashboard through ``visible_patients`` (both in
``clinicians.access``, the one access rule): a patient the clinician may not see does
not exist (404, never 403). The dashboard's ranking lives in ``clinicians.dashboard``."""

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.models import User
from clinicians.access import linked_patient_or_404, visible_patients
from clinicians.dashboard import (
    FLAG_DAYS,
    FLAG_LABELS,
    FLAG_ORDER,
    REVIEW_DUE,
    REVIEW_DUE_DAYS,
    SORT_ACTIVITY,
    SORT_ATTENTION,
    DashboardRank,
    DashboardRow,
    dashboard,
    dashboard_ranking,
    dashboard_rows,
    patients_needing_attention,
)
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

# Re-exported: views and the API reach the access rule and the dashboard here.
__all__ = [
    "FLAG_DAYS",
    "FLAG_LABELS",
    "FLAG_ORDER",
    "REVIEW_DUE",
    "REVIEW_DUE_DAYS",
    "SORT_ACTIVITY",
    "SORT_ATTENTION",
    "DashboardRank",
    "DashboardRow",
    "dashboard",
    "dashboard_ranking",
    "dashboard_rows",
    "linked_patient_or_404",
    "patients_needing_attention",
    "visible_patients",
]

# Most in need of attention first, so page 1 is what matters: about what a clinician can
# act on in one sitting (the count above the list says how many more there are).
DASHBOARD_PAGE_SIZE = 25


def review_for(*, clinician: User, patient: User) -> PatientReview | None:
    return PatientReview.objects.filter(clinician=clinician, patient=patient).first()


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
