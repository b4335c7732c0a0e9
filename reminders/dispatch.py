"""The dispatch that turns due plans into deliveries sent exactly once.

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
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reminders import schedule
from reminders.kinds import KINDS, message_for
from reminders.models import Delivery, Notification, QuietHours, ReminderPlan
from reminders.services import unsubscribe_token

logger = logging.getLogger(__name__)

Kind = ReminderPlan.Kind
Status = Delivery.Status
# A delivery claimed this long ago and still not sent belongs to a worker that died.
SENDING_TIMEOUT = datetime.timedelta(minutes=10)
QUEUED_TIMEOUT = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 5
RETRY_BASE = datetime.timedelta(minutes=1)


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
        delivery = KINDS[plan.kind].next_delivery(plan, now=now)
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
    """Which claimed deliveries go out now, and what happens to the others; each kind's own
    rules (``reminders.kinds``) say when a due reminder no longer applies."""
    by_kind = collections.defaultdict(list)
    for delivery in deliveries:
        by_kind[delivery.plan.kind].append(delivery)
    batches = {kind: KINDS[kind].batch(items, now=now) for kind, items in by_kind.items()}
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
        kind = KINDS[plan.kind]
        zone = user.zone
        quiet = getattr(user, "quiet_hours", None)
        if not plan.enabled or not user.is_active:
            settle(delivery, Status.SKIPPED, "plan turned off")
            continue
        if (
            quiet
            and quiet.enabled
            and schedule.in_quiet_hours(moment=now, start=quiet.start, end=quiet.end, zone=zone)
        ):
            if kind.postpone_in_quiet_hours:
                retry_at = schedule.quiet_hours_end(moment=now, end=quiet.end, zone=zone)
                settle(delivery, Status.PENDING, "waiting for the end of quiet hours", retry_at=retry_at)
                continue
            # A spasm logged at night means the patient is awake and asked for help: remind them.
            if not _spasm_began_in_quiet_hours(delivery, quiet, zone):
                settle(delivery, Status.SKIPPED, "quiet hours")
                continue
        extra: dict = {}
        reason = kind.skip_reason(delivery, now=now, batch=batches[plan.kind], extra=extra)
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
