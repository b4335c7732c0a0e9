"""The optional daily factors of the check-in: sleep, stress, active, long sitting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from tracker import services
from tracker.exports import export_for
from tracker.fhir import patient_bundle
from tracker.models import DailyCheckIn

pytestmark = pytest.mark.django_db


def test_the_checkin_page_saves_with_two_taps_when_the_factors_are_skipped(patient_client, patient):
    response = patient_client.post(
        "/checkin/",
        {"form": "daily", "daily-date": timezone.localdate().isoformat(), "daily-had_spasm": "false"},
    )
    assert response.status_code == 302
    checkin = DailyCheckIn.objects.get(patient=patient)
    assert (checkin.sleep, checkin.stress, checkin.active, checkin.long_sitting) == ("", "", None, None)


def test_the_checkin_page_offers_skip_as_the_chosen_answer_for_each_factor(patient_client):
    page = patient_client.get("/checkin/").content.decode()
    for name in ("sleep", "stress", "active", "long_sitting"):
        assert f'name="daily-{name}" value="" id="id_daily-{name}_0" checked' in page


def test_the_checkin_page_saves_the_factors_tapped(patient_client, patient):
    patient_client.post(
        "/checkin/",
        {
            "form": "daily",
            "daily-date": timezone.localdate().isoformat(),
            "daily-had_spasm": "true",
            "daily-worst_pain": "5",
            "daily-sleep": "poor",
            "daily-stress": "high",
            "daily-active": "false",
            "daily-long_sitting": "true",
        },
    )
    checkin = DailyCheckIn.objects.get(patient=patient)
    assert (checkin.sleep, checkin.stress, checkin.active, checkin.long_sitting) == (
        "poor",
        "high",
        False,
        True,
    )


def test_the_checkin_page_rejects_an_unknown_sleep_answer_at_the_field(patient_client, patient):
    response = patient_client.post(
        "/checkin/",
        {
            "form": "daily",
            "daily-date": timezone.localdate().isoformat(),
            "daily-had_spasm": "false",
            "daily-sleep": "awful",
        },
    )
    assert response.status_code == 200 and 'id="id_daily-sleep_error"' in response.content.decode()
    assert not DailyCheckIn.objects.exists()


def test_the_api_takes_and_returns_the_factors(patient_api):
    body = {"date": timezone.localdate().isoformat(), "had_spasm": False, "sleep": "good", "active": True}
    response = patient_api.post("/api/checkins/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["sleep"], data["stress"], data["active"], data["long_sitting"]) == ("good", "", True, None)


def test_the_api_answers_400_for_an_unknown_stress_level(patient_api):
    body = {"date": timezone.localdate().isoformat(), "had_spasm": False, "stress": "extreme"}
    response = patient_api.post("/api/checkins/", body, format="json")
    assert response.status_code == 400 and "stress" in response.json()
    assert not DailyCheckIn.objects.exists()


def test_the_api_lists_the_factor_choices(patient_api):
    choices = patient_api.get("/api/choices/").json()
    assert [c["value"] for c in choices["sleep"]] == ["poor", "ok", "good"]
    assert [c["value"] for c in choices["stress"]] == ["low", "medium", "high"]


def test_the_service_refuses_an_unknown_sleep_answer(patient):
    with pytest.raises(ValidationError) as error:
        services.checkin_record(
            patient=patient, date=timezone.localdate(), had_spasm=False, worst_pain=None, sleep="awful"
        )
    assert "sleep" in error.value.message_dict


def test_the_json_export_carries_the_factors(patient):
    services.checkin_record(
        patient=patient,
        date=timezone.localdate(),
        had_spasm=False,
        worst_pain=None,
        stress="low",
        long_sitting=False,
    )
    (row,) = export_for(user=patient)["checkins"]
    assert (row["sleep"], row["stress"], row["active"], row["long_sitting"]) == ("", "low", None, False)


def test_the_fhir_bundle_has_a_text_observation_for_each_factor_answered(patient):
    day = timezone.localdate() - datetime.timedelta(days=1)
    services.checkin_record(
        patient=patient, date=day, had_spasm=True, worst_pain=4, sleep="poor", active=False
    )
    bundle = Bundle.model_validate(patient_bundle(patient=patient))
    factors = [e.resource for e in bundle.entry if e.resource.id.startswith("checkin-")]
    assert {(r.code.text.split(",")[0], r.valueString, r.valueBoolean) for r in factors} == {
        ("Sleep quality last night", "poor", None),
        ("Physically active today", None, False),
    }
    assert all(r.effectiveDateTime.isoformat()[:10] == day.isoformat() for r in factors)
