"""Who may open a page or API view, by role. Anyone else gets a 404, as for a record that
is not theirs (a 403 would confirm the page exists for someone)."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404
from rest_framework.permissions import BasePermission


def patient_required(view):
    """Patient pages (logging, history, sharing...): not for clinicians."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_patient:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


class IsPatient(BasePermission):
    """The API twin of ``patient_required``: 401 without credentials, 404 for other roles."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if not request.user.is_patient:
            raise Http404
        return True
