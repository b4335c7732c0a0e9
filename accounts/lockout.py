from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """django-axes lockout: JSON for API clients, a page for people; 429 either way."""
    if request.path.startswith("/api/"):
        message = _("Too many failed attempts. Try again in 15 minutes, or reset your password.")
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", status=429)
