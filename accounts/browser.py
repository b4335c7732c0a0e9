"""What the browser keeps of an account, and how a response tells it to let go."""

from django.http import HttpResponse

# Dropped when its user logs out or deletes the account: the offline queue (IndexedDB),
# the service worker and its cached app shell, and any cached copy of a page (issue 15).
# The pages' JavaScript clears them too, for browsers that ignore this header.
CLEAR_SITE_DATA = '"cache", "storage"'


def forget_this_browser(response: HttpResponse) -> HttpResponse:
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
