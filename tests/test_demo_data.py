import io

import pytest
from django.core.management import call_command

from accounts.models import User
from clinicians.models import CareLink
from tracker.insights.report import insights_for
from tracker.models import DailyCheckIn, Episode, PegCheckIn

pytestmark = pytest.mark.django_db


def test_demo_data_creates_three_logins_and_weeks_of_data_once():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    call_command("demo_data", stdout=io.StringIO())
    patient = User.objects.get(email="patient@example.org")
    assert User.objects.get(email="clinician@example.org").is_verified_clinician
    assert User.objects.get(email="admin@example.org").is_staff
    assert CareLink.objects.filter(patient=patient, clinician__email="clinician@example.org").count() == 1
    assert Episode.objects.filter(patient=patient).count() == 11
    assert DailyCheckIn.objects.filter(patient=patient).count() == 120
    assert PegCheckIn.objects.filter(patient=patient).count() == 6
    password = next(line.split()[-1] for line in out.getvalue().splitlines() if "patient@example.org" in line)
    assert patient.check_password(password)


def test_the_demo_patient_has_insights_to_show():
    call_command("demo_data", stdout=io.StringIO())
    insights = insights_for(patient=User.objects.get(email="patient@example.org"))
    assert insights.factors_tested == 4
    assert [item.measure for item in insights.relief] == ["heat", "stretching"]
    assert insights.trend.ratio is not None


def test_a_second_run_can_reset_and_print_the_demo_passwords():
    call_command("demo_data", stdout=io.StringIO())
    again = io.StringIO()
    call_command("demo_data", stdout=again)
    assert "(unchanged since the first run)" in again.getvalue() and "RESET=1" in again.getvalue()
    reset = io.StringIO()
    call_command("demo_data", "--reset-passwords", stdout=reset)
    for email in ("patient@example.org", "clinician@example.org", "admin@example.org"):
        password = next(line.split()[-1] for line in reset.getvalue().splitlines() if email in line)
        assert User.objects.get(email=email).check_password(password)
    assert Episode.objects.count() == 11 and "RESET=1" not in reset.getvalue()
