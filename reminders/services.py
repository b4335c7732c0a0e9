"""Reminder plans: each user's settings per kind and their next due time; unsubscribe links,
in-app notifications and follow-up answers. ``reminders.dispatch`` turns due plans into
deliveries; ``reminders.kinds`` holds what differs between kinds.
"""

import datetime
import functools

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DateTimeField, DurationField, F, Func, Value
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from reminders.kinds import CLOCK_KINDS, KINDS, defaults_for, schedule_clock
from reminders.models import SNOOZE_MINUTES, Delivery, Notification, QuietHours, ReminderPlan
from tracker.models import Episode
from tracker.services import episode_report_worse

Kind = ReminderPlan.Kind
UNSUBSCRIBE_SALT = "reminders.unsubscribe"
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=60)


# --- Plans ------------------------------------------------------------------------------


@transaction.atomic
def reminder_plans_ensure(*, user: User) -> list[ReminderPlan]:
    """The user's plans, creating the defaults for their role that are missing."""
    defaults = defaults_for(user)
    existing = {plan.kind: plan for plan in user.reminder_plans.all()}
    now = timezone.now()
    for kind, values in defaults.items():
        if kind not in existing:
            plan = ReminderPlan(user=user, kind=kind, **values)
            schedule_clock(plan, now=now)
            plan.save()
            existing[kind] = plan
    QuietHours.objects.get_or_create(user=user)
    return sorted(existing.values(), key=lambda plan: list(Kind.values).index(plan.kind))


@transaction.atomic
def reminder_plan_update(*, plan: ReminderPlan, **changes) -> ReminderPlan:
    """Change a plan's timing or channels; the next due time follows. All or nothing."""
    timing_changed = any(
        field in changes and changes[field] != getattr(plan, field)
        for field in ("enabled", "interval_minutes", "max_cycles")
    )
    for field, value in changes.items():
        setattr(plan, field, value)
    plan.full_clean()
    KINDS[plan.kind].reschedule(plan, now=timezone.now(), timing_changed=timing_changed)
    plan.save()
    return plan


@transaction.atomic
def reminder_settings_update(
    *, user: User, plan_changes: dict[int, dict], quiet_hours: dict | None = None
) -> list[ReminderPlan]:
    """The reminders page's one Save: the user's plans (changes by plan id) and quiet hours,
    all or nothing. A plan that fails its checks raises ValidationError keyed by the plan's
    form prefix, ``plan-<id>``; an id that is not one of the user's plans is refused the same way."""
    plans = {
        plan.id: plan for plan in user.reminder_plans.select_for_update(of=("self",)).select_related("user")
    }
    saved = []
    for plan_id, changes in plan_changes.items():
        if plan_id not in plans:
            raise ValidationError({f"plan-{plan_id}": [gettext("This reminder is not yours to change.")]})
        try:
            saved.append(reminder_plan_update(plan=plans[plan_id], **changes))
        except ValidationError as error:
            raise ValidationError({f"plan-{plan_id}": error.messages}) from error
    if quiet_hours is not None:
        quiet_hours_update(user=user, **quiet_hours)
    return saved


@transaction.atomic
def reminder_plan_set(*, user: User, kind: str, **changes) -> tuple[ReminderPlan, bool]:
    """The user's plan of this kind with these values, created if it is missing (e.g. deleted
    in the admin). Repeating the call changes nothing more. Returns (plan, created).

    A kind their role does not get (a patient's clinician digest) is a validation error.
    """
    defaults = defaults_for(user)
    if kind not in defaults:
        raise ValidationError({"kind": [gettext("This kind of reminder is not available for your account.")]})
    plan, created = ReminderPlan.objects.select_related("user").get_or_create(
        user=user, kind=kind, defaults=defaults[kind]
    )
    return reminder_plan_update(plan=plan, **changes), created


def reminder_plans_reschedule(*, user: User) -> int:
    """The user's wall-clock plans, due again at their local time in the user's (new) zone.

    Heat/ice and follow-ups count minutes and hours from an episode, so a zone leaves them be.
    Returns how many plans were rescheduled.
    """
    plans = list(user.reminder_plans.filter(kind__in=CLOCK_KINDS))
    now = timezone.now()
    for plan in plans:
        plan.user = user  # the zone just saved, without a query per plan
        schedule_clock(plan, now=now)
        plan.updated_at = now
    ReminderPlan.objects.bulk_update(plans, ["next_due_at", "updated_at"])
    return len(plans)


def quiet_hours_update(*, user: User, enabled: bool, start: datetime.time, end: datetime.time) -> QuietHours:
    quiet, _ = QuietHours.objects.update_or_create(
        user=user, defaults={"enabled": enabled, "start": start, "end": end}
    )
    return quiet


class Minutes(Func):
    """A column of whole minutes as a duration, on PostgreSQL and SQLite alike."""

    output_field = DurationField()
    template = "make_interval(mins => %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps durations as microseconds.
        return self.as_sql(compiler, connection, template="(%(expressions)s * 60000000)", **extra_context)


