"""The vocabulary guidance reasons about (DESIGN.md). Slugs are added, never renamed.

Guidance owns it; tracker's models, forms and serializers import it from here.
"""

import functools
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Location(models.TextChoices):
    LOWER_BACK_LEFT = "lower_back_left", _("Lower back, left")
    LOWER_BACK_RIGHT = "lower_back_right", _("Lower back, right")
    LOWER_BACK_CENTER = "lower_back_center", _("Lower back, centre")
    MID_BACK = "mid_back", _("Middle of the back")
    UPPER_BACK = "upper_back", _("Upper back")
    BUTTOCK_LEFT = "buttock_left", _("Buttock, left")
    BUTTOCK_RIGHT = "buttock_right", _("Buttock, right")
    LEG_LEFT = "leg_left", _("Left leg")
    LEG_RIGHT = "leg_right", _("Right leg")


LEG_LOCATIONS = frozenset({Location.LEG_LEFT, Location.LEG_RIGHT})


class Descriptor(models.TextChoices):
    TWINGES = "twinges", _("Subtle twinges")
    TIGHT_KNOT = "tight_knot", _("A tight knot")
    CRAMPING = "cramping", _("Sudden cramping that comes and goes")
    HARD_TO_MOVE = "hard_to_move", _("Difficulty bending or moving")
    WEAKNESS = "weakness", _("Generalised weakness")


class Trigger(models.TextChoices):
    HEAVY_LIFTING = "heavy_lifting", _("Heavy lifting")
    STRAINING_ACTIVITY = "straining_activity", _("Straining activity")
    SPORTS = "sports", _("Sports (sudden or repeated turning)")
    MOVING_FURNITURE = "moving_furniture", _("Moving furniture")
    INJURY = "injury", _("An injury")
    PROLONGED_SITTING = "prolonged_sitting", _("Sitting for a long time")
    SUDDEN_TWIST = "sudden_twist", _("A sudden twist")
    UNKNOWN = "unknown", _("I don't know")
    OTHER = "other", _("Something else")


class RedFlag(models.TextChoices):
    BLADDER_BOWEL = "bladder_bowel", _("New trouble controlling or passing urine or stools")
    SADDLE_NUMBNESS = "saddle_numbness", _("Numbness around the groin, genitals or buttocks")
    LEG_WEAKNESS_NUMBNESS = "leg_weakness_numbness", _("Leg weakness or numbness that is getting worse")
    FEVER = "fever", _("Fever or feeling generally unwell")
    MAJOR_TRAUMA = "major_trauma", _("A fall, accident or other big injury")
    WEIGHT_LOSS = "weight_loss", _("Weight loss you can't explain")
    CANCER_HISTORY = "cancer_history", _("Having had cancer")
    NIGHT_PAIN = "night_pain", _("Pain at night that does not ease with rest")


# The warning-sign question in plain words: a short name for a big button, and a hint.
RED_FLAG_PLAIN = {
    RedFlag.BLADDER_BOWEL: (_("New trouble peeing or pooing"), _("Can't hold it in, or can't go")),
    RedFlag.SADDLE_NUMBNESS: (_("Numbness between the legs"), _("Around the groin, genitals or buttocks")),
    RedFlag.LEG_WEAKNESS_NUMBNESS: (_("A leg getting weaker or numb"), _("Worse than before")),
    RedFlag.FEVER: (_("Fever or feeling very unwell"), _("Hot, shivery or sick")),
    RedFlag.MAJOR_TRAUMA: (_("A fall, crash or big injury"), _("Before the pain started")),
    RedFlag.WEIGHT_LOSS: (_("Losing weight without trying"), _("And you don't know why")),
    RedFlag.CANCER_HISTORY: (_("You have had cancer"), _("At any time")),
    RedFlag.NIGHT_PAIN: (_("Pain at night that rest doesn't ease"), _("It wakes you or keeps you up")),
}

# Cauda equina signs: an emergency, whatever the rest of the episode says (NICE NG59).
EMERGENCY_RED_FLAGS = frozenset(
    {RedFlag.BLADDER_BOWEL, RedFlag.SADDLE_NUMBNESS, RedFlag.LEG_WEAKNESS_NUMBNESS}
)


class ReliefMeasure(models.TextChoices):
    REST = "rest", _("Rest")
    ICE = "ice", _("Ice")
    HEAT = "heat", _("Heat")
    ICE_HEAT_ALTERNATING = "ice_heat_alternating", _("Alternating ice and heat")
    MASSAGE = "massage", _("Massage")
    BREATHING = "breathing", _("Slow breathing")
    STRETCHING = "stretching", _("Stretching")
    NSAID = "nsaid", _("Anti-inflammatory medicine (NSAID)")
    MUSCLE_RELAXANT = "muscle_relaxant", _("Muscle relaxant")
    PHYSIO = "physio", _("Physical therapy")
    CHIROPRACTIC = "chiropractic", _("Chiropractic")
    OTHER = "other", _("Something else")


class ReliefEffect(models.TextChoices):
    WORSE = "worse", _("Made it worse")
    NONE = "none", _("No change")
    SOME = "some", _("Helped a bit")
    MUCH = "much", _("Helped a lot")


HELPFUL_EFFECTS = frozenset({ReliefEffect.SOME, ReliefEffect.MUCH})


class Mobility(models.TextChoices):
    NORMAL = "normal", _("I can move normally")
    LIMITED = "limited", _("Moving is limited")
    HARD_TO_MOVE = "hard_to_move", _("It is hard to move")
    CANNOT_MOVE = "cannot_move", _("I can't move")


class Phase(models.TextChoices):
    DURING = "during", _("During a spasm")
    AFTER_STRAIN = "after_strain", _("After a strain or injury")
    MEDICATION = "medication", _("Medication and treatment")
    RECOVERY = "recovery", _("Recovery")
    PREVENTION = "prevention", _("Prevention")
    DOCTOR_VISIT = "doctor_visit", _("At the doctor's")


PHASE_ORDER = {phase: index for index, phase in enumerate(Phase.values)}


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency: seek care now")
    URGENT = "urgent", _("Urgent: see a doctor today")
    SOON = "soon", _("Soon: see a doctor within a few days")
    ROUTINE = "routine", _("Routine: mention it at your next visit")


URGENCY_ORDER = {urgency: index for index, urgency in enumerate(Urgency.values)}


@functools.cache
def label_map(choices: type[models.TextChoices]) -> dict[str, str]:
    """Slug -> label, built once: ``Choices.choices`` rebuilds its list on every access. The
    labels stay lazy, so each use gets the active language."""
    return dict(choices.choices)


def labels_for(choices: type[models.TextChoices], slugs: Iterable[str]) -> list[str]:
    """Translated labels for vocabulary slugs, in order; an unknown slug as it is."""
    names = label_map(choices)
    return [str(names.get(slug, slug)) for slug in slugs]
