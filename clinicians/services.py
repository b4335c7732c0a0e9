"""Consent and access: every change here starts from the patient's own action."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from clinicians.models import (
    INVITATION_DAYS,
    AccessLogEntry,
    CareLink,
    ClinicianNote,
    Membership,
    Organisation,
    OrganisationShare,
    PatientReview,
    ShareInvitation,
    normalised_code,
)

# No 0/O or 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _invitation(
    *, creator: User, direction: str, email: str = "", organisation: Organisation | None = None
) -> ShareInvitation:
    return ShareInvitation.objects.create(
        code=_new_code(),
        direction=direction,
        created_by=creator,
        email=email,
        organisation=organisation,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )


def _is_member(*, clinician: User, organisation_id: int) -> bool:
    return Membership.objects.filter(clinician=clinician, organisation_id=organisation_id).exists()


def invitation_create_by_patient(*, patient: User) -> ShareInvitation:
    if not patient.is_patient:
        raise ValidationError(_("Only patients can share a record."))
    return _invitation(creator=patient, direction=ShareInvitation.Direction.FROM_PATIENT)


def invitation_create_by_clinician(
    *, clinician: User, email: str, organisation: Organisation | None = None
) -> ShareInvitation:
    """An emailed invitation to share with the clinician, or, on behalf of an organisation
    they belong to, with all of its members."""
    if not clinician.is_verified_clinician:
        raise ValidationError(_("Only clinicians verified by an admin can invite patients."))
    if organisation is not None and not _is_member(clinician=clinician, organisation_id=organisation.pk):
        raise ValidationError({"organisation": _("You are not a member of this organisation.")})
    invitation = _invitation(
        creator=clinician,
        direction=ShareInvitation.Direction.FROM_CLINICIAN,
        email=email,
        organisation=organisation,
    )
    invitee = User.objects.filter(email__iexact=email).first()
    with translation.override(invitee.language if invitee else translation.get_language()):
        url = settings.SITE_URL + reverse("sharing:accept", args=[invitation.code])
        send_mail(
            subject=_("%(name)s asks to see your Spasm tracker record") % {"name": clinician},
            message=render_to_string(
                "clinicians/email/invitation.txt",
                {
                    "clinician": clinician,
                    "organisation": organisation,
                    "url": url,
                    "days": INVITATION_DAYS,
                },
            ),
            from_email=None,
            recipient_list=[email],
        )
    return invitation


def _claim(*, code: str, direction: str, user: User) -> ShareInvitation:
    """Use an invitation once: a conditional update, so two redeemers cannot both win."""
    code = normalised_code(code)
    claimed = (
        ShareInvitation.objects.still_open()
        .filter(code=code, direction=direction)
        .update(used_at=timezone.now(), used_by=user)
    )
    if claimed != 1:
        raise ValidationError(
            _("This code is not valid: it may be mistyped, used already or more than 7 days old.")
        )
    return ShareInvitation.objects.select_related("created_by").get(code=code)


def _refuse_own(*, invitation: ShareInvitation, user: User) -> None:
    """The link_not_to_self constraint refuses it too, but only as an IntegrityError."""
    if invitation.created_by_id == user.pk:
        raise ValidationError(_("This is your own invitation: you cannot share a record with yourself."))


def _refuse_other_addressee(*, invitation: ShareInvitation, patient: User) -> None:
    """A clinician's invitation is for the patient it was emailed to, not whoever holds the link."""
    if not patient.is_patient or patient.email.lower() != invitation.email.lower():
        raise ValidationError(
            _(
                "This invitation was sent to another email address. Log in with the patient account "
                "it was sent to, or ask your clinician to invite the address you use here."
            )
        )


