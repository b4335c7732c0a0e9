"""How the insights put numbers into words: shared by the insight sections."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def percent(value: float) -> str:
    return f"{round(100 * value)}%"


def decimal(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1)


def factor_labels() -> dict[str, tuple[str, str]]:
    """Per factor: the days with it and the days without it, as a sentence names them."""
    return {
        "poor_sleep": (_("after poor sleep"), _("after OK or good sleep")),
        "high_stress": (_("with high stress"), _("with low or medium stress")),
        "active": (_("when you were physically active"), _("when you were not")),
        "long_sitting": (_("when you sat for a long time"), _("when you did not")),
    }


def factor_names() -> dict[str, str]:
    return {
        "poor_sleep": _("Poor sleep"),
        "high_stress": _("High stress"),
        "active": _("Physically active"),
        "long_sitting": _("Long sitting"),
    }
