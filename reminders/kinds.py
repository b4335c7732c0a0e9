"""The reminder kinds: one class per kind holds all that differs between them (healthchecks'
``hc/api/transports.py`` has this shape), and the plan services and the dispatcher look them
up in ``KINDS``. Adding a kind touches this file (and its ``ReminderPlan.Kind`` slug).

Each kind says who gets it (its ``role``) and with which defaults, whether it is clock-based,
when its next delivery falls due, why a due delivery would be skipped, what it says, and which
settings its form shows.
"""

import datetime
import logging
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from accounts.models import User
from clinicians import selectors as clinicians_selectors
from guidance.trend import TREND_WINDOW, mean_or_none, severity_trend
from reminders import schedule
from reminders.models import Delivery, ReminderPlan
from tracker.insights.report import factor_reminder
from tracker.insights.selectors import factor_counts_by_patient
from tracker.models import DailyCheckIn, Episode

logger = logging.getLogger(__name__)

Kind = ReminderPlan.Kind
# A clock reminder more than this late (the app was off) is not worth sending any more.
STALE_AFTER = datetime.timedelta(hours=6)
# The "no improvement" nudge: episodes in a run (no gap longer than LONGEST_GAP) for
# CONTINUING_FOR, the latest within RECENT_EPISODE, and a severity trend not improving.
CONTINUING_FOR = datetime.timedelta(days=28)
LONGEST_GAP = datetime.timedelta(days=14)
RECENT_EPISODE = datetime.timedelta(days=7)
INSIGHT_WEEKDAY = 6  # Sunday: the daily reminder may mention a clear insight once a week
# The settings a plan's form may show; each kind keeps the ones it uses.
TIMING_FIELDS = ("days", "local_time", "interval_minutes", "max_cycles", "delay_hours")


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str  # a path on this site


class ReminderKind:
    """What every kind shares; a subclass overrides what differs."""

    kind: str
    role = User.Role.PATIENT
    defaults: dict = {}
    clock = False
    form_fields: tuple[str, ...] = ()
    # In quiet hours: wait for their end (True), or skip it (see ``HeatIce``).
    postpone_in_quiet_hours = True

    def batch(self, deliveries: list[Delivery], *, now: datetime.datetime):
        """What ``skip_reason`` needs for a whole batch, looked up once (None: nothing)."""
        return None

    def skip_reason(self, delivery: Delivery, *, now: datetime.datetime, batch, extra: dict) -> str:
        """Why this due delivery no longer applies ("" to send it); may fill ``extra`` for the message."""
        return ""

    def next_delivery(self, plan: ReminderPlan, *, now: datetime.datetime) -> Delivery | None:
        """The delivery a due plan owes now (or None), moving the plan to its next occurrence."""
        raise NotImplementedError

    def reschedule(self, plan: ReminderPlan, *, now: datetime.datetime, timing_changed: bool) -> None:
        """The plan's settings changed: its next due time follows."""

    def message(self, delivery: Delivery, extra: dict) -> Message:
        raise NotImplementedError


def take_episode_slot(plan: ReminderPlan) -> tuple[datetime.datetime, Episode | None]:
    """An episode-bound plan's due time and episode, cleared from the plan: it owes nothing
    more until the next episode (or this one's next switch) sets them again."""
    due, episode = plan.next_due_at, plan.episode
    plan.next_due_at = None
    plan.episode = None
    return due, episode


def schedule_clock(plan: ReminderPlan, *, now: datetime.datetime) -> None:
    """A clock-based plan's next local time in the user's zone (None when it is off)."""
    if not KINDS[plan.kind].clock:
        return
    plan.next_due_at = None
    if not plan.enabled:
        return
    try:
        plan.next_due_at = schedule.next_local_time(
            after=now, at=plan.local_time, weekdays=plan.weekdays, zone=plan.user.zone
        )
    except ValueError:
        # No valid weekday (a row written around the validators): park it rather than fail the run.
        logger.warning("Reminder plan %s has no valid weekday; it stays off until it is edited", plan.id)