def _link(*, patient: User, clinician: User) -> CareLink:
    existing = CareLink.objects.filter(patient=patient, clinician=clinician, revoked_at__isnull=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return CareLink.objects.create(patient=patient, clinician=clinician)
    except IntegrityError:
        return CareLink.objects.get(patient=patient, clinician=clinician, revoked_at__isnull=True)


@transaction.atomic
def invitation_redeem_by_clinician(*, clinician: User, code: str) -> CareLink:
    if not clinician.is_verified_clinician:
        raise ValidationError(_("Your clinician account must be verified by an admin first."))
    # A refusal after the claim rolls the claim back with the transaction: the code stays usable.
    invitation = _claim(code=code, direction=ShareInvitation.Direction.FROM_PATIENT, user=clinician)
    _refuse_own(invitation=invitation, user=clinician)
    if not invitation.created_by.is_patient:
        raise ValidationError(_("This code was not made by a patient: there is no record to share."))
    return _link(patient=invitation.created_by, clinician=clinician)


def _share_with_organisation(*, patient: User, organisation: Organisation) -> OrganisationShare:
    active = OrganisationShare.objects.filter(
        patient=patient, organisation=organisation, revoked_at__isnull=True
    )
    existing = active.first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return OrganisationShare.objects.create(patient=patient, organisation=organisation)
    except IntegrityError:
        return active.get()


@transaction.atomic
def invitation_accept_by_patient(*, patient: User, code: str) -> CareLink | OrganisationShare:
    """Share with the inviting clinician, or with their organisation when they invited on its
    behalf (and are still a member: someone who left cannot bring patients to it)."""
    # A refusal after the claim rolls the claim back with the transaction: the link stays usable.
    invitation = _claim(code=code, direction=ShareInvitation.Direction.FROM_CLINICIAN, user=patient)
    if not invitation.created_by.is_verified_clinician:
        raise ValidationError(_("This clinician's account is not verified."))
    _refuse_own(invitation=invitation, user=patient)
    _refuse_other_addressee(invitation=invitation, patient=patient)
    if invitation.organisation_id is None:
        return _link(patient=patient, clinician=invitation.created_by)
    if not _is_member(clinician=invitation.created_by, organisation_id=invitation.organisation_id):
        raise ValidationError(_("The clinician who invited you is no longer a member of this organisation."))
    return _share_with_organisation(patient=patient, organisation=invitation.organisation)


def link_revoke(*, patient: User, link_id: int) -> CareLink:
    """End a clinician's access now. Only the patient can; anyone else's link is not found."""
    link = CareLink.objects.get(pk=link_id, patient=patient, revoked_at__isnull=True)
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    return link


def organisation_share_revoke(*, patient: User, share_id: int) -> OrganisationShare:
    """End every member's access now. Only the patient can; anyone else's share is not found."""
    share = OrganisationShare.objects.select_related("organisation").get(
        pk=share_id, patient=patient, revoked_at__isnull=True
    )
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    return share


def membership_leave(*, clinician: User, organisation_id: int) -> Organisation:
    """The clinician leaves: their access through the organisation ends with the row."""
    membership = Membership.objects.select_related("organisation").get(
        clinician=clinician, organisation_id=organisation_id
    )
    membership.delete()
    return membership.organisation


def _review_upsert(*, clinician: User, patient: User, fields: dict) -> None:
    """One statement, safe when two requests race: insert, or update on the unique pair."""
    PatientReview.objects.bulk_create(
        [PatientReview(clinician=clinician, patient=patient, **fields)],
        update_conflicts=True,
        unique_fields=["clinician", "patient"],
        update_fields=list(fields),
    )


def patient_mark_seen(*, clinician: User, patient: User) -> None:
    """Episodes logged before now are no longer "new since you last looked"."""
    _review_upsert(clinician=clinician, patient=patient, fields={"last_viewed_at": timezone.now()})


def patient_mark_reviewed(*, clinician: User, patient: User) -> datetime.datetime:
    """The clinician has reviewed the patient: recorded, and nothing is "new since" any more."""
    now = timezone.now()
    _review_upsert(clinician=clinician, patient=patient, fields={"last_viewed_at": now, "reviewed_at": now})
    return now


def access_record(*, clinician: User, patient: User, action: str, mark_seen: bool = False) -> None:
    """Audit one access, naming the clinician (an organisation's member by their own name).
    Viewing the page counts as a look; other reads only when the caller asks (``mark_seen``)."""
    AccessLogEntry.objects.create(clinician=clinician, patient=patient, action=action)
    if mark_seen or action == AccessLogEntry.Action.VIEWED:
        patient_mark_seen(clinician=clinician, patient=patient)


def note_add(*, clinician: User, patient: User, text: str) -> ClinicianNote:
    note = ClinicianNote(clinician=clinician, patient=patient, text=text)
    note.full_clean()
    note.save()
    return note
