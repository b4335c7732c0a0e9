"""What each reminder says, in the recipient's language."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from reminders.models import Delivery, ReminderPlan
from tracker.insights.report import factor_reminder

Kind = ReminderPlan.Kind


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str  # a path on this site


def message_for(delivery: Delivery, *, extra: dict | None = None) -> Message:
    """Render the reminder in the user's language; ``extra`` carries what the send step looked up."""
    plan = delivery.plan
    with translation.override(plan.user.language):
        return _MESSAGES[plan.kind](delivery, extra or {})


def _daily_log(delivery: Delivery, extra: dict) -> Message:
    body = gettext("Logging takes a few seconds, and days without a spasm count too.")
    # Once a week the reminder may mention a clear link the insights found (issue 17).
    insight = factor_reminder(extra["factors"]) if extra.get("factors") else None
    if insight:
        body = f"{body} {insight}"
    return Message(gettext("How was your back today?"), body, reverse("checkin"))


def _heat_ice(delivery: Delivery, extra: dict) -> Message:
    minutes = delivery.plan.interval_minutes
    if delivery.cycle % 2:
        title = gettext("Time to switch to heat")
        body = gettext(
            "%(minutes)s minutes are up: put the ice away and use a heating pad or a warm compress "
            "for the next %(minutes)s minutes."
        ) % {"minutes": minutes}
    else:
        title = gettext("Time to switch to ice")
        body = gettext(
            "%(minutes)s minutes are up: switch to an ice pack wrapped in a towel for the next "
            "%(minutes)s minutes, and give your skin a break afterwards."
        ) % {"minutes": minutes}
    link = reverse("episode_detail", args=[delivery.episode_id]) if delivery.episode_id else reverse("home")
    return Message(title, body, link)


def _follow_up(delivery: Delivery, extra: dict) -> Message:
    return Message(
        gettext("How is your back now?"),
        gettext("Your last flare-up ended a while ago. Is it better, about the same, or worse?"),
        reverse("reminders:follow_up", args=[delivery.id]),
    )


def _weekly_peg(delivery: Delivery, extra: dict) -> Message:
    return Message(
        gettext("Your weekly check-in"),
        gettext("Three quick questions about pain, enjoyment of life and activity over the past week."),
        reverse("checkin") + "#peg-heading",
    )


def _no_improvement(delivery: Delivery, extra: dict) -> Message:
    return Message(
        gettext("Four weeks without improvement"),
        gettext(
            "Your spasms have continued for four weeks without getting better. It is a good time to see "
            "a doctor: your summary answers the questions they will ask."
        ),
        reverse("summary"),
    )


def _clinician_digest(delivery: Delivery, extra: dict) -> Message:
    names = extra.get("patients", [])
    count = len(names)
    title = ngettext(
        "%(count)s patient needs your attention", "%(count)s patients need your attention", count
    ) % {"count": count}
    return Message(title, ", ".join(names), reverse("clinicians:dashboard"))


_MESSAGES = {
    Kind.DAILY_LOG: _daily_log,
    Kind.HEAT_ICE: _heat_ice,
    Kind.FOLLOW_UP: _follow_up,
    Kind.WEEKLY_PEG: _weekly_peg,
    Kind.NO_IMPROVEMENT: _no_improvement,
    Kind.CLINICIAN_DIGEST: _clinician_digest,
}
