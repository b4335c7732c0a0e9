import datetime

import pytest
import time_machine
from django.utils import timezone

from reminders import services
from reminders.models import ReminderPlan


@pytest.fixture
def plans(patient):
    """The patient's default plans, by kind."""
    return {plan.kind: plan for plan in services.reminder_plans_ensure(user=patient)}


@pytest.fixture
def daytime():
    """Noon UTC: outside the default quiet hours (22:00-07:00 in the patient's zone, UTC here)."""
    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def make_due(plan: ReminderPlan, *, minutes_ago: int = 1) -> ReminderPlan:
    plan.next_due_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    plan.save(update_fields=["next_due_at"])
    return plan


class BrokenEmailBackend:
    """An SMTP server that refuses everything."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
