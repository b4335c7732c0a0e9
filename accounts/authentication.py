from django.utils import timezone, translation
from rest_framework.authentication import TokenAuthentication


class UserPreferencesTokenAuthentication(TokenAuthentication):
    """Token auth that, like the session middleware, uses the user's language and time zone."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            translation.activate(user.language)
            timezone.activate(user.zone)
        return result
