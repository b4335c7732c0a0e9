"""React to account and episode events: default plans, time zones, heat/ice cycles, follow-ups.

The plan changes are written in the caller's transaction. For the heat/ice cycle, whose
first switch is minutes away, a dispatcher run is booked after commit for the moment it
falls due; a broker that is down only leaves the work to beat's next run.
"""

import datetime
import logging

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from accounts.signals import user_signed_up, user_time_zone_changed
from reminders import services
from tracker.signals import episode_ended, episode_logged

logger = logging.getLogger(__name__)


@receiver(user_signed_up)
def create_default_plans(sender, user, **kwargs) -> None:
    services.reminder_plans_ensure(user=user)


@receiver(user_time_zone_changed)
def move_plans_to_new_time_zone(sender, user, **kwargs) -> None:
    services.reminder_plans_reschedule(user=user)


@receiver(episode_logged)
def start_heat_ice(sender, episode, **kwargs) -> None:
    due = services.heat_ice_start(episode=episode)
    if episode.ended_at is not None:
        services.follow_up_schedule(episode=episode)
    if due is not None:
        transaction.on_commit(lambda: _book_dispatch(due))


@receiver(episode_ended)
def schedule_follow_up(sender, episode, **kwargs) -> None:
    services.follow_up_schedule(episode=episode)


def _book_dispatch(due: datetime.datetime) -> None:
    from reminders.tasks import dispatch

    try:
        dispatch.apply_async(eta=due)
    except Exception:
        logger.warning("Broker unavailable; beat's next run will dispatch the reminders", exc_info=True)


@receiver(user_logged_in)
def ensure_plans_on_login(sender, user, **kwargs) -> None:
    # Accounts created before reminders existed get their defaults the next time they sign in.
    services.reminder_plans_ensure(user=user)
