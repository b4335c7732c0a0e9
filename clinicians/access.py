"""Which patients a clinician may see: the one rule, used by every clinician page, export,
API call and the digest. A verified clinician sees a patient who shared with them (an
active care link) or with an organisation they are a member of now (an active
organisation share). Anyone else does not exist for them (404, never 403)."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from clinicians.models import CareLink, Membership, OrganisationShare


def visible_patient_ids(*, clinician: User) -> QuerySet:
    """The ids of the patients the clinician may see, as one subquery (a union of the two
    ways of sharing), so callers filter with ``patient__in=`` in a constant number of queries."""
    if not clinician.is_authenticated or not clinician.is_verified_clinician:
        return CareLink.objects.none().values("patient_id")
    direct = (
        CareLink.objects.filter(clinician=clinician, revoked_at__isnull=True).order_by().values("patient_id")
    )
    via_organisation = (
        OrganisationShare.objects.filter(
            revoked_at__isnull=True,
            organisation__in=Membership.objects.filter(clinician=clinician).values("organisation_id"),
        )
        .order_by()
        .values("patient_id")
    )
    return direct.union(via_organisation)


def visible_patients(*, clinician: User) -> QuerySet[User]:
    return User.objects.filter(pk__in=visible_patient_ids(clinician=clinician))


def linked_patient_or_404(*, clinician: User, patient_id: int) -> User:
    patient = visible_patients(clinician=clinician).filter(pk=patient_id).first()
    if patient is None:
        raise Http404
    return patient
