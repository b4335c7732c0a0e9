import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from reminders import dispatch, services
from reminders.models import Delivery, Notification, ReminderPlan
from tests.reminders.conftest import make_due

Kind = ReminderPlan.Kind
pytestmark = pytest.mark.django_db


def deliver(plan: ReminderPlan) -> Notification:
    make_due(plan)
    dispatch.reminders_dispatch()
    return Notification.objects.filter(delivery__plan=plan).latest("id")


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_bell_counts_unread_notifications_and_reading_clears_it(patient_client, plans):
    notification = deliver(plans[Kind.DAILY_LOG])
    page = patient_client.get(reverse("home")).content.decode()
    assert '<span class="bell-count">1' in page
    response = patient_client.post(
        reverse("reminders:notification_read", args=[notification.id]), {"open": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("checkin")
    assert "bell-count" not in patient_client.get(reverse("home")).content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_a_snoozed_notification_disappears_and_comes_back(patient_client, plans):
    notification = deliver(plans[Kind.DAILY_LOG])
    patient_client.post(reverse("reminders:snooze", args=[notification.id]), {"minutes": "60"})
    assert notification.title not in patient_client.get(reverse("reminders:notifications")).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        page = patient_client.get(reverse("reminders:notifications")).content.decode()
    assert notification.title in page


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_a_snoozed_notification_can_still_be_marked_read_as_in_the_api(patient_client, plans):
    notification = deliver(plans[Kind.DAILY_LOG])
    patient_client.post(reverse("reminders:snooze", args=[notification.id]), {"minutes": "60"})
    response = patient_client.post(reverse("reminders:notification_read", args=[notification.id]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_a_snooze_for_an_odd_time_is_refused(patient_client, plans):
    notification = deliver(plans[Kind.DAILY_LOG])
    patient_client.post(reverse("reminders:snooze", args=[notification.id]), {"minutes": "100000"})
    notification.refresh_from_db()
    assert notification.snoozed_until is None


def test_another_users_notification_answers_404(patient_client, other_patient):
    theirs = services.reminder_plans_ensure(user=other_patient)[0]
    delivery = Delivery.objects.create(plan=theirs, due_at=timezone.now(), next_attempt_at=timezone.now())
    notification = Notification.objects.create(
        user=other_patient, delivery=delivery, kind=theirs.kind, title="x"
    )
    for name in ("reminders:notification_read", "reminders:snooze"):
        assert (
            patient_client.post(reverse(name, args=[notification.id]), {"minutes": "15"}).status_code == 404
        )
    assert patient_client.get(reverse("reminders:follow_up", args=[delivery.id])).status_code == 404


def test_answering_worse_to_the_follow_up_shows_the_see_a_doctor_prompt(
    patient_client, plans, guidance_content
):
    follow_up = plans[Kind.FOLLOW_UP]
    delivery = Delivery.objects.create(plan=follow_up, due_at=timezone.now(), next_attempt_at=timezone.now())
    url = reverse("reminders:follow_up", args=[delivery.id])
    assert "How is your back now?" in patient_client.get(url).content.decode()
    page = patient_client.post(url, {"response": "worse"}).content.decode()
    assert "Your pain is getting worse" in page
    assert "prompt-" in page
    delivery.refresh_from_db()
    assert delivery.response == "worse"


def test_answering_better_thanks_the_patient(patient_client, plans):
    delivery = Delivery.objects.create(
        plan=plans[Kind.FOLLOW_UP], due_at=timezone.now(), next_attempt_at=timezone.now()
    )
    response = patient_client.post(reverse("reminders:follow_up", args=[delivery.id]), {"response": "better"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.response == "better"


def test_the_unsubscribe_link_needs_no_login_and_asks_before_acting(client, plans):
    daily = plans[Kind.DAILY_LOG]
    url = reverse("reminders:unsubscribe", args=[services.unsubscribe_token(daily)])
    assert "Stop the emails" in client.get(url).content.decode()
    daily.refresh_from_db()
    assert daily.by_email  # a link scanner's GET changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token
    assert response.status_code == 200 and "Done" in response.content.decode()
    daily.refresh_from_db()
    assert not daily.by_email and daily.in_app and daily.enabled


def test_a_tampered_or_expired_unsubscribe_link_changes_nothing(client, plans):
    daily = plans[Kind.DAILY_LOG]
    token = services.unsubscribe_token(daily)
    other = signing.dumps({"plan": daily.id + 1, "user": daily.user_id}, salt="wrong-salt")
    for bad in (token[:-2] + "xx", other, "not-a-token"):
        response = client.post(reverse("reminders:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=61)):
        assert client.post(reverse("reminders:unsubscribe", args=[token])).status_code == 400
    daily.refresh_from_db()
    assert daily.by_email


def test_pages_need_a_login(client):
    for name in ("reminders:settings", "reminders:notifications"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_reminders_due_command_lists_what_is_due(patient, plans):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reminders_due", "--hours", "24", stdout=out)
    assert "daily_log" in out.getvalue() and patient.email in out.getvalue()


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_data_export_includes_reminder_settings_and_notifications(patient_client, plans, other_patient):
    import json

    deliver(plans[Kind.DAILY_LOG])
    services.reminder_plans_ensure(user=other_patient)
    data = json.loads(patient_client.get(reverse("export_json")).content)
    assert len(data["reminder_plans"]) == len(plans)
    assert {"kind": "daily_log", "local_time": "20:00"}.items() <= next(
        p for p in data["reminder_plans"] if p["kind"] == "daily_log"
    ).items()
    assert [n["title"] for n in data["notifications"]] == ["How was your back today?"]
