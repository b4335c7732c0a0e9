from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.browser import forget_this_browser
from accounts.forms import ProfileForm, SecondStepForm, SignUpForm
from accounts.lockout import client_ip, lockout_response
from accounts.models import normalised_email
from accounts.services import user_create, user_sign_out_everywhere, user_update_preferences
from accounts.throttle import attempt_allowed

PASSWORD_RESET_WINDOW_SECONDS = 3600


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                role=data["role"],
                time_zone=data["time_zone"],
                language=data["language"],
            )
        except ValidationError as error:  # a parallel sign-up took the email since the form looked
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return render(request, "accounts/signup.html", {"form": form})
        login(request, user, backend="accounts.backends.EmailBackend")
        if user.is_clinician:
            messages.info(
                request,
                _("Welcome! An admin will verify your clinician account before patients can share with you."),
            )
        else:
            messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "time_zone": user.time_zone, "language": user.language},
    )
    if request.method == "POST" and form.is_valid():
        user_update_preferences(user=user, **form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    context = {"form": form, "two_factor_enabled": two_factor.two_factor_enabled(user)}
    return render(request, "accounts/profile.html", context)


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's choice is kept in their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(translation.trans_real.get_languages()):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie("django_language", language, samesite="Lax", max_age=365 * 24 * 3600)
    return response


@login_required
@require_POST
def sign_out_everywhere(request):
    user_sign_out_everywhere(user=request.user)
    messages.success(request, _("You are signed out on every device, this one too."))
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with a limit on requests per client address and per email address,
    so it cannot be used to flood someone's inbox."""

    def form_valid(self, form):
        checks = (
            ("password-reset-ip", client_ip(self.request), settings.PASSWORD_RESET_LIMIT_PER_IP),
            (
                "password-reset-email",
                normalised_email(form.cleaned_data["email"]),
                settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            ),
        )
        for scope, key, limit in checks:
            if not attempt_allowed(
                scope=scope, key=key, limit=limit, window_seconds=PASSWORD_RESET_WINDOW_SECONDS
            ):
                form.add_error(None, _("Too many reset requests. Try again in an hour."))
                return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _next_url(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse("home")


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), enter a code."""
    user = request.user
    if two_factor.two_factor_enabled(user) and not user.is_verified():
        # Replacing a device needs the old one first: otherwise a stolen password would do.
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = two_factor.enrolment_device(user=user)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.enrolment_confirm(
                request=request, device=device, token=form.cleaned_data["otp_token"]
            )
        except ValidationError as error:
            form.add_error("otp_token", error.message_dict["otp_token"])
        else:
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "accounts/two_factor_backup_codes.html", context)
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    """The second step of sign-in: a code from the authenticator app or a backup code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.two_factor_enabled(user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    if not AxesProxyHandler.is_allowed(request, {"username": user.email}):
        logout(request)
        return lockout_response(request)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.second_step_verify(request=request, user=user, token=form.cleaned_data["otp_token"]):
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout_response(request)
        form.add_error("otp_token", _("That code is not right. Try the newest code, or a backup code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def two_factor_disable(request):
    """Patients may turn two-factor off; for clinicians and staff it stays on."""
    if request.user.two_factor_required:
        raise Http404
    two_factor.two_factor_remove(user=request.user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:profile")


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        return forget_this_browser(super().post(request, *args, **kwargs))
