from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm, SignUpForm
from accounts.lockout import client_ip
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
        user = user_create(
            email=data["email"],
            password=data["password1"],
            display_name=data["display_name"],
            role=data["role"],
            time_zone=data["time_zone"],
            language=data["language"],
        )
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
    return render(request, "accounts/profile.html", {"form": form})


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
