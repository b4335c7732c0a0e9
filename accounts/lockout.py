"""Guessing protection: django-axes lockout per account and per client address."""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_otp import user_has_device

from accounts.models import User, normalised_email


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, unless settings trust proxies in front.

    With ``TRUSTED_PROXY_COUNT`` = n, the n-th address from the right of X-Forwarded-For
    is the one the outermost trusted proxy saw (what DRF's ``NUM_PROXIES`` reads too);
    anything further left was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0 or not forwarded.strip():
        return remote
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(count, len(addresses))] or remote


def lockout_username(request, credentials: dict | None) -> str | None:
    """The username axes counts failures for: normalised like sign-in compares it."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalised_email(username) if username is not None else None


class LockoutHandler(AxesDatabaseHandler):
    """Locks a username after ``AXES_FAILURE_LIMIT`` failures and, separately, a client
    address after ``AXES_IP_FAILURE_LIMIT`` (higher: one clinic's network shares an address).

    axes compares one failure count with one limit, so an address's failures are given in
    units of the username limit: it reaches that limit exactly when it reaches its own.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        counts = {}
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            counts[parameter] = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        by_address = counts["ip_address"] * settings.AXES_FAILURE_LIMIT // settings.AXES_IP_FAILURE_LIMIT
        return max(counts["username"], by_address)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A right password clears its username's failures, not its address's (a guesser
        could clear that by signing in to an account of their own), and not while a second
        factor is still to come: wrong codes count too, and a fresh password must not wipe them.
        """
        user = getattr(request, "user", None)
        code_to_come = isinstance(user, User) and getattr(user, "otp_device", None) is None
        if code_to_come and (user.two_factor_required or user_has_device(user)):
            return 0
        return lockout_reset(username=lockout_username(request, credentials))


def lockout_reset(*, username: str) -> int:
    """Clear a username's failures (the address's stay)."""
    deleted, _per_model = AccessAttempt.objects.filter(username=normalised_email(username)).delete()
    return deleted


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """django-axes lockout: JSON for API clients, a page for people; 429 either way."""
    if request.path.startswith("/api/"):
        message = _("Too many failed attempts. Try again in 15 minutes, or reset your password.")
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", status=429)
