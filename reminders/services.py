"""Reminder plans, and the dispatch that turns due plans into deliveries sent exactly once.

The database is the source of truth; the broker only carries hints. A lost task, a broker
outage or a killed worker delays a reminder until the next dispatcher run, never loses it.
"""

import collections
import datetime
import logging
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from reminders import schedule
from reminders.content import message_for
from reminders.models import Delivery, Notification, QuietHours, ReminderPlan
from tracker.models import DailyCheckIn, Episode
from tracker.services import episode_report_worse

logger = logging.getLogger(__name__)

Kind = ReminderPlan.Kind
Status = Delivery.Status
CLOCK_KINDS = {Kind.DAILY_LOG, Kind.WEEKLY_PEG, Kind.NO_IMPROVEMENT, Kind.CLINICIAN_DIGEST}
PATIENT_DEFAULTS = {
    Kind.DAILY_LOG: {},
    Kind.HEAT_ICE: {"by_email": False},
    Kind.FOLLOW_UP: {},
    Kind.WEEKLY_PEG: {"local_time": datetime.time(18, 0), "weekdays": "6"},
    Kind.NO_IMPROVEMENT: {"local_time": datetime.time(10, 0), "weekdays": "0"},
}
CLINICIAN_DEFAULTS = {Kind.CLINICIAN_DIGEST: {"local_time": datetime.time(8, 0), "weekdays": "01234"}}
# A clock reminder more than this late (the app was off) is not worth sending any more.
STALE_AFTER = datetime.timedelta(hours=6)
# A delivery claimed this long ago and still not sent belongs to a worker that died.
SENDING_TIMEOUT = datetime.timedelta(minutes=10)
QUEUED_TIMEOUT = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 5
RETRY_BASE = datetime.timedelta(minutes=1)
UNSUBSCRIBE_SALT = "reminders.unsubscribe"
# The "no improvement" nudge: episodes in a run (no gap longer than LONGEST_GAP) for
# CONTINUING_FOR, the latest within RECENT_EPISODE, and a severity trend not improving.
CONTINUING_FOR = datetime.timedelta(days=28)
LONGEST_GAP = datetime.timedelta(days=14)
RECENT_EPISODE = datetime.timedelta(days=7)
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=60)


# --- Plans ------------------------------------------------------------------------------


def _zone(user: User):
    return schedule.zone_for(user.time_zone)


def _schedule_clock(plan: ReminderPlan, *, now: datetime.datetime) -> None:
    if plan.kind not in CLOCK_KINDS:
        return
    plan.next_due_at = None
    if not plan.enabled:
        return
    try:
        plan.next_due_at = schedule.next_local_time(
            after=now, at=plan.local_time, weekdays=plan.weekdays, zone=_zone(plan.user)
        )
    except ValueError:
        # No valid weekday (a row written around the validators): park it rather than fail the run.
        logger.warning("Reminder plan %s has no valid weekday; it stays off until it is edited", plan.id)


@transaction.atomic
def reminder_plans_ensure(*, user: User) -> list[ReminderPlan]:
    """The user's plans, creating the defaults for their role that are missing."""
    defaults = CLINICIAN_DEFAULTS if user.is_clinician else PATIENT_DEFAULTS
    existing = {plan.kind: plan for plan in user.reminder_plans.all()}
    now = timezone.now()
    for kind, values in defaults.items():
        if kind not in existing:
            plan = ReminderPlan(user=user, kind=kind, **values)
            _schedule_clock(plan, now=now)
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
    now = timezone.now()
    _schedule_clock(plan, now=now)
    if plan.kind == Kind.HEAT_ICE:
        _schedule_heat_ice(plan, now=now, restart=timing_changed)
    elif not plan.enabled and plan.kind not in CLOCK_KINDS:
        plan.next_due_at = None
        plan.episode = None
    plan.save()
    return plan


@transaction.atomic
def reminder_plan_set(*, user: User, kind: str, **changes) -> tuple[ReminderPlan, bool]:
    """The user's plan of this kind with these values, created if it is missing (e.g. deleted
    in the admin). Repeating the call changes nothing more. Returns (plan, created).

    A kind their role does not get (a patient's clinician digest) is a validation error.
    """
    defaults = CLINICIAN_DEFAULTS if user.is_clinician else PATIENT_DEFAULTS
    if kind not in defaults:
        raise ValidationError({"kind": [gettext("This kind of reminder is not available for your account.")]})
    plan, created = ReminderPlan.objects.select_related("user").get_or_create(
        user=user, kind=kind, defaults=defaults[kind]
    )
    return reminder_plan_update(plan=plan, **changes), created


