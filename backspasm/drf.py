"""What every app's API shares on top of Django REST framework: one exception handler,
so every error under /api/ is JSON with a documented status, and the schema that says so."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from backspasm.errors import RETRY_AFTER_SECONDS, unavailable_message


def exception_handler(exc, context):
    """DRF's handler, plus: a service's Django ``ValidationError`` is a 400 with field errors
    (so API views call services directly, the HackSoft styleguide's approach), or a 409 when
    it carries a ``conflict`` (the fields naming what it conflicts with); JSON nested past
    Python's recursion limit is a 400; a database outage is a 503 with Retry-After."""
    conflict = getattr(exc, "conflict", None)
    if isinstance(exc, DjangoValidationError) and conflict is not None:
        return Response({"detail": exc.messages[0], **conflict}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, RecursionError):
        exc = ParseError(_("The JSON is nested too deeply."))
    elif isinstance(exc, OperationalError | InterfaceError):
        return Response(
            {"detail": unavailable_message()},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)


def error_serializer(name: str, **fields) -> serializers.Serializer:
    return inline_serializer(name, {"detail": serializers.CharField(), **fields})


ERROR = error_serializer("Error")
FIELD_ERRORS = inline_serializer(
    "FieldErrors", {"field_name": serializers.ListField(child=serializers.CharField(), required=False)}
)
# What any operation may answer besides its own success, and when.
ERROR_RESPONSES = {
    400: (FIELD_ERRORS, ("POST", "PUT", "PATCH", "GET")),
    401: (ERROR, None),
    404: (ERROR, None),
    429: (ERROR, None),
    503: (ERROR, None),
}


class ErrorDocumentingSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (serializer, methods) in ERROR_RESPONSES.items():
            if methods is not None and self.method not in methods:
                continue
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(serializer, str(code), direction=direction)
        return responses
