from django.contrib.auth.backends import ModelBackend

from accounts.models import normalised_email


class EmailBackend(ModelBackend):
    """Signs in by email address, whatever its case."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(
            request, username=normalised_email(username or email), password=password, **kwargs
        )
