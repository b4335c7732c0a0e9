"""One gate per role, for pages (a decorator) and the API (a permission), each answering 404
to anyone else so the tools do not reveal themselves."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from rest_framework.permissions import BasePermission


def is_verified_clinician(user) -> bool:
    return user.is_authenticated and user.is_verified_clinician


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_staff


def is_patient(user) -> bool:
    return user.is_authenticated and user.is_patient


def patient_required(view):
    """Patient pages (logging, history, sharing...): log in first, then 404 for other roles."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_patient(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def clinician_required(view):
    """Clinician pages: log in first, then 404 for anyone who is not a verified clinician."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_verified_clinician(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view):
    """Staff tools (guidance preview and publishing): 404 to anyone but staff, logged in or not."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class Patient(BasePermission):
    """The patient API; list it after ``IsAuthenticated`` so a missing login stays a 401."""

    def has_permission(self, request, view) -> bool:
        if not is_patient(request.user):
            raise Http404
        return True


class VerifiedClinician(BasePermission):
    """The clinician API; list it after ``IsAuthenticated`` so a missing login stays a 401."""

    def has_permission(self, request, view) -> bool:
        if not is_verified_clinician(request.user):
            raise Http404
        return True


class Staff(BasePermission):
    """Staff-only API views; list it after ``IsAuthenticated`` so a missing login stays a 401."""

    def has_permission(self, request, view) -> bool:
        if not is_staff(request.user):
            raise Http404
        return True
