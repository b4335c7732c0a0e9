"""What every app's API shares on top of Django REST framework."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError


def service_call(function, **kwargs):
    """Call a service; its model validation errors become a 400 with field errors."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from error
