"""Request guards and response headers that belong to no app."""

from django.http import Http404, HttpRequest
from django.utils.cache import add_never_cache_headers

from backspasm.errors import page_not_found


class RejectNulInPathMiddleware:
    """A NUL character matches no page; PostgreSQL refuses it in a lookup, so a path such
    as ``/sharing/accept/%00/`` would reach a query and fail with a 500. Answer 404 first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "\x00" in request.path:
            return page_not_found(request, Http404())
        return self.get_response(request)


class PrivateCacheMiddleware:
    """No browser or proxy keeps a copy of what the app serves: ``Cache-Control: no-store``.

    Every page, export and API answer can hold health data or depends on who asks, so this
    is the default for all of them; static files (served by WhiteNoise, earlier in the chain)
    keep their long cache. A view that sets its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
