"""Once a week (on Sunday) the daily reminder may mention a link the insights found, and
only one that holds after allowing for every factor looked at."""

import datetime

import pytest
import time_machine

from reminders import dispatch
from reminders.models import Notification, ReminderPlan
from tests.reminders.conftest import make_due
from tests.tracker.insights_data import seed_checkins

Kind = ReminderPlan.Kind
pytestmark = pytest.mark.django_db

SUNDAY_NOON = datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.UTC)
WEDNESDAY_NOON = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)


def daily_reminder_body(patient, plans, moment) -> str:
    with time_machine.travel(moment, tick=False):
        make_due(plans[Kind.DAILY_LOG])
        dispatch.reminders_dispatch()
    return Notification.objects.get(user=patient).body


def test_the_sunday_reminder_mentions_a_clear_link(patient, plans):
    seed_checkins(patient, today=SUNDAY_NOON.date() - datetime.timedelta(days=1), days=120, seed=18)
    body = daily_reminder_body(patient, plans, SUNDAY_NOON)
    assert "Your check-ins show a link: on days after poor sleep you had a spasm about" in body
    assert "It does not prove one causes the other." in body


def test_other_days_the_reminder_says_nothing_about_it(patient, plans):
    seed_checkins(patient, today=WEDNESDAY_NOON.date() - datetime.timedelta(days=1), days=120, seed=18)
    assert "link" not in daily_reminder_body(patient, plans, WEDNESDAY_NOON)


def test_without_a_clear_link_the_sunday_reminder_says_nothing_about_it(patient, plans):
    seed_checkins(
        patient, today=SUNDAY_NOON.date() - datetime.timedelta(days=1), days=120, poor_sleep_ratio=1.0
    )
    assert "link" not in daily_reminder_body(patient, plans, SUNDAY_NOON)


def test_the_mention_costs_one_query_for_a_batch_of_patients(
    patient, other_patient, django_assert_num_queries
):
    from tracker.insights.selectors import factor_counts_by_patient

    for person in (patient, other_patient):
        seed_checkins(person, today=SUNDAY_NOON.date(), days=60)
    with django_assert_num_queries(1):
        counts = factor_counts_by_patient(patient_ids=[patient.id, other_patient.id])
    assert (
        sum(row.exposed_days + row.other_days for row in counts[patient.id] if row.key == "poor_sleep") == 60
    )