def _schedule_heat_ice(plan: ReminderPlan, *, now: datetime.datetime, restart: bool) -> None:
    """Heat/ice settings changed: they apply to the ongoing spasm at once.

    1. Off: no next switch. The episode and the switches sent so far are kept, so turning
       it back on during the same spasm goes on counting towards the maximum.
    2. On, with an ongoing episode: the next switch comes one (new) interval from now when
       the timing changed or nothing was due (it had been off, or a raised maximum lets it
       go on); otherwise the switch already due stays. A different episode starts at zero.
    3. On, with no ongoing episode: nothing until the next one is logged.
    """
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


def reminder_plans_reschedule(*, user: User) -> int:
    """The user's wall-clock plans, due again at their local time in the user's (new) zone.

    Heat/ice and follow-ups count minutes and hours from an episode, so a zone leaves them be.
    Returns how many plans were rescheduled.
    """
    plans = list(user.reminder_plans.filter(kind__in=CLOCK_KINDS))
    now = timezone.now()
    for plan in plans:
        plan.user = user  # the zone just saved, without a query per plan
        _schedule_clock(plan, now=now)
        plan.updated_at = now
    ReminderPlan.objects.bulk_update(plans, ["next_due_at", "updated_at"])
    return len(plans)


def quiet_hours_update(*, user: User, enabled: bool, start: datetime.time, end: datetime.time) -> QuietHours:
    quiet, _ = QuietHours.objects.update_or_create(
        user=user, defaults={"enabled": enabled, "start": start, "end": end}
    )
    return quiet


def heat_ice_start(*, episode: Episode) -> datetime.datetime | None:
    """An ongoing spasm: remind the patient to switch between heat and ice until it ends.

    Returns when the first switch is due (None when there is nothing to remind).
    """
    if not episode.is_ongoing:
        return None
    plan = (
        ReminderPlan.objects.filter(user_id=episode.patient_id, kind=Kind.HEAT_ICE, enabled=True)
        .values_list("id", "interval_minutes")
        .first()
    )
    if plan is None:
        return None
    plan_id, interval = plan
    due = episode.started_at + datetime.timedelta(minutes=interval)
    ReminderPlan.objects.filter(id=plan_id).update(
        episode=episode, cycles_sent=0, next_due_at=due, updated_at=timezone.now()
    )
    return due


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


# --- Dispatch ---------------------------------------------------------------------------


@dataclass
class DispatchResult:
    created: int = 0
    queued: int = 0
    recovered: int = 0


def reminders_dispatch(
    *, now: datetime.datetime | None = None, batch_size: int = 500, enqueue=None
) -> DispatchResult:
    """Run every minute by beat (and soon after an episode is logged).

    1. Materialise: each enabled plan whose ``next_due_at`` has passed gets a ``Delivery`` for
       that time (unique on plan and time, so two dispatchers at once create nothing twice)
       and moves on to its next occurrence.
    2. Recover: deliveries claimed by a worker that died mid-send go back to pending.
    3. Queue: pending deliveries are handed to workers in batches. A batch whose task was
       lost is queued again later; sending claims each row, so a repeat sends nothing twice.
    """
    now = now or timezone.now()
    result = DispatchResult()
    while True:
        created, plans = plans_materialise(now=now, batch_size=batch_size)
        result.created += created
        if plans < batch_size:
            break
    result.recovered = Delivery.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT
    ).update(status=Status.PENDING, claim=None, queued_at=None)
    result.queued = deliveries_queue(now=now, batch_size=min(batch_size, 100), enqueue=enqueue)
    return result


def _locked(queryset):
    """Rows no other dispatcher holds: SKIP LOCKED where the database has it.

    SQLite has no row locks; its IMMEDIATE transactions already serialise writers, and the
    unique constraints and conditional updates below catch whatever slips through.
    """
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


