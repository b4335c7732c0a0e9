import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def normalised_email(value: str | None) -> str:
    """An email address as sign-in compares it: trimmed and lower case.

    The one place that decides it: sign-up, the login backend and the lockout counter
    (django-axes counts failures per exact string) all call it, so ``Bf4@X.test`` and
    ``bf4@x.test`` are one account with one failure count.
    """
    return (value or "").strip().lower()


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def zone_for(name: str) -> zoneinfo.ZoneInfo:
    """The user's zone; a name this machine does not know (an old row, a removed zone) means UTC."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalised_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address: a patient or a clinician.

    Admins are staff users; their role does not matter to the admin site.
    """

    class Role(models.TextChoices):
        PATIENT = "patient", _("Patient")
        CLINICIAN = "clinician", _("Clinician")

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PATIENT)
    clinician_verified_at = models.DateTimeField(
        _("clinician verified at"),
        null=True,
        blank=True,
        help_text=_("Set by an admin once the clinician's credentials are checked."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    welcomed_at = models.DateTimeField(_("welcome email sent at"), null=True, blank=True, editable=False)
    # Part of every session's check value: a new stamp ends every session ("sign out everywhere").
    session_stamp = models.CharField(max_length=32, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["patient", "clinician"]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalised_email(self.email)

    def save(self, *args, **kwargs) -> None:
        # set_password() keeps the new raw password until the save: a changed password
        # ends every API token (sessions end by themselves: their check value is the hash).
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            self.auth_token_set.all().delete()

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django's value, over the password hash and the session stamp (empty until the first
        # "sign out everywhere", so sessions made before the stamp existed stay valid).
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password + self.session_stamp
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == self.Role.CLINICIAN

    @property
    def is_verified_clinician(self) -> bool:
        return self.is_clinician and self.clinician_verified_at is not None

    @property
    def two_factor_required(self) -> bool:
        """Whoever can open other people's health data signs in with a second factor."""
        return self.is_staff or self.is_verified_clinician

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_for(self.time_zone)
