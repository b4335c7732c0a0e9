"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and single-use backup codes.

Required for verified clinicians and staff, who can open other people's records; optional
for patients. A session is fully signed in once django-otp marks it verified; until then
``accounts.middleware.TwoFactorMiddleware`` lets it reach only the pages of this flow.
"""

import base64
import secrets
import time

import django_otp
import segno
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.lockout import lockout_reset
from accounts.models import User

BACKUP_CODE_COUNT = 10
BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread: no 0/o, 1/l/i
# Set at sign-in for an account with a device, so patients without one cost no query a request.
SECOND_STEP_SESSION_KEY = "two_factor_pending"
SESSION_STARTED_KEY = "signed_in_at"
SESSION_SEEN_KEY = "last_seen_at"
AUTHENTICATOR_NAME = "authenticator"
BACKUP_NAME = "backup"


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per user, kept until confirmed
    so the QR code does not change on every reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    encoded = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(encoded[index : index + 4] for index in range(0, len(encoded), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn here: no request leaves for another site."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app"), svgclass="qr-code", lineclass=None
    )


@transaction.atomic
def enrolment_confirm(*, request, device: TOTPDevice, token: str) -> list[str]:
    """Turn the authenticator on once it shows a right code; returns fresh backup codes."""
    if not device.verify_token(token):
        raise ValidationError(
            {"otp_token": _("That code is not right. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_create(user=device.user)
    django_otp.login(request, device)
    request.session.pop(SECOND_STEP_SESSION_KEY, None)
    return codes


def backup_codes_create(*, user: User) -> list[str]:
    """Ten new single-use codes (the old ones stop working). Only shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME)
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(10)) for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_step_verify(*, request, user: User, token: str) -> bool:
    """Check a code from the authenticator or a backup code; a wrong one counts towards the
    account's lockout like a wrong password, a right one finishes the sign-in."""
    token = token.strip().replace(" ", "").lower()
    for device in _devices_for(user):
        if django_otp.verify_token(user, device.persistent_id, token):
            if request is not None and getattr(request, "session", None) is not None:
                django_otp.login(request, device)
                request.session.pop(SECOND_STEP_SESSION_KEY, None)
            lockout_reset(username=user.email)
            return True
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)
    return False


def _devices_for(user: User) -> list:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def two_factor_remove(*, user: User) -> None:
    """Forget every device (a patient turning it off, or an admin's reset for a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@receiver(user_logged_in)
def _second_step_after_password(sender, request, user, **kwargs) -> None:
    """Note when the session began and whether a code is still to come (an account with a
    device: patients without one then cost no device query on each request)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SESSION_STARTED_KEY] = session[SESSION_SEEN_KEY] = time.time()
    if getattr(user, "otp_device", None) is None and two_factor_enabled(user):
        session[SECOND_STEP_SESSION_KEY] = True
