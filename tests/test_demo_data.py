import io

import pytest
from django.core.management import call_command

from accounts.models import User
from clinicians.models import CareLink
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
    assert DailyCheckIn.objects.filter(patient=patient).count() == 42
    assert PegCheckIn.objects.filter(patient=patient).count() == 6
    password = next(line.split()[-1] for line in out.getvalue().splitlines() if "patient@example.org" in line)
    assert patient.check_password(password)
