"""A patient on a phone (360 px) sets their reminders, gets one in the bell and by email,
snoozes and reads it, answers a follow-up, and unsubscribes from an email without logging in."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from reminders import dispatch
from reminders.models import Delivery, ReminderPlan
from tests.browser.conftest import assert_accessible, log_in
from tracker import services as tracker_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_a_reminder_get_it_in_the_bell_snooze_it_and_answer_a_follow_up(
    page, patient, password, guidance_content
):
    log_in(page, patient.email, password)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Choose when and how we remind you").click()
    assert_accessible(page)

    daily = ReminderPlan.objects.get(user=patient, kind=ReminderPlan.Kind.DAILY_LOG)
    card = page.locator(f"#plan-{daily.id}")
    card.get_by_label("Time of day").fill("07:45")
    card.get_by_label("Sunday").uncheck()
    page.locator("#quiet-hours").get_by_label("Quiet hours on").uncheck()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    daily.refresh_from_db()
    assert daily.local_time == datetime.time(7, 45) and daily.weekdays == "012345"
    patient.quiet_hours.refresh_from_db()
    assert not patient.quiet_hours.enabled

    # The reminder falls due and beat's dispatcher runs.
    ReminderPlan.objects.filter(id=daily.id).update(
        next_due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    dispatch.reminders_dispatch()
    [email] = mail.outbox
    assert email.subject == "How was your back today?"

    page.reload()
    bell = page.get_by_role("link", name=re.compile(r"1 unread Alerts"))
    expect(bell).to_be_visible()
    page.screenshot(path="test-artifacts/reminder-bell.png", full_page=True)
    bell.click()
    assert_accessible(page)
    page.get_by_label("Snooze for").select_option("15")
    page.get_by_role("button", name="Snooze").click()
    expect(page.get_by_text("Snoozed. It will come back later.")).to_be_visible()
    expect(page.get_by_role("heading", name="How was your back today?")).to_have_count(0)

    # A day after a flare-up ends, the follow-up asks how the back is.
    episode = tracker_services.episode_create(
        patient=patient, severity=6, started_at=timezone.now() - datetime.timedelta(hours=2)
    )
    tracker_services.episode_end(episode=episode)
    follow_up = ReminderPlan.objects.get(user=patient, kind=ReminderPlan.Kind.FOLLOW_UP)
    ReminderPlan.objects.filter(id=follow_up.id).update(
        next_due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    dispatch.reminders_dispatch()
    page.reload()
    page.get_by_role("button", name="Open").first.click()
    expect(page.get_by_role("heading", name="How is your back now?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Worse").click()
    expect(page.get_by_role("heading", name="Your pain is getting worse")).to_be_visible()
    page.screenshot(path="test-artifacts/follow-up-worse.png", full_page=True)
    assert_accessible(page)
    assert Delivery.objects.get(episode=episode, plan=follow_up).response == "worse"

    # The email's unsubscribe link works without a session.
    page.context.clear_cookies()
    link = re.search(r"<(http[^>]+)>", email.extra_headers["List-Unsubscribe"]).group(1)
    page.goto(page.base_url + link[link.index("/reminders/") :])
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text("you will get no more emails")).to_be_visible()
    assert_accessible(page)
    daily.refresh_from_db()
    assert not daily.by_email and daily.in_app


def test_one_save_keeps_edits_in_two_sections_and_an_error_loses_none(page, patient, password):
    """Issue 13 item 10: one form, one Save. Edit two sections: both are saved. A bad value in
    one section is shown there, and the other section keeps what was typed."""
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/reminders/")
    assert page.get_by_role("button", name=re.compile("Save")).count() == 1
    daily = ReminderPlan.objects.get(user=patient, kind=ReminderPlan.Kind.DAILY_LOG)
    heat_ice = ReminderPlan.objects.get(user=patient, kind=ReminderPlan.Kind.HEAT_ICE)
    daily_card, heat_card = page.locator(f"#plan-{daily.id}"), page.locator(f"#plan-{heat_ice.id}")
    box = heat_card.get_by_label("By email").bounding_box()
    assert box["width"] >= 22 and box["height"] >= 22  # real-size checkboxes
    assert heat_card.locator("label.choice").first.bounding_box()["height"] >= 44

    daily_card.get_by_label("Time of day").fill("06:10")
    heat_card.get_by_label("Minutes between heat and ice").fill("30")
    page.get_by_role("button", name="Save reminders").click()
    expect(heat_card.get_by_text("Ensure this value is less than or equal to 20.")).to_be_visible()
    expect(page.get_by_role("link", name="Heat and ice during a spasm")).to_be_visible()
    expect(daily_card.get_by_label("Time of day")).to_have_value("06:10")  # kept, not lost
    assert_accessible(page)
    daily.refresh_from_db()
    assert daily.local_time == datetime.time(20)  # nothing saved yet

    heat_card.get_by_label("Minutes between heat and ice").fill("15")
    heat_card.get_by_label("By email").uncheck()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    daily.refresh_from_db()
    heat_ice.refresh_from_db()
    assert daily.local_time == datetime.time(6, 10)
    assert heat_ice.interval_minutes == 15 and not heat_ice.by_email and heat_ice.in_app
    assert_accessible(page)
