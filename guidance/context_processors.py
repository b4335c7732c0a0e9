from django.conf import settings


def emergency_number(request) -> dict:
    """The number an emergency prompt's "call now" button dials (``EMERGENCY_NUMBER``)."""
    return {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}