@transaction.atomic
def plans_materialise(*, now: datetime.datetime, batch_size: int) -> tuple[int, int]:
    """One batch of due plans -> deliveries. Returns (deliveries created, plans handled)."""
    plans = list(
        _locked(ReminderPlan.objects.filter(enabled=True, next_due_at__lte=now))
        .select_related("user", "episode")
        .order_by("next_due_at")[:batch_size]
    )
    deliveries = []
    for plan in plans:
        delivery = _next_delivery(plan, now=now)
        if delivery is not None:
            deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    _save_schedules(plans)
    return len(deliveries), len(plans)


def _save_schedules(plans: list[ReminderPlan]) -> None:
    """Write the plans' next occurrences: one UPDATE per distinct schedule.

    Plans at the same local time in the same zone share their next due time, so a batch
    usually holds a handful of schedules; a batch of mostly distinct ones (heat/ice cycles)
    falls back to one CASE update, which costs more Python but still one query.
    """
    groups = collections.defaultdict(list)
    for plan in plans:
        groups[(plan.next_due_at, plan.cycles_sent, plan.episode_id)].append(plan.id)
    if len(groups) > 10:
        ReminderPlan.objects.bulk_update(plans, ["next_due_at", "cycles_sent", "episode"])
        return
    for (next_due_at, cycles_sent, episode_id), ids in groups.items():
        ReminderPlan.objects.filter(id__in=ids).update(
            next_due_at=next_due_at, cycles_sent=cycles_sent, episode_id=episode_id
        )


def _next_delivery(plan: ReminderPlan, *, now: datetime.datetime) -> Delivery | None:
    """The delivery a due plan owes now (or None), moving the plan to its next occurrence."""
    due = plan.next_due_at
    if plan.kind in CLOCK_KINDS:
        _schedule_clock(plan, now=now)
        if now - due > STALE_AFTER:
            return None
        return Delivery(plan=plan, due_at=due, next_attempt_at=due)
    episode = plan.episode
    plan.next_due_at = None
    plan.episode = None
    if episode is None:
        return None
    if plan.kind == Kind.FOLLOW_UP:
        return Delivery(plan=plan, due_at=due, next_attempt_at=due, episode=episode)
    # Heat and ice: only the switch due now matters, not the ones missed while the app was off.
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


def deliveries_queue(*, now: datetime.datetime, batch_size: int = 100, enqueue=None) -> int:
    """Hand pending deliveries to workers, ``batch_size`` ids per task. Returns how many."""
    if enqueue is None:
        from reminders.tasks import send_deliveries

        enqueue = send_deliveries.delay
    queued = 0
    waiting = Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUED_TIMEOUT)
    )
    while True:
        ids = list(waiting.order_by("next_attempt_at", "id").values_list("id", flat=True)[:batch_size])
        if not ids:
            return queued
        Delivery.objects.filter(id__in=ids).update(queued_at=now)
        try:
            enqueue(ids)
        except Exception:
            # The broker is down: leave them pending for the next run to queue.
            Delivery.objects.filter(id__in=ids).update(queued_at=None)
            logger.warning("Could not queue %d reminder deliveries", len(ids), exc_info=True)
            return queued
        queued += len(ids)


def deliveries_send(*, delivery_ids: list[int], now: datetime.datetime | None = None) -> dict[str, int]:
    """Send a batch of deliveries; safe to run twice, and by two workers at once.

    1. Claim the rows still pending (SKIP LOCKED on PostgreSQL, a conditional update
       everywhere), with a token so this run finds exactly its own rows.
    2. In the same transaction: skip what no longer applies, postpone what falls in quiet
       hours, create the in-app notifications (one per delivery, a unique key) and mark the
       in-app-only deliveries sent.
    3. After commit, send each email and mark its delivery sent at once. A failed email is
       retried with exponential backoff, then marked failed for the admins to see.

    A worker killed mid-batch leaves its unsent rows "sending"; the dispatcher returns them
    to pending once the claim is stale. No mail server takes part in a database transaction,
    so one email per killed worker process can still go twice: the one the server accepted
    in the instant before its row was marked. Both copies carry the same Message-ID.
    """
    now = now or timezone.now()
    claim = uuid.uuid4()
    with transaction.atomic():
        candidates = Delivery.objects.filter(
            id__in=delivery_ids, status=Status.PENDING, next_attempt_at__lte=now
        )
        if connection.features.has_select_for_update_skip_locked:
            candidates = Delivery.objects.filter(
                id__in=candidates.select_for_update(skip_locked=True).values("id")
            )
        candidates.update(status=Status.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1)
        deliveries = list(
            Delivery.objects.filter(claim=claim)
            .select_related("plan__user__quiet_hours", "episode")
            .order_by("id")
        )
        outcome = _decide(deliveries, now=now)
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=d.plan.user_id,
                    delivery=d,
                    kind=d.plan.kind,
                    title=message.title,
                    body=message.body,
                    link=message.link,
                    created_at=now,
                )
                for d, message in outcome.send
                if d.plan.in_app
            ],
            ignore_conflicts=True,
        )
        in_app_only = [d.id for d, _ in outcome.send if not d.plan.by_email]
        Delivery.objects.filter(id__in=in_app_only).update(status=Status.SENT, sent_at=now, claim=None)
        if outcome.changed:
            Delivery.objects.bulk_update(
                outcome.changed, ["status", "note", "next_attempt_at", "attempts", "claim", "queued_at"]
            )
    emailed = _send_emails([(d, m) for d, m in outcome.send if d.plan.by_email], claim=claim, now=now)
    return {
        "claimed": len(deliveries),
        "sent": len(in_app_only) + emailed,
        "skipped": sum(d.status == Status.SKIPPED for d in outcome.changed),
        "postponed": sum(d.status == Status.PENDING for d in outcome.changed),
    }


