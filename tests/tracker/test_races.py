"""Issue 10 item 8: two requests racing for one day's check-in. The loser's insert meets the
winner's row (here the winner is written at the race window: after the loser looked, before
it inserted); it gets what a sequential repeat gets, the day's row corrected, not a 500."""

import pytest

from tracker.models import DailyCheckIn, PegCheckIn

pytestmark = pytest.mark.django_db


def _a_parallel_request_writes_first(monkeypatch, model, **competitor):
    original = model.full_clean
    done = []

    def full_clean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not done and self.pk is None:
            done.append(model.objects.create(patient=self.patient, date=self.date, **competitor))

    monkeypatch.setattr(model, "full_clean", full_clean)


def test_a_checkin_racing_another_for_the_same_day_corrects_it(patient_api, patient, monkeypatch):
    _a_parallel_request_writes_first(monkeypatch, DailyCheckIn, had_spasm=False)
    response = patient_api.post(
        "/api/checkins/", {"date": "2026-11-20", "had_spasm": True, "worst_pain": 6}, format="json"
    )
    assert response.status_code == 201
    checkin = DailyCheckIn.objects.get(patient=patient)
    assert (checkin.had_spasm, checkin.worst_pain) == (True, 6)


def test_a_peg_racing_another_for_the_same_day_corrects_it(patient_api, patient, monkeypatch):
    _a_parallel_request_writes_first(monkeypatch, PegCheckIn, pain=1, enjoyment=1, activity=1)
    response = patient_api.post(
        "/api/peg/", {"date": "2026-11-20", "pain": 7, "enjoyment": 6, "activity": 5}, format="json"
    )
    assert response.status_code == 201
    assert PegCheckIn.objects.get(patient=patient).pain == 7