class ClockKind(ReminderKind):
    """Due at a local time of day on chosen weekdays."""

    clock = True
    form_fields = ("days", "local_time")

    def next_delivery(self, plan: ReminderPlan, *, now: datetime.datetime) -> Delivery | None:
        due = plan.next_due_at
        schedule_clock(plan, now=now)
        if now - due > STALE_AFTER:
            return None
        return Delivery(plan=plan, due_at=due, next_attempt_at=due)

    def reschedule(self, plan: ReminderPlan, *, now: datetime.datetime, timing_changed: bool) -> None:
        schedule_clock(plan, now=now)


class FollowUp(ReminderKind):
    """How is the back a while (``delay_hours``) after an episode ended."""

    kind = Kind.FOLLOW_UP
    form_fields = ("delay_hours",)

    def next_delivery(self, plan: ReminderPlan, *, now: datetime.datetime) -> Delivery | None:
        due, episode = take_episode_slot(plan)
        if episode is None:
            return None
        return Delivery(plan=plan, due_at=due, next_attempt_at=due, episode=episode)

    def reschedule(self, plan: ReminderPlan, *, now: datetime.datetime, timing_changed: bool) -> None:
        if not plan.enabled:
            plan.next_due_at = None
            plan.episode = None

    def skip_reason(self, delivery: Delivery, *, now: datetime.datetime, batch, extra: dict) -> str:
        return "the episode was deleted" if delivery.episode is None else ""

    def message(self, delivery: Delivery, extra: dict) -> Message:
        return Message(
            gettext("How is your back now?"),
            gettext("Your last flare-up ended a while ago. Is it better, about the same, or worse?"),
            reverse("reminders:follow_up", args=[delivery.id]),
        )


class HeatIce(ReminderKind):
    """Switch between heat and ice every ``interval_minutes`` during a spasm, up to ``max_cycles``."""

    kind = Kind.HEAT_ICE
    defaults = {"by_email": False}
    form_fields = ("interval_minutes", "max_cycles")
    # A spasm logged at night means the patient is awake and asked for help: remind them;
    # otherwise a switch in quiet hours is skipped (a later one would be stale anyway).
    postpone_in_quiet_hours = False

    def next_delivery(self, plan: ReminderPlan, *, now: datetime.datetime) -> Delivery | None:
        due, episode = take_episode_slot(plan)
        if episode is None:
            return None
        # Only the switch due now matters, not the ones missed while the app was off.
        if episode.ended_at is not None:
            return None
        # Counted from the switch that fell due, not from the episode's start: a change of
        # interval, or heat/ice turned back on, starts a new rhythm from that moment.
        # The plan keeps its episode after the last switch, so a settings change during the same
        # spasm knows how many were sent.
        interval = datetime.timedelta(minutes=plan.interval_minutes)
        missed = int((now - due) / interval)
        cycle = plan.cycles_sent + 1 + missed
        plan.episode = episode
        if cycle > plan.max_cycles:
            plan.cycles_sent = plan.max_cycles
            return None
        due += missed * interval
        plan.cycles_sent = cycle
        if cycle < plan.max_cycles:
            plan.next_due_at = due + interval
        return Delivery(plan=plan, due_at=due, next_attempt_at=due, episode=episode, cycle=cycle)

    def reschedule(self, plan: ReminderPlan, *, now: datetime.datetime, timing_changed: bool) -> None:
        """Heat/ice settings changed: they apply to the ongoing spasm at once.

        1. Off: no next switch. The episode and the switches sent so far are kept, so turning
           it back on during the same spasm goes on counting towards the maximum.
        2. On, with an ongoing episode: the next switch comes one (new) interval from now when
           the timing changed or nothing was due (it had been off, or a raised maximum lets it
           go on); otherwise the switch already due stays. A different episode starts at zero.
        3. On, with no ongoing episode: nothing until the next one is logged.
        """
        restart = timing_changed
        if not plan.enabled:
            plan.next_due_at = None
            return
        episode = (
            Episode.objects.filter(patient_id=plan.user_id, ended_at__isnull=True, started_at__lte=now)
            .order_by("-started_at")
            .first()
        )
        if episode is None:
            plan.episode, plan.next_due_at = None, None
            return
        if plan.episode_id != episode.id:
            plan.episode, plan.cycles_sent, restart = episode, 0, True
        if plan.cycles_sent >= plan.max_cycles:
            plan.next_due_at = None
        elif restart or plan.next_due_at is None:
            plan.next_due_at = now + datetime.timedelta(minutes=plan.interval_minutes)

    def skip_reason(self, delivery: Delivery, *, now: datetime.datetime, batch, extra: dict) -> str:
        if delivery.episode is None or delivery.episode.ended_at is not None:
            return "the episode ended"
        return ""

    def message(self, delivery: Delivery, extra: dict) -> Message:
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
        link = (
            reverse("episode_detail", args=[delivery.episode_id]) if delivery.episode_id else reverse("home")
        )
        return Message(title, body, link)