@dataclass
class _Outcome:
    send: list
    changed: list


def _decide(deliveries: list[Delivery], *, now: datetime.datetime) -> _Outcome:
    """Which claimed deliveries go out now, and what happens to the others."""
    logged_today = _users_who_logged_today(
        [d.plan.user for d in deliveries if d.plan.kind == Kind.DAILY_LOG], now=now
    )
    outcome = _Outcome(send=[], changed=[])

    def settle(delivery: Delivery, status: str, note: str = "", retry_at=None) -> None:
        delivery.status, delivery.note, delivery.claim = status, note, None
        if retry_at is not None:
            delivery.next_attempt_at, delivery.attempts, delivery.queued_at = (
                retry_at,
                delivery.attempts - 1,
                None,
            )
        outcome.changed.append(delivery)

    for delivery in deliveries:
        plan, user = delivery.plan, delivery.plan.user
        zone = _zone(user)
        quiet = getattr(user, "quiet_hours", None)
        if not plan.enabled or not user.is_active:
            settle(delivery, Status.SKIPPED, "plan turned off")
            continue
        if (
            quiet
            and quiet.enabled
            and schedule.in_quiet_hours(moment=now, start=quiet.start, end=quiet.end, zone=zone)
        ):
            if plan.kind != Kind.HEAT_ICE:
                retry_at = schedule.quiet_hours_end(moment=now, end=quiet.end, zone=zone)
                settle(delivery, Status.PENDING, "waiting for the end of quiet hours", retry_at=retry_at)
                continue
            # A spasm logged at night means the patient is awake and asked for help: remind them.
            if not _spasm_began_in_quiet_hours(delivery, quiet, zone):
                settle(delivery, Status.SKIPPED, "quiet hours")
                continue
        extra = {}
        reason = ""
        if plan.kind == Kind.DAILY_LOG and user.id in logged_today:
            reason = "already logged today"
        elif plan.kind == Kind.HEAT_ICE and (
            delivery.episode is None or delivery.episode.ended_at is not None
        ):
            reason = "the episode ended"
        elif plan.kind == Kind.FOLLOW_UP and delivery.episode is None:
            reason = "the episode was deleted"
        elif plan.kind == Kind.NO_IMPROVEMENT and not _no_improvement(user, now=now):
            reason = "no four weeks without improvement"
        elif plan.kind == Kind.CLINICIAN_DIGEST:
            extra["patients"] = _patients_needing_attention(user)
            if not extra["patients"]:
                reason = "no patient needs attention"
        if reason:
            settle(delivery, Status.SKIPPED, reason)
        elif not (plan.in_app or plan.by_email):
            settle(delivery, Status.SKIPPED, "no channel chosen")
        else:
            outcome.send.append((delivery, message_for(delivery, extra=extra)))
    return outcome


def _spasm_began_in_quiet_hours(delivery: Delivery, quiet: QuietHours, zone) -> bool:
    episode = delivery.episode
    return episode is not None and schedule.in_quiet_hours(
        moment=episode.started_at, start=quiet.start, end=quiet.end, zone=zone
    )