def heat_ice_start_clause(episode: Episode, params: list) -> str:
    """``heat_ice_start`` as a WITH clause of the statement that logs ``episode`` on
    PostgreSQL (``tracker.episode_insert.COMPANION_CLAUSES``): the plan moves to the episode
    the clause ``ep`` inserted, in the same round trip; nothing for an episode already over."""
    params.extend([episode.started_at, timezone.now(), episode.patient_id, Kind.HEAT_ICE, episode.is_ongoing])
    return _heat_ice_start_text()


@functools.cache
def _heat_ice_start_text() -> str:
    quote = connection.ops.quote_name
    column = {
        name: quote(ReminderPlan._meta.get_field(name).column)
        for name in (
            "episode",
            "cycles_sent",
            "next_due_at",
            "interval_minutes",
            "updated_at",
            "user",
            "kind",
            "enabled",
        )
    }
    return (
        f"heat_ice AS (UPDATE {quote(ReminderPlan._meta.db_table)} plan SET {column['episode']} = ep.id, "  # noqa: S608 (names from the model; values are parameters)
        f"{column['cycles_sent']} = 0, "
        f"{column['next_due_at']} = %s::timestamptz + make_interval(mins => plan.{column['interval_minutes']}), "
        f"{column['updated_at']} = %s "
        f"FROM ep WHERE plan.{column['user']} = %s AND plan.{column['kind']} = %s AND plan.{column['enabled']} "
        "AND %s::boolean)"
    )


def heat_ice_start(*, episode: Episode) -> None:
    """An ongoing spasm: remind the patient to switch between heat and ice until it ends,
    the first time one interval after it began. One UPDATE; nothing for a disabled plan.
    On PostgreSQL the log's own statement does it (``heat_ice_start_clause``)."""
    if not episode.is_ongoing:
        return
    now = timezone.now()
    ReminderPlan.objects.filter(user_id=episode.patient_id, kind=Kind.HEAT_ICE, enabled=True).update(
        episode=episode,
        cycles_sent=0,
        next_due_at=Value(episode.started_at, output_field=DateTimeField()) + Minutes(F("interval_minutes")),
        updated_at=now,
    )


def follow_up_schedule(*, episode: Episode) -> None:
    """An episode ended: stop its heat/ice reminders and ask how the back is a while later.

    The follow-up is a day or so away, so beat's every-minute run picks it up in time.
    """
    ReminderPlan.objects.filter(kind=Kind.HEAT_ICE, episode=episode).update(episode=None, next_due_at=None)
    plan = ReminderPlan.objects.filter(user_id=episode.patient_id, kind=Kind.FOLLOW_UP, enabled=True).first()
    if plan is None or episode.ended_at is None:
        return
    due = episode.ended_at + datetime.timedelta(hours=plan.delay_hours)
    if due <= timezone.now():
        return  # a past episode logged after the fact: asking now would make no sense
    plan.episode = episode
    plan.next_due_at = due
    plan.save(update_fields=["episode", "next_due_at", "updated_at"])


# --- Unsubscribe, notifications, follow-up answers --------------------------------------------


def unsubscribe_token(plan: ReminderPlan) -> str:
    return signing.dumps({"plan": plan.id, "user": plan.user_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def plan_for_unsubscribe_token(token: str) -> ReminderPlan | None:
    """The plan a signed link names, or None when the link was tampered with or is too old."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        ReminderPlan.objects.filter(id=data.get("plan"), user_id=data.get("user"))
        .select_related("user")
        .first()
    )


def plan_unsubscribe(*, plan: ReminderPlan) -> ReminderPlan:
    """Stop this reminder's emails; it stays in the app, where the user can turn it back on."""
    ReminderPlan.objects.filter(id=plan.id).update(by_email=False, updated_at=timezone.now())
    plan.by_email = False
    return plan


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_snooze(*, notification: Notification, minutes: int) -> Notification:
    """Hide a notification for a while; it comes back unread."""
    if minutes not in SNOOZE_MINUTES:
        raise ValueError(gettext("Choose how long to snooze."))
    notification.snoozed_until = timezone.now() + datetime.timedelta(minutes=minutes)
    notification.read_at = None
    notification.save(update_fields=["snoozed_until", "read_at"])
    return notification


@transaction.atomic
def follow_up_answer(*, delivery: Delivery, response: str) -> Delivery:
    """Record the answer; "worse" brings the warning-sign question back on the episode and
    flags the patient to their clinicians (dashboard and digest)."""
    if response not in Delivery.Response.values:
        raise ValueError(response)
    delivery.response = response
    delivery.save(update_fields=["response"])
    if response == Delivery.Response.WORSE and delivery.episode is not None:
        episode_report_worse(episode=delivery.episode)
    Notification.objects.filter(delivery=delivery, read_at__isnull=True).update(read_at=timezone.now())
    return delivery
