"""``Idempotency-Key`` on the API writes a client may retry (POST /api/episodes/,
/api/checkins/, /api/peg/): a repeat of a key returns the first answer and writes nothing.

The answer is stored with the key, per user, in the write's own transaction, and a unique
constraint holds the key once: two requests racing with one key both write, the second's
key breaks the constraint, its whole transaction (its write too) rolls back, and it
answers what the first stored. Without a key the write and its answer still share one
transaction, so an error while answering commits nothing.
"""

import json
import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from tracker.models import IdempotentAnswer

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description="A UUID the client makes for this write. Sending the same key again (a retry, "
    "an offline sync) returns the first answer and writes nothing.",
)


def _key(request: Request) -> uuid.UUID | None:
    value = request.headers.get(HEADER)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError({HEADER: [_("The Idempotency-Key must be a UUID.")]}) from None


def _replay(stored: IdempotentAnswer, *, endpoint: str) -> Response:
    if stored.endpoint != endpoint:
        raise ValidationError({HEADER: [_("This Idempotency-Key was already used for another request.")]})
    return Response(stored.body, status=stored.status, headers={REPLAYED_HEADER: "true"})


def answer_once(request: Request, *, endpoint: str, write: Callable[[], Response]) -> Response:
    """Run ``write`` (a service call and its answer) at most once per Idempotency-Key."""
    key = _key(request)
    if key is None:
        with transaction.atomic():
            return write()
    stored = IdempotentAnswer.objects.filter(user=request.user, key=key).first()
    if stored is not None:
        return _replay(stored, endpoint=endpoint)
    try:
        with transaction.atomic():
            response = write()
            IdempotentAnswer.objects.create(
                user=request.user,
                key=key,
                endpoint=endpoint,
                status=response.status_code,
                body=json.loads(json.dumps(response.data, cls=JSONEncoder)),
            )
    except (IntegrityError, ValidationError):
        # A request with the same key won the race (and so, perhaps, the one ongoing episode).
        stored = IdempotentAnswer.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, endpoint=endpoint)
    return response
