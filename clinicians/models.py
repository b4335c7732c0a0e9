"""Consent between a patient and a clinician, and what the clinician did with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_DAYS = 7


class CareLink(models.Model):
    """A patient's consent for one clinician to see their record. Revoking ends it at once."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_links")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("care link")
        verbose_name_plural = _("care links")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"], condition=Q(revoked_at__isnull=True), name="one_active_link"
            ),
            models.CheckConstraint(condition=~Q(patient=models.F("clinician")), name="link_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} → {self.clinician}"


def normalised_code(code: str) -> str:
    """An invitation code as people type it: any case, with spaces or dashes."""
    return code.strip().upper().replace("-", "").replace(" ", "")


class ShareInvitationQuerySet(models.QuerySet):
    def still_open(self) -> "ShareInvitationQuerySet":
        """Not used yet and not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Organisation(models.Model):
    """A clinic or practice: a patient who shares with it is seen by every current member."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A clinician in an organisation. Deleting the row (an admin removes them, or they leave)
    ends their access to the organisation's patients at once: access is worked out live."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"role": "clinician"},
        verbose_name=_("clinician"),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "clinician__display_name", "clinician__email"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "clinician"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clinician} @ {self.organisation}"


class OrganisationShare(models.Model):
    """A patient's consent for an organisation's members to see their record. Revoking ends
    it at once for every member."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_shares"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shares")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organisation share")
        verbose_name_plural = _("organisation shares")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_organisation_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} → {self.organisation}"


class PatientReview(models.Model):
    """One clinician's reading of one patient: when they last looked ("new since" counts
    episodes created after it) and when they last marked the patient reviewed."""

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinician", "patient"], name="one_review_per_clinician_patient")
        ]

    def __str__(self) -> str:
        return f"{self.clinician} / {self.patient}"


class ShareInvitation(models.Model):
    class Direction(models.TextChoices):
        FROM_PATIENT = "from_patient", _("Patient invites a clinician")
        FROM_CLINICIAN = "from_clinician", _("Clinician invites a patient")

    code = models.CharField(max_length=16, unique=True)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True, help_text=_("Whom a clinician invited."))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A clinician's invitation on behalf of their organisation: accepting shares with it."),
    )

    objects = ShareInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed the record")
        EXPORTED_CSV = "exported_csv", _("Exported episodes (CSV)")
        EXPORTED_PDF = "exported_pdf", _("Exported the summary (PDF)")
        EXPORTED_FHIR = "exported_fhir", _("Exported the record (FHIR)")
        API = "api", _("Read the record through the API")

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"], name="access_patient_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.clinician} {self.action}"


class ClinicianNote(models.Model):
    """Private to the clinician who wrote it."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]
