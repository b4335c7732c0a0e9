"""Tracker's own choices; the shared vocabulary lives in ``guidance.vocabulary``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guidance.vocabulary import (  # noqa: F401 - the vocabulary, re-exported for tracker's modules
    EMERGENCY_RED_FLAGS,
    HELPFUL_EFFECTS,
    LEG_LOCATIONS,
    Descriptor,
    Location,
    Mobility,
    RedFlag,
    ReliefEffect,
    ReliefMeasure,
    Trigger,
    label_map,
    labels_for,
)


class Sleep(models.TextChoices):
    """How the patient slept the night before the day checked in."""

    POOR = "poor", _("Poorly")
    OK = "ok", _("OK")
    GOOD = "good", _("Well")


class Stress(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# The daily factors of a check-in (DESIGN.md), all optional: ``active`` and ``long_sitting``
# are yes/no, the others take their choices' slugs.
DAILY_FACTORS = ("sleep", "stress", "active", "long_sitting")


class TagKind(models.TextChoices):
    LOCATION = "location", _("Location")
    DESCRIPTOR = "descriptor", _("How it feels")
    TRIGGER = "trigger", _("Trigger")
    RED_FLAG = "red_flag", _("Warning sign")


TAG_CHOICES = {
    TagKind.LOCATION: Location,
    TagKind.DESCRIPTOR: Descriptor,
    TagKind.TRIGGER: Trigger,
    TagKind.RED_FLAG: RedFlag,
}