def _users_who_logged_today(users: list[User], *, now: datetime.datetime) -> set[int]:
    """Users with an episode or a check-in on their own local today: two queries for the batch."""
    if not users:
        return set()
    zones = {user.id: _zone(user) for user in users}
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


def _no_improvement(user: User, *, now: datetime.datetime) -> bool:
    """Episodes have kept coming for four weeks or more and the severity trend is not improving.

    "Kept coming": the run of episodes that ends with one in the last 7 days, with no more
    than 14 days between one start and the next, began 28 or more days ago. One query: the
    last 60 days cover both the run that matters and the trend's two 30-day windows.
    """
    from guidance.trend import TREND_WINDOW, mean_or_none, severity_trend

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


def _patients_needing_attention(clinician: User) -> list[str]:
    from clinicians.selectors import patients_needing_attention

    return [
        row.patient.display_name or row.patient.email
        for row in patients_needing_attention(clinician=clinician)
    ]


def _send_emails(items: list, *, claim: uuid.UUID, now: datetime.datetime) -> int:
    if not items:
        return 0
    sent = 0
    # Give back what is left well before the claim looks stale, so no one sends it twice.
    deadline = time.monotonic() + SENDING_TIMEOUT.total_seconds() / 2
    with get_connection() as mail:
        for index, (delivery, message) in enumerate(items):
            if time.monotonic() > deadline:
                rest = [d.id for d, _ in items[index:]]
                Delivery.objects.filter(id__in=rest, claim=claim).update(
                    status=Status.PENDING, claim=None, queued_at=None, attempts=F("attempts") - 1
                )
                break
            email = _email(delivery, message)
            try:
                mail.send_messages([email])
            except Exception as error:
                _retry_later(delivery, error=error, claim=claim, now=now)
                continue
            Delivery.objects.filter(id=delivery.id, claim=claim).update(
                status=Status.SENT, sent_at=now, emailed=True, claim=None
            )
            sent += 1
    return sent


def _retry_later(delivery: Delivery, *, error: Exception, claim: uuid.UUID, now: datetime.datetime) -> None:
    logger.warning(
        "Reminder email for delivery %s failed (attempt %s)", delivery.id, delivery.attempts, exc_info=error
    )
    note = f"{type(error).__name__}: {error}"[:300]
    if delivery.attempts >= MAX_ATTEMPTS:
        changes = {"status": Status.FAILED, "note": note}
    else:
        backoff = RETRY_BASE * 2 ** (delivery.attempts - 1)
        changes = {
            "status": Status.PENDING,
            "note": note,
            "next_attempt_at": now + backoff,
            "queued_at": None,
        }
    # Only while the claim is still ours: a send that outlived it belongs to another worker now.
    Delivery.objects.filter(id=delivery.id, claim=claim).update(claim=None, **changes)


def delivery_message_id(delivery: Delivery) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder.{delivery.id}.{delivery.due_at:%Y%m%d%H%M}@{host}>"


def _email(delivery: Delivery, message) -> EmailMultiAlternatives:
    user = delivery.plan.user
    unsubscribe = settings.SITE_URL + reverse(
        "reminders:unsubscribe", args=[unsubscribe_token(delivery.plan)]
    )
    with translation.override(user.language):
        context = {
            "user": user,
            "message": message,
            "link": settings.SITE_URL + message.link,
            "settings_url": settings.SITE_URL + reverse("reminders:settings"),
            "unsubscribe_url": unsubscribe,
            "kind": delivery.plan.get_kind_display(),
        }
        email = EmailMultiAlternatives(
            subject=message.title,
            body=render_to_string("reminders/email/reminder.txt", context),
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "X-Spasm-Delivery": str(delivery.id),
                # The same for every attempt: if a crash repeats this email, mail systems that
                # deduplicate by Message-ID (Gmail among them) show the patient one message.
                "Message-ID": delivery_message_id(delivery),
            },
        )
        email.attach_alternative(render_to_string("reminders/email/reminder.html", context), "text/html")
    return email


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


SNOOZE_CHOICES = (15, 60, 180)


def notification_snooze(*, notification: Notification, minutes: int) -> Notification:
    """Hide a notification for a while; it comes back unread."""
    if minutes not in SNOOZE_CHOICES:
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
