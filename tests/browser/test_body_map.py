"""The body map: an SVG of the back whose regions are real checkboxes, usable by keyboard,
by tapping the body, and without JavaScript; chosen regions are filled."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_of(page, slug: str) -> str:
    return page.locator(f".region-{slug}").evaluate("region => getComputedStyle(region).fill")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_body_map_works_by_keyboard_and_fills_the_chosen_region(page_factory, patient, password, scheme):
    page = page_factory(color_scheme=scheme, java_script_enabled=True)
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/episodes/past/")
    empty = fill_of(page, "lower_back_left")
    page.get_by_label("Lower back, left").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to "Lower back, right", left alone
    expect(page.get_by_label("Lower back, left")).to_be_checked()
    expect(page.get_by_label("Lower back, right")).not_to_be_checked()
    assert fill_of(page, "lower_back_left") != empty
    assert fill_of(page, "lower_back_right") == empty
    assert_accessible(page)


def test_tapping_the_leg_on_the_body_ticks_it_without_javascript(page_factory, patient, password):
    page = page_factory(java_script_enabled=False)
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/episodes/past/")
    page.locator(".hotspot-leg_left").click()
    expect(page.get_by_label("Left leg")).to_be_checked()
    page.get_by_label("When did it start?").fill("2026-11-20T10:00")
    page.get_by_label("How long did it last? (minutes)").fill("45")
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_label("Lower back, centre").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
    episode = Episode.objects.get(patient=patient)
    assert set(episode.locations) == {"leg_left", "lower_back_center"}
