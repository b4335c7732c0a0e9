import datetime

import pytest
from django.utils import timezone

from reminders import services
from reminders.models import Delivery, Notification, ReminderPlan

pytestmark = pytest.mark.django_db


def test_listing_plans_creates_the_defaults(patient_api):
    response = patient_api.get("/api/reminders/")
    assert response.status_code == 200
    daily = next(plan for plan in response.json() if plan["kind"] == "daily_log")
    assert daily["local_time"] == "20:00" and daily["weekdays"] == [0, 1, 2, 3, 4, 5, 6]


def test_patching_a_plan_changes_it_and_its_next_time(patient_api, plans):
    daily = plans["daily_log"]
    response = patient_api.patch(f"/api/reminders/{daily.id}/", {"local_time": "08:15", "weekdays": [0]})
    assert response.status_code == 200, response.json()
    assert response.json()["weekdays"] == [0]
    next_due = datetime.datetime.fromisoformat(response.json()["next_due_at"])
    assert next_due.weekday() == 0 and next_due.time() == datetime.time(8, 15)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"local_time": "not a time"}, "local_time"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [7]}, "weekdays"),
        ({"interval_minutes": 30}, "interval_minutes"),
        ({"interval_minutes": 14}, "interval_minutes"),
        ({"max_cycles": 0}, "max_cycles"),
    ],
)
def test_bad_plan_values_are_400_with_field_errors(patient_api, plans, body, field):
    plan = plans["heat_ice"] if "interval_minutes" in body or "max_cycles" in body else plans["daily_log"]
    before = ReminderPlan.objects.filter(id=plan.id).values().get()
    response = patient_api.patch(f"/api/reminders/{plan.id}/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert ReminderPlan.objects.filter(id=plan.id).values().get() == before


def test_posting_a_plan_the_user_has_sets_it_and_repeating_it_changes_nothing(patient_api, plans):
    body = {"kind": "daily_log", "local_time": "07:30", "weekdays": [5, 6]}
    first = patient_api.post("/api/reminders/", body, format="json")
    second = patient_api.post("/api/reminders/", body, format="json")
    assert (first.status_code, second.status_code) == (200, 200), first.json()
    assert first.json() == second.json()
    assert first.json()["id"] == plans["daily_log"].id
    assert first.json()["local_time"] == "07:30" and first.json()["weekdays"] == [5, 6]
    assert ReminderPlan.objects.filter(kind="daily_log").count() == 1


def test_posting_a_plan_deleted_in_the_admin_creates_it_once(patient_api, patient, plans):
    plans["heat_ice"].delete()
    created = patient_api.post("/api/reminders/", {"kind": "heat_ice", "interval_minutes": 15})
    again = patient_api.post("/api/reminders/", {"kind": "heat_ice", "interval_minutes": 15})
    assert (created.status_code, again.status_code) == (201, 200), created.json()
    assert created.json()["interval_minutes"] == 15 and created.json()["by_email"] is False  # the default
    assert ReminderPlan.objects.filter(user=patient, kind="heat_ice").count() == 1


def test_posting_a_kind_the_role_does_not_get_is_400_and_creates_nothing(patient_api, patient, plans):
    response = patient_api.post("/api/reminders/", {"kind": "clinician_digest"})
    assert response.status_code == 400
    assert response.json() == {"kind": ["This kind of reminder is not available for your account."]}
    assert not ReminderPlan.objects.filter(user=patient, kind="clinician_digest").exists()


def test_posting_bad_values_is_400_and_changes_nothing(patient_api, plans):
    before = ReminderPlan.objects.filter(id=plans["heat_ice"].id).values().get()
    response = patient_api.post("/api/reminders/", {"kind": "heat_ice", "interval_minutes": 30})
    assert response.status_code == 400 and "interval_minutes" in response.json()
    assert ReminderPlan.objects.filter(id=plans["heat_ice"].id).values().get() == before


def test_another_users_plan_is_404(patient_api, other_patient):
    theirs = services.reminder_plans_ensure(user=other_patient)[0]
    assert patient_api.get(f"/api/reminders/{theirs.id}/").status_code == 404
    assert patient_api.patch(f"/api/reminders/{theirs.id}/", {"enabled": False}).status_code == 404


def test_notifications_list_read_and_snooze(patient_api, patient, plans, other_patient):
    plan = plans["daily_log"]
    delivery = Delivery.objects.create(plan=plan, due_at=timezone.now(), next_attempt_at=timezone.now())
    mine = Notification.objects.create(user=patient, delivery=delivery, kind=plan.kind, title="Log today")
    theirs_plan = services.reminder_plans_ensure(user=other_patient)[0]
    theirs_delivery = Delivery.objects.create(
        plan=theirs_plan, due_at=timezone.now(), next_attempt_at=timezone.now()
    )
    theirs = Notification.objects.create(
        user=other_patient, delivery=theirs_delivery, kind="daily_log", title="x"
    )

    listing = patient_api.get("/api/notifications/").json()
    assert listing["unread"] == 1 and [n["id"] for n in listing["results"]] == [mine.id]
    assert patient_api.post(f"/api/notifications/{mine.id}/read/").json()["read"] is True
    snoozed = patient_api.post(f"/api/notifications/{mine.id}/snooze/", {"minutes": 15})
    assert snoozed.status_code == 200 and snoozed.json()["snoozed_until"]
    assert patient_api.get("/api/notifications/").json()["results"] == []
    assert patient_api.post(f"/api/notifications/{mine.id}/snooze/", {"minutes": 7}).status_code == 400
    assert patient_api.post(f"/api/notifications/{theirs.id}/read/").status_code == 404
    assert patient_api.post(f"/api/notifications/{theirs.id}/snooze/", {"minutes": 15}).status_code == 404


def test_the_api_needs_authentication(api_client):
    assert api_client.get("/api/reminders/").status_code == 401
    assert api_client.get("/api/notifications/").status_code == 401
