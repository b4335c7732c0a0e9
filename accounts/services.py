import datetime
import email.policy
import email.utils
import logging
import secrets
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from knox.models import AuthToken

from accounts.models import User
from accounts.signals import user_signed_up, user_time_zone_changed

logger = logging.getLogger(__name__)

EMAIL_TAKEN = gettext_lazy("An account with this email already exists. Try logging in.")


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    role: str = User.Role.PATIENT,
    time_zone: str = "UTC",
    language: str = "en",
) -> User:
    """Create a patient or (unverified) clinician account.

    Other apps add their per-user defaults (reminder plans, ...) by receiving
    ``accounts.signals.user_signed_up``, sent inside this transaction.
    """
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        time_zone=time_zone,
        language=language,
    )
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A parallel sign-up with this email won between our check and our insert: answer
        # as the check answers a sequential one.
        if not User.objects.filter(email__iexact=user.email).exists():
            raise
        raise ValidationError({"email": [EMAIL_TAKEN]}) from None
    user_signed_up.send(sender=User, user=user)
    transaction.on_commit(lambda: _enqueue_welcome(user.id))
    return user


def _enqueue_welcome(user_id: int) -> None:
    # A broker outage must never fail a sign-up: the email is a courtesy.
    from accounts.tasks import send_welcome_email

    try:
        send_welcome_email.delay(user_id)
    except Exception:
        logger.warning("Could not queue the welcome email for user %s", user_id, exc_info=True)


def clinician_verify(*, clinician: User) -> User:
    """Verified clinicians sign in with a second factor: tokens issued without one end now."""
    if clinician.is_clinician and clinician.clinician_verified_at is None:
        clinician.clinician_verified_at = timezone.now()
        clinician.save(update_fields=["clinician_verified_at"])
        AuthToken.objects.filter(user=clinician).delete()
    return clinician


@transaction.atomic
def user_update_preferences(*, user: User, display_name: str, time_zone: str, language: str) -> User:
    """Save the profile. A new time zone is announced with ``accounts.signals.user_time_zone_changed``
    (reminders move their wall-clock times to it), sent inside this transaction.
    """
    zone_changed = time_zone != user.time_zone
    user.display_name = display_name
    user.time_zone = time_zone
    user.language = language
    user.full_clean()
    user.save(update_fields=["display_name", "time_zone", "language"])
    if zone_changed:
        user_time_zone_changed.send(sender=User, user=user)
    return user


def user_delete(*, user: User) -> None:
    """Delete the account and everything stored about it: its rows through cascades, the
    sign-in records django-axes keeps by email (not by user), and the emails to it that the
    file mail backend left on disk (welcome, password reset, reminders).
    """
    address = user.email
    with transaction.atomic():
        user.delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=address).delete()
    mail_files_forget(address=address)


MAIL_FILE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def mail_files_forget(*, address: str) -> int:
    """Remove the messages to ``address`` from the file mail backend's files; returns how many.

    Django's file backend appends each message, then a line of 79 dashes, to one file per
    connection, so a file may also hold other people's messages: those are kept.
    """
    if not settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        return 0
    removed = 0
    for path in Path(settings.EMAIL_FILE_PATH).glob("*.log"):
        messages = [part for part in path.read_bytes().split(MAIL_FILE_SEPARATOR) if part.strip()]
        kept = [message for message in messages if not _addressed_to(message, address)]
        if len(kept) == len(messages):
            continue
        removed += len(messages) - len(kept)
        if kept:
            path.write_bytes(b"".join(message + MAIL_FILE_SEPARATOR for message in kept))
        else:
            path.unlink()
    return removed


def _addressed_to(message: bytes, address: str) -> bool:
    headers = email.message_from_bytes(message, policy=email.policy.default)
    fields = [str(value) for name in ("To", "Cc", "Bcc") for value in headers.get_all(name, [])]
    return any(found.lower() == address.lower() for _name, found in email.utils.getaddresses(fields))


def user_sign_out_everywhere(*, user: User) -> None:
    """End every session (this one too) and every API token of the account."""
    user.session_stamp = secrets.token_hex(16)
    user.save(update_fields=["session_stamp"])
    AuthToken.objects.filter(user=user).delete()


def api_token_create(*, user: User) -> tuple[str, datetime.datetime | None]:
    """A new token for one device; only its hash is stored. Returns it and when it expires."""
    if user.two_factor_required:
        ttl = datetime.timedelta(hours=settings.STAFF_API_TOKEN_HOURS)
        instance, token = AuthToken.objects.create(user=user, expiry=ttl)
    else:
        instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


def api_token_revoke(*, token: AuthToken) -> None:
    token.delete()


def welcome_email_send(*, user_id: int) -> bool:
    """Send the welcome email once; False when the user is gone or was already welcomed."""
    claimed = User.objects.filter(id=user_id, welcomed_at__isnull=True).update(welcomed_at=timezone.now())
    if claimed != 1:
        return False
    user = User.objects.get(id=user_id)
    with translation.override(user.language):
        context = {"user": user, "site_url": settings.SITE_URL}
        send_mail(
            subject=gettext("Welcome to Spasm tracker"),
            message=render_to_string("accounts/email/welcome.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    return True
