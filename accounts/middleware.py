import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.two_factor import (
    SECOND_STEP_SESSION_KEY,
    SESSION_SEEN_KEY,
    SESSION_STARTED_KEY,
    two_factor_enabled,
)


class UserPreferencesMiddleware:
    """Use the signed-in user's own language and time zone for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class SessionLimitsMiddleware:
    """Sessions of those who see other people's records (verified clinicians, staff) end
    after ``STAFF_SESSION_IDLE_MINUTES`` without a request and ``STAFF_SESSION_MAX_HOURS``
    in all, with a message saying why. Patients keep their sessions as before."""

    # The last-seen time is written at most once a minute, not on every request.
    SEEN_WRITE_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.two_factor_required:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
            total = settings.STAFF_SESSION_MAX_HOURS * 3600
            if now - seen > idle or now - started > total:
                logout(request)
                if not _is_api(request):
                    messages.info(
                        request,
                        _(
                            "You were signed out for your safety after a while without activity. Log in again."
                        ),
                    )
                    return redirect_to_login(request.get_full_path())
            elif SESSION_SEEN_KEY not in session or now - seen > self.SEEN_WRITE_SECONDS:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Until the second step of sign-in is done, a session reaches only that step's pages:
    those who must use two-factor and have no device yet are sent to set one up, those with
    a device to enter a code. Any other page redirects there; the API answers 403."""

    # The token endpoint asks for the code itself and uses no session.
    OPEN_PREFIXES = (
        "/accounts/two-factor/",
        "/accounts/logout/",
        "/accounts/language/",
        "/i18n/",
        "/static/",
        "/api/auth/token/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and (user.two_factor_required or request.session.get(SECOND_STEP_SESSION_KEY))
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            if _is_api(request):
                return JsonResponse({"detail": _("Finish two-factor sign-in first.")}, status=403)
            step = "accounts:two_factor_verify" if two_factor_enabled(user) else "accounts:two_factor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