class DailyLog(ClockKind):
    """An evening nudge to log the day, unless the patient already did."""

    kind = Kind.DAILY_LOG

    def batch(self, deliveries: list[Delivery], *, now: datetime.datetime) -> tuple[set[int], dict]:
        """Who logged today, and the daily-factor counts of those whose local day is
        INSIGHT_WEEKDAY (so a clear link is mentioned at most once a week): three queries."""
        users = [d.plan.user for d in deliveries]
        mentioning = [user.id for user in users if now.astimezone(user.zone).weekday() == INSIGHT_WEEKDAY]
        factors = factor_counts_by_patient(patient_ids=mentioning) if mentioning else {}
        return users_who_logged_today(users, now=now), factors

    def skip_reason(self, delivery: Delivery, *, now: datetime.datetime, batch, extra: dict) -> str:
        logged, factors = batch
        if delivery.plan.user_id in logged:
            return "already logged today"
        if delivery.plan.user_id in factors:
            extra["factors"] = factors[delivery.plan.user_id]
        return ""

    def message(self, delivery: Delivery, extra: dict) -> Message:
        body = gettext("Logging takes a few seconds, and days without a spasm count too.")
        # Once a week the reminder may mention a clear link the insights found (issue 17).
        insight = factor_reminder(extra["factors"]) if extra.get("factors") else None
        if insight:
            body = f"{body} {insight}"
        return Message(gettext("How was your back today?"), body, reverse("checkin"))


class WeeklyPeg(ClockKind):
    kind = Kind.WEEKLY_PEG
    defaults = {"local_time": datetime.time(18, 0), "weekdays": "6"}

    def message(self, delivery: Delivery, extra: dict) -> Message:
        return Message(
            gettext("Your weekly check-in"),
            gettext("Three quick questions about pain, enjoyment of life and activity over the past week."),
            reverse("checkin") + "#peg-heading",
        )


class NoImprovement(ClockKind):
    kind = Kind.NO_IMPROVEMENT
    defaults = {"local_time": datetime.time(10, 0), "weekdays": "0"}

    def skip_reason(self, delivery: Delivery, *, now: datetime.datetime, batch, extra: dict) -> str:
        return "" if no_improvement(delivery.plan.user, now=now) else "no four weeks without improvement"

    def message(self, delivery: Delivery, extra: dict) -> Message:
        return Message(
            gettext("Four weeks without improvement"),
            gettext(
                "Your spasms have continued for four weeks without getting better. It is a good time to see "
                "a doctor: your summary answers the questions they will ask."
            ),
            reverse("summary"),
        )


