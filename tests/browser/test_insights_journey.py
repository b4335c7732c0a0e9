"""A patient checks in with two taps, then reads their insights on a phone, in English
and in Spanish: no horizontal scrolling, no axe violations."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinicians.models import CareLink
from tests.browser.conftest import ARTIFACTS, assert_accessible, log_in
from tests.tracker.insights_data import seed_checkins, seed_episodes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_insights_page_in_both_languages_on_a_phone(page, patient, password):
    seed_checkins(patient, today=timezone.localdate() - datetime.timedelta(days=1), days=120)
    seed_episodes(patient)
    log_in(page, patient.email, password)

    page.goto(f"{page.base_url}/checkin/")
    daily = page.locator("section", has=page.get_by_role("heading", name="Daily check-in"))
    fits(page, 360)
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "checkin-factors-en-360.png"), full_page=True)
    daily.get_by_label("No spasm today").check()
    daily.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Thanks, your check-in is saved.")).to_be_visible()

    page.locator(".more-menu summary").click()  # Insights sits under "More"
    page.get_by_role("link", name="Insights").first.click()
    expect(page.get_by_role("heading", name="What comes before a spasm day", exact=True)).to_be_visible()
    expect(page.get_by_text("On days after poor sleep you had a spasm")).to_be_visible()
    expect(page.get_by_role("table", name="What helps, as a table")).to_be_visible()
    fits(page, 360)
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "insights-en-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "insights-en-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.goto(f"{page.base_url}/insights/")
    expect(page.get_by_role("heading", name="Qué precede a un día con espasmo", exact=True)).to_be_visible()
    expect(page.get_by_text("Los días después de dormir mal tuviste un espasmo")).to_be_visible()
    fits(page, 360)
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "insights-es-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "insights-es-1280.png"), full_page=True)


def test_a_linked_clinician_reads_the_insights_on_the_patients_page(page, patient, clinician, password):
    CareLink.objects.create(patient=patient, clinician=clinician)
    seed_checkins(patient, today=timezone.localdate(), days=120)
    seed_episodes(patient)
    log_in(page, clinician.email, password)
    page.goto(f"{page.base_url}/clinician/patients/{patient.pk}/")
    # Below the clinical picture and the timeline, folded: one tap opens them.
    page.get_by_text("Insights: what helps", exact=False).click()
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    expect(page.get_by_text("On days after poor sleep you had a spasm")).to_be_visible()
    fits(page, 360)
    assert_accessible(page)
