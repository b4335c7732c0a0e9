from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class UserPreferencesTokenAuthentication(TokenAuthentication):
    """API tokens (django-rest-knox: hashed, expiring, one per device) that, like the session
    middleware, use the user's language and time zone."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:  # knox decodes it unguarded: a 500 otherwise
            raise AuthenticationFailed(_("Invalid token.")) from error
        user, auth_token = super().authenticate_credentials(token)
        translation.activate(user.language)
        timezone.activate(user.zone)
        return user, auth_token


class UserPreferencesTokenScheme(KnoxTokenScheme):
    """The OpenAPI description of these tokens (``Authorization: Token <token>``)."""

    target_class = UserPreferencesTokenAuthentication
    name = "tokenAuth"