class ClinicianDigest(ClockKind):
    kind = Kind.CLINICIAN_DIGEST
    role = User.Role.CLINICIAN
    defaults = {"local_time": datetime.time(8, 0), "weekdays": "01234"}

    def skip_reason(self, delivery: Delivery, *, now: datetime.datetime, batch, extra: dict) -> str:
        extra["patients"] = patients_needing_attention(delivery.plan.user)
        return "" if extra["patients"] else "no patient needs attention"

    def message(self, delivery: Delivery, extra: dict) -> Message:
        names = extra.get("patients", [])
        count = len(names)
        title = ngettext(
            "%(count)s patient needs your attention", "%(count)s patients need your attention", count
        ) % {"count": count}
        return Message(title, ", ".join(names), reverse("clinicians:dashboard"))


# In ``ReminderPlan.Kind`` order: the settings page lists them so.
KINDS: dict[str, ReminderKind] = {
    spec.kind: spec
    for spec in sorted(
        (DailyLog(), HeatIce(), FollowUp(), WeeklyPeg(), NoImprovement(), ClinicianDigest()),
        key=lambda spec: list(Kind.values).index(spec.kind),
    )
}
CLOCK_KINDS = frozenset(kind for kind, spec in KINDS.items() if spec.clock)


def defaults_for(user: User) -> dict[str, dict]:
    """The kinds the user's role gets, with their default settings. An admin (staff, not a
    clinician) edits content: a patient's reminders to log spasms would only be noise to them."""
    if user.is_staff and not user.is_clinician:
        return {}
    role = User.Role.CLINICIAN if user.is_clinician else User.Role.PATIENT
    return {kind: spec.defaults for kind, spec in KINDS.items() if spec.role == role}


def message_for(delivery: Delivery, *, extra: dict | None = None) -> Message:
    """Render the reminder in the user's language; ``extra`` carries what the send step looked up."""
    plan = delivery.plan
    with translation.override(plan.user.language):
        return KINDS[plan.kind].message(delivery, extra or {})


# --- The skip rules' lookups --------------------------------------------------------------


def users_who_logged_today(users: list[User], *, now: datetime.datetime) -> set[int]:
    """Users with an episode or a check-in on their own local today: two queries for the batch."""
    if not users:
        return set()
    zones = {user.id: user.zone for user in users}
    today = {user_id: now.astimezone(zone).date() for user_id, zone in zones.items()}
    since = now - datetime.timedelta(days=1, hours=14)  # the furthest back a local "today" reaches
    episodes = Episode.objects.filter(patient_id__in=zones, started_at__gte=since).values_list(
        "patient_id", "started_at"
    )
    logged = {pid for pid, started in episodes if started.astimezone(zones[pid]).date() == today[pid]}
    checkins = DailyCheckIn.objects.filter(patient_id__in=zones, date__in=set(today.values())).values_list(
        "patient_id", "date"
    )
    return logged | {pid for pid, date in checkins if date == today[pid]}


def no_improvement(user: User, *, now: datetime.datetime) -> bool:
    """Episodes have kept coming for four weeks or more and the severity trend is not improving.

    "Kept coming": the run of episodes that ends with one in the last 7 days, with no more
    than 14 days between one start and the next, began 28 or more days ago. One query: the
    last 60 days cover both the run that matters and the trend's two 30-day windows.
    """
    episodes = list(
        Episode.objects.filter(patient_id=user.id, started_at__lte=now, started_at__gt=now - TREND_WINDOW * 2)
        .order_by("-started_at")
        .values_list("started_at", "severity")
    )
    if not episodes or episodes[0][0] <= now - RECENT_EPISODE:
        return False
    run_start = episodes[0][0]
    for started, _severity in episodes[1:]:
        if run_start - started > LONGEST_GAP:
            break
        run_start = started
    if now - run_start < CONTINUING_FOR:
        return False
    recent = [(started, severity) for started, severity in episodes if started > now - TREND_WINDOW]
    earlier = [severity for started, severity in episodes if started <= now - TREND_WINDOW]
    trend = severity_trend(
        mean_or_none([severity for _started, severity in recent]), mean_or_none(earlier), recent=recent
    )
    return trend != "improving"


def patients_needing_attention(clinician: User) -> list[str]:
    return clinicians_selectors.patients_needing_attention(clinician=clinician)
