"""What a request that failed answers: JSON under /api/ (DESIGN.md), a small page elsewhere.
A database outage is a 503 with Retry-After, answered without touching the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
# Long enough for a database restart or failover; clients retry after it.
RETRY_AFTER_SECONDS = 30


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def unavailable_message() -> str:
    return _("The service is briefly unavailable. Nothing was saved; please try again in a moment.")


def service_unavailable(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        response = JsonResponse({"detail": unavailable_message()}, status=503)
    else:
        # No request context: its processors (the reminder bell) would query the database.
        body = render_to_string("503.html", {"message": unavailable_message()})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503; anything else a 500, JSON under /api/."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    if is_api(request):
        return JsonResponse({"detail": _("Something went wrong on our side. Please try again.")}, status=500)
    return defaults.server_error(request)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: under /api/ a JSON 404 (``/api/episodes/abc/`` matches no route)."""
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
