from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from reminders.models import Delivery, Notification, ReminderPlan


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """What the bell lists: everything but what is snoozed right now, newest first."""
    visible = Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=timezone.now())
    return Notification.objects.filter(visible, user=user)


def access_plan(*, user: User, pk: int) -> ReminderPlan:
    """One of the user's own reminder plans, for pages and the API alike; anyone else's is a 404."""
    return get_object_or_404(ReminderPlan.objects.select_related("user"), pk=pk, user=user)


def access_notification(*, user: User, pk: int) -> Notification:
    """One of the user's own notifications, snoozed or not (a snoozed one can be read or snoozed
    again), for pages and the API alike; anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, user=user)


def access_follow_up(*, user: User, pk: int) -> Delivery:
    """One of the user's own follow-up questions (a delivery); anything else is a 404."""
    return get_object_or_404(
        Delivery.objects.select_related("episode"),
        pk=pk,
        plan__user=user,
        plan__kind=ReminderPlan.Kind.FOLLOW_UP,
    )


def unread_count(*, user: User) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()


def plans_due(*, until) -> QuerySet[ReminderPlan]:
    return (
        ReminderPlan.objects.filter(enabled=True, next_due_at__lte=until)
        .select_related("user")
        .order_by("next_due_at")
    )


def deliveries_waiting() -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
        .select_related("plan__user")
        .order_by("next_attempt_at")
    )


def export_for(*, user: User) -> dict:
    """The user's reminder settings and in-app notifications, for their data export."""
    return {
        "reminder_plans": [
            {
                "kind": plan.kind,
                "enabled": plan.enabled,
                "local_time": plan.local_time.strftime("%H:%M"),
                "weekdays": [int(day) for day in sorted(plan.weekdays)],
                "interval_minutes": plan.interval_minutes,
                "max_cycles": plan.max_cycles,
                "delay_hours": plan.delay_hours,
                "by_email": plan.by_email,
                "in_app": plan.in_app,
            }
            for plan in ReminderPlan.objects.filter(user=user).order_by("kind")
        ],
        "notifications": [
            {
                "title": n.title,
                "body": n.body,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("created_at")
        ],
    }
