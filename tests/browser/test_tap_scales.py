"""Issue 13 item 5: pain is the same 0-10 tap scale everywhere, never a number box: the
details form, the past-episode form, the daily check-in and the weekly PEG. Radio buttons
that work without JavaScript, by keyboard, named for screen readers, at 360 px and 200% text."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import EpisodeFactory
from tracker.models import DailyCheckIn, Episode, PegCheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAIN_FIELDS = "input[type=number][name$=severity], input[type=number][name$=pain], input[type=number][name$=enjoyment], input[type=number][name$=activity]"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_details_form_takes_the_severity_by_keyboard_and_marks_the_current_one(page, patient, password):
    episode = EpisodeFactory(patient=patient, severity=4, ended_at=None)
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/episodes/{episode.pk}/edit/")
    assert page.locator(PAIN_FIELDS).count() == 0
    scale = page.get_by_role("group", name="How bad is the pain?")
    expect(scale.get_by_role("radio")).to_have_count(11)
    expect(scale.get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(scale.get_by_role("radio", name="7 Severe")).not_to_be_checked()
    assert_accessible(page)
    scale.get_by_role("radio", name="4", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(scale.get_by_role("radio", name="6", exact=True)).to_be_checked()
    outline = page.locator("label[for$=severity_6]").evaluate("label => getComputedStyle(label).outlineStyle")
    assert outline == "solid"  # the focus ring shows on the chip, the radio itself is hidden
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert fits(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
    episode.refresh_from_db()
    assert episode.severity == 6


def test_a_past_episode_and_the_check_ins_are_tapped_without_javascript(page_factory, patient, password):
    page = page_factory(java_script_enabled=False)
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/episodes/past/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Choose how bad the pain is, from 0 to 10.")).to_be_visible()
    page.get_by_label("When did it start?").fill("2026-11-20T10:00")
    page.get_by_label("How long did it last? (minutes)").fill("30")
    page.get_by_text("Moderate", exact=True).click()  # a tap on the chip's label chooses 5
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
    assert Episode.objects.get(patient=patient).severity == 5

    page.goto(f"{page.base_url}/checkin/")
    assert page.locator(PAIN_FIELDS).count() == 0
    assert fits(page)
    daily = page.locator("section", has=page.get_by_role("heading", name="Daily check-in"))
    daily.get_by_label("I had back pain or a spasm today").check()
    daily.get_by_role("radio", name="7 Severe").check()
    daily.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Thanks, your check-in is saved.")).to_be_visible()
    assert DailyCheckIn.objects.get(patient=patient).worst_pain == 7

    page.goto(f"{page.base_url}/checkin/")
    peg = page.locator("section", has=page.get_by_role("heading", name="Weekly check-in (PEG)"))
    expect(peg.get_by_role("radio")).to_have_count(33)
    peg.get_by_role("group", name="your pain on average").get_by_text("3", exact=True).click()
    peg.get_by_role("group", name="enjoyment of life").get_by_role(
        "radio", name="10 Completely interferes"
    ).check()
    peg.get_by_role("group", name="general activity").get_by_role(
        "radio", name="0 Does not interfere"
    ).check()
    peg.get_by_role("button", name="Save weekly check-in").click()
    expect(page.get_by_text("Thanks, your check-in is saved.")).to_be_visible()
    score = PegCheckIn.objects.get(patient=patient)
    assert (score.pain, score.enjoyment, score.activity) == (3, 10, 0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_check_in_scales_pass_axe_in_spanish_and_fit_at_200_percent(
    page_factory, patient, password, scheme
):
    patient.language = "es"
    patient.save()
    page = page_factory(color_scheme=scheme)
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/checkin/")
    expect(page.get_by_role("radio", name="10 El peor imaginable")).to_have_count(1)
    assert_accessible(page)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert fits(page)
