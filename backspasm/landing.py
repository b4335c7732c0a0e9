"""Where a person lands after logging in: their own start page, by role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def after_login(request):
    """A verified clinician starts on their patients, an admin on the admin, a patient at home."""
    if request.user.is_verified_clinician:
        return redirect("clinicians:dashboard")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("home")
