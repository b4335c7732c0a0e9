"""React to account and episode events: default plans, time zones, heat/ice cycles, follow-ups.

The plan changes are written in the caller's transaction. Nothing is published to the
broker per episode: the heat/ice cycle's first switch is at least
``reminders.models.HEAT_ICE_MINUTES[0]`` away, and beat's every-minute dispatch reaches it (a publish per log cost as much as the
rest of the log's writes).
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.signals import user_signed_up, user_time_zone_changed
from reminders import services
from tracker.signals import episode_ended, episode_logged


@receiver(user_signed_up)
def create_default_plans(sender, user, **kwargs) -> None:
    services.reminder_plans_ensure(user=user)


@receiver(user_time_zone_changed)
def move_plans_to_new_time_zone(sender, user, **kwargs) -> None:
    services.reminder_plans_reschedule(user=user)


@receiver(episode_logged)
def start_heat_ice(sender, episode, companions_ran=False, **kwargs) -> None:
    if not companions_ran:  # else heat_ice_start_clause did it in the statement that logged it
        services.heat_ice_start(episode=episode)
    if episode.ended_at is not None:
        services.follow_up_schedule(episode=episode)


@receiver(episode_ended)
def schedule_follow_up(sender, episode, **kwargs) -> None:
    services.follow_up_schedule(episode=episode)


@receiver(user_logged_in)
def ensure_plans_on_login(sender, user, **kwargs) -> None:
    # Accounts created before reminders existed get their defaults the next time they sign in.
    services.reminder_plans_ensure(user=user)
