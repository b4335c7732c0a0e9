import datetime

import pytest
import time_machine

from reminders import dispatch, services
from reminders.models import Delivery, Notification, ReminderPlan
from tracker import services as tracker_services

Kind = ReminderPlan.Kind
pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)


def at(minutes: int, seconds: int = 0):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes, seconds=seconds), tick=False)


@pytest.fixture
def spasm(patient, plans):
    """An ongoing spasm logged at START, with heat/ice in the app every 20 minutes."""
    with at(0):
        services.reminder_plan_update(plan=plans[Kind.HEAT_ICE], by_email=False)
        return tracker_services.episode_create(patient=patient, severity=7)


def heat_ice(patient) -> ReminderPlan:
    return ReminderPlan.objects.get(user=patient, kind=Kind.HEAT_ICE)


def test_turning_heat_and_ice_off_during_a_spasm_stops_the_next_switch(patient, spasm):
    with at(5):
        services.reminder_plan_update(plan=heat_ice(patient), enabled=False)
    assert heat_ice(patient).next_due_at is None
    with at(20, 5):
        dispatch.reminders_dispatch()
    assert not Delivery.objects.exists()


def test_turning_heat_and_ice_back_on_during_a_spasm_resumes_the_switches(patient, spasm):
    with at(20, 5):
        dispatch.reminders_dispatch()  # switch 1: heat
    with at(25):
        services.reminder_plan_update(plan=heat_ice(patient), enabled=False)
    with at(30):
        services.reminder_plan_update(plan=heat_ice(patient), enabled=True)
    assert heat_ice(patient).next_due_at == START + datetime.timedelta(minutes=50)

    with at(50, 5):
        dispatch.reminders_dispatch()
    assert list(Notification.objects.order_by("id").values_list("title", flat=True)) == [
        "Time to switch to heat",
        "Time to switch to ice",
    ]
    assert heat_ice(patient).next_due_at == START + datetime.timedelta(minutes=70)


def test_a_new_interval_during_a_spasm_applies_from_now(patient, spasm):
    with at(10):
        services.reminder_plan_update(plan=heat_ice(patient), interval_minutes=15)
    assert heat_ice(patient).next_due_at == START + datetime.timedelta(minutes=25)
    with at(25, 5):
        dispatch.reminders_dispatch()
    assert Delivery.objects.get().due_at == START + datetime.timedelta(minutes=25)
    assert heat_ice(patient).next_due_at == START + datetime.timedelta(minutes=40)


def test_changing_only_the_channels_keeps_the_switch_already_due(patient, spasm):
    with at(10):
        services.reminder_plan_update(plan=heat_ice(patient), by_email=True)
    assert heat_ice(patient).next_due_at == START + datetime.timedelta(minutes=20)


def test_turning_heat_and_ice_on_without_an_ongoing_spasm_schedules_nothing(patient, plans):
    with at(0):
        services.reminder_plan_update(plan=plans[Kind.HEAT_ICE], enabled=False)
        services.reminder_plan_update(plan=plans[Kind.HEAT_ICE], enabled=True)
    assert heat_ice(patient).next_due_at is None
