"""Each role gets the reminder plans that make sense for it, and no others."""

import pytest
from django.core.exceptions import ValidationError

from reminders import services
from reminders.models import ReminderPlan

pytestmark = pytest.mark.django_db


def test_an_admin_gets_no_patient_reminder_plans(staff):
    assert services.reminder_plans_ensure(user=staff) == []
    assert not ReminderPlan.objects.filter(user=staff).exists()


def test_an_admin_cannot_switch_on_a_patient_reminder(staff):
    with pytest.raises(ValidationError):
        services.reminder_plan_set(user=staff, kind=ReminderPlan.Kind.DAILY_LOG, enabled=True)


def test_a_patient_still_gets_the_patient_plans(patient):
    kinds = {plan.kind for plan in services.reminder_plans_ensure(user=patient)}
    assert ReminderPlan.Kind.DAILY_LOG in kinds
    assert ReminderPlan.Kind.CLINICIAN_DIGEST not in kinds
