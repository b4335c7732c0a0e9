import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.services import user_update_preferences
from reminders import services
from reminders.models import ReminderPlan
from tracker import services as tracker_services

Kind = ReminderPlan.Kind
pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def wednesday_noon():
    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC), tick=False):
        yield


def in_madrid(patient) -> dict:
    patient.time_zone = "Europe/Madrid"
    patient.save(update_fields=["time_zone"])
    return {plan.kind: plan for plan in services.reminder_plans_ensure(user=patient)}


def test_a_new_time_zone_moves_the_daily_reminder_to_its_wall_clock_time(patient):
    daily = in_madrid(patient)[Kind.DAILY_LOG]
    assert daily.next_due_at == datetime.datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # 20:00 in Madrid

    user_update_preferences(
        user=patient, display_name=patient.display_name, time_zone="America/Los_Angeles", language="en"
    )

    daily.refresh_from_db()
    assert daily.next_due_at == datetime.datetime(2026, 11, 26, 4, 0, tzinfo=UTC)  # 20:00 in Los Angeles


def test_the_profile_page_reschedules_every_clock_reminder(patient_client, patient):
    in_madrid(patient)
    response = patient_client.post(
        reverse("accounts:profile"),
        {"display_name": "Pat", "time_zone": "America/Los_Angeles", "language": "en"},
    )
    assert response.status_code == 302
    due = dict(ReminderPlan.objects.filter(user=patient).values_list("kind", "next_due_at"))
    # Weekly check-in: Sunday 18:00; no-improvement nudge: Monday 10:00, both in Los Angeles now.
    assert due[Kind.WEEKLY_PEG] == datetime.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    assert due[Kind.NO_IMPROVEMENT] == datetime.datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    assert due[Kind.DAILY_LOG] == datetime.datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    assert due[Kind.FOLLOW_UP] is None  # counted from an episode, not from the clock


def test_a_time_zone_change_leaves_an_ongoing_heat_and_ice_cycle_alone(patient):
    in_madrid(patient)
    episode = tracker_services.episode_create(patient=patient, severity=6)
    heat_ice = ReminderPlan.objects.get(user=patient, kind=Kind.HEAT_ICE)
    assert heat_ice.next_due_at == episode.started_at + datetime.timedelta(minutes=20)

    user_update_preferences(user=patient, display_name="Pat", time_zone="Asia/Tokyo", language="en")

    heat_ice.refresh_from_db()
    assert heat_ice.next_due_at == episode.started_at + datetime.timedelta(minutes=20)
