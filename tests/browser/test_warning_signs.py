"""The warning-sign question in the fast path (issue 11): on a 360 px phone, two taps log
an 8/10 spasm and the question is on screen without scrolling; one tap on a sign or on
"None of these" records the answer and redraws the guidance."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, assert_accessible, log_in
from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}


def log_an_8(page) -> None:
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="8", exact=False).first.click()


def in_viewport(locator, page) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_after_two_taps_the_question_is_on_screen_and_saddle_numbness_calls_for_help_first(
    page, patient, password, guidance_content
):
    page.set_viewport_size(PHONE)
    log_in(page, patient.email, password)
    log_an_8(page)

    question = page.get_by_role("heading", name="Do you have any of these?")
    expect(question).to_be_visible()
    assert in_viewport(question, page), question.bounding_box()
    sign = page.get_by_role("button", name="Numbness between the legs")
    assert in_viewport(sign, page)
    assert sign.bounding_box()["height"] >= 44
    assert Episode.objects.get(patient=patient).severity == 8
    assert_accessible(page)

    sign.click()
    first_prompt = page.locator(".prompt").first
    expect(first_prompt).to_contain_text("Emergency: seek care now")
    call = first_prompt.get_by_role("link", name="Call 112 now")
    assert call.get_attribute("href") == "tel:112"
    # The call button comes before the prompt's text, and the prompt before any step.
    assert call.bounding_box()["y"] < first_prompt.locator("p").nth(2).bounding_box()["y"]
    assert first_prompt.bounding_box()["y"] < page.locator(".step").first.bounding_box()["y"]
    episode = Episode.objects.get(patient=patient)
    assert episode.red_flags == ["saddle_numbness"] and episode.red_flags_checked_at is not None
    assert page.get_by_role("heading", name="Do you have any of these?").count() == 0
    assert_accessible(page)


def test_none_of_these_records_the_answer_and_the_steps_come_first(page, patient, password, guidance_content):
    page.set_viewport_size(PHONE)
    log_in(page, patient.email, password)
    log_an_8(page)
    page.get_by_role("button", name="None of these").click()

    expect(page.get_by_text("Thank you. No warning signs")).to_be_visible()
    episode = Episode.objects.get(patient=patient)
    assert episode.red_flags == [] and episode.red_flags_checked_at is not None
    assert page.get_by_role("heading", name="Do you have any of these?").count() == 0
    first_step = page.locator(".step").first
    assert in_viewport(first_step, page)
    # The only prompt (prepare for a visit) is routine: it comes after every step.
    routine = page.locator(".prompt-routine")
    assert routine.count() == 1
    assert routine.bounding_box()["y"] > page.locator(".step").last.bounding_box()["y"]
    expect(page.get_by_text("A gentle stretch, only if it feels safe")).to_be_visible()
    expect(page.get_by_text("Source: Back spasm article").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_question_and_the_guidance(
    page, patient, password, guidance_content, language, width
):
    """Pictures for review (test-artifacts/), checked with axe in each language and width."""
    patient.language = language
    patient.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, patient.email, password)
    page.locator(".quick-log-details summary").click()
    page.locator(".severity-button[value='8']").click()
    expect(page.locator(".warning-screen")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"warning-question-{language}-{width}.png"), full_page=True)
    assert_accessible(page)
    page.locator(".screen-none").click()
    expect(page.locator(".step").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"guidance-after-none-{language}-{width}.png"), full_page=True)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_follow_up_answered_worse_asks_again_and_the_clinician_sees_it(
    page, browser, live_server, patient, clinician, password, guidance_content, language
):
    import datetime

    from django.utils import timezone

    from clinicians.models import CareLink
    from reminders import services as reminder_services
    from reminders.models import Delivery, ReminderPlan
    from tracker import services

    patient.language = clinician.language = language
    patient.save(update_fields=["language"])
    clinician.save(update_fields=["language"])
    CareLink.objects.create(patient=patient, clinician=clinician)
    start = timezone.now() - datetime.timedelta(days=1)
    episode = services.episode_create(
        patient=patient, severity=6, started_at=start, ended_at=start + datetime.timedelta(hours=2)
    )
    services.episode_red_flags_record(episode=episode, red_flags=[])
    plans = {p.kind: p for p in reminder_services.reminder_plans_ensure(user=patient)}
    plan = plans[ReminderPlan.Kind.FOLLOW_UP]
    delivery = Delivery.objects.create(
        plan=plan, episode=episode, due_at=timezone.now(), next_attempt_at=timezone.now()
    )

    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/reminders/follow-up/{delivery.id}/")
    page.locator("button[name=response][value=worse]").click()
    expect(page.locator(".warning-screen-required")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"follow-up-worse-{language}-360.png"), full_page=True)
    assert_accessible(page)
    page.locator(".screen-sign[value=fever]").click()
    expect(page.locator(".prompt").first).to_have_class("prompt prompt-urgent")
    assert Episode.objects.get(pk=episode.pk).red_flags == ["fever"]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    doctor = context.new_page()
    doctor.base_url = live_server.url
    log_in(doctor, clinician.email, password)
    doctor.goto(f"{live_server.url}/clinician/")
    expect(doctor.locator(".flag-worse_follow_up")).to_be_visible()
    doctor.screenshot(path=str(ARTIFACTS / f"clinician-dashboard-{language}-1280.png"), full_page=True)
    assert_accessible(doctor)
    doctor.goto(f"{live_server.url}/clinician/patients/{patient.pk}/")
    # The compact timeline folds each episode's facts and guidance under one line: open it.
    doctor.locator(".timeline-episode .given-summary").first.click()
    expect(doctor.locator(".red-flags-checked").first).to_be_visible()
    doctor.screenshot(path=str(ARTIFACTS / f"clinician-timeline-{language}-1280.png"), full_page=True)
    assert_accessible(doctor)
    context.close()
