"""The clinician's patient page opens with the clinical picture: the flags, the severity chart
and the private notes within the first screen and a half, on a phone and on a laptop; the
timeline of a full page of 30 episodes fits in three screens on a laptop."""

import pytest
from playwright.sync_api import expect

from clinicians.views import TIMELINE_PAGE_SIZE
from tests.browser.clinician_patient_data import seed_worried_patient
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box["y"] + box["height"]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_clinician_lands_on_the_dashboard_and_the_picture_comes_first(
    page_factory, patient, clinician, password, guidance_content, width
):
    assert TIMELINE_PAGE_SIZE == 30  # the page the timeline's height is measured on
    seed_worried_patient(patient=patient, clinician=clinician, episodes=30)
    height = 800
    page = page_factory(viewport={"width": width, "height": height})
    log_in(page, clinician.email, password)
    assert page.url.endswith("/clinician/")
    page.locator(".patient-row").get_by_role("link", name="Pat").click()
    expect(page.get_by_role("heading", name="What changed and what needs you")).to_be_visible()

    # Positions in the document: scroll to the top first.
    page.evaluate("window.scrollTo(0, 0)")
    limit = 1.5 * height
    assert bottom(page, ".attention") <= limit
    assert bottom(page, ".picture .chart-svg") <= limit
    assert bottom(page, "#notes form") <= limit
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    flags = page.locator(".attention")
    expect(flags).to_contain_text("Warning sign in the last 30 days")
    expect(flags).to_contain_text("Leg weakness or numbness")
    expect(flags).to_contain_text("Told: “Seek medical care now")
    expect(flags).to_contain_text("Getting worse")
    expect(flags).to_contain_text("in the last 30 days against")

    timeline = page.locator(".timeline-section")
    expect(timeline.locator(".timeline-episode")).to_have_count(30)
    if width == 1280:
        box = timeline.bounding_box()
        assert box["height"] < 3 * height, f"the timeline is {box['height']} px tall"
    first = timeline.locator("details.given").first
    expect(first.locator("summary")).to_contain_text("the most urgent: seek care now")
    first.locator("summary").click()
    expect(first).to_contain_text("Guidance release #")
    expect(first.locator(".prompt-line-emergency")).to_be_visible()

    page.get_by_text("Export", exact=True).click()
    expect(page.get_by_role("link", name="PDF summary")).to_be_visible()
    assert_accessible(page)


def test_the_picture_in_spanish_and_dark_mode_fits_a_small_phone(
    page_factory, patient, clinician, password, guidance_content
):
    seed_worried_patient(patient=patient, clinician=clinician, episodes=12)
    page = page_factory(viewport={"width": 360, "height": 800}, color_scheme="dark")
    log_in(page, clinician.email, password)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.goto(f"{page.base_url}/clinician/patients/{patient.pk}/")
    expect(page.get_by_role("heading", name="Qué ha cambiado y qué necesita de ti")).to_be_visible()
    expect(page.locator(".attention")).to_contain_text("Le dijimos")
    expect(page.locator(".timeline details.given summary").first).to_contain_text("Mostrado")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"  # the dark theme's --bg
    assert_accessible(page)

    # Opened, and at 200% text, nothing scrolls sideways either.
    page.get_by_text("Exportar", exact=True).click()
    page.locator(".timeline details.given summary").first.click()
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
