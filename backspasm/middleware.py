"""Request guards that belong to no app."""

from django.http import Http404, HttpRequest

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
