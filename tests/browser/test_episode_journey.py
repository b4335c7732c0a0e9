"""A patient mid-spasm on a phone (360 px): log in two taps, add details, see guidance,
end it, find it in history, open and print the summary."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import EpisodeFactory
from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_a_spasm_in_two_taps_add_details_end_it_and_find_it(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    assert_accessible(page)

    # Two interactions: open the quick log, tap the severity.
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="7 Severe").click()

    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
    expect(page.get_by_text("Alternate heat and ice, 15–20 minutes each")).to_be_visible()
    assert_accessible(page)
    episode = Episode.objects.get(patient=patient)
    assert episode.severity == 7 and episode.is_ongoing

    page.get_by_role("link", name="Add or change details").click()
    assert_accessible(page)
    page.get_by_label("Left leg").check()
    page.locator("summary", has_text="What set it off").click()  # the form is grouped in sections that open
    page.get_by_label("Moving furniture").check()
    page.locator("summary", has_text="What you tried").click()
    page.locator(".relief-chip > summary").get_by_text(
        "Heat", exact=True
    ).click()  # a chip reveals its choice
    page.get_by_label("Heat", exact=True).select_option("much")
    page.locator("summary", has_text="Medicines and notes").click()
    page.get_by_label("Notes").fill("<script>alert('x')</script> carried a sofa")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Pain that reaches your leg")).to_be_visible()
    expect(page.get_by_text("<script>alert('x')</script> carried a sofa")).to_be_visible()
    page.screenshot(path="test-artifacts/episode-page.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("button", name="It's over").click()
    expect(page.get_by_text("Glad it's over")).to_be_visible()
    assert page.get_by_role("heading", name="Once the spasm is over").count() == 0
    expect(page.get_by_text("Keep a moderate weight")).to_be_visible()

    page.get_by_role("link", name="History").click()
    assert_accessible(page)
    expect(page.locator(".episode-list a").first).to_be_visible()
    page.locator(".period-control summary").click()  # the filters sit in a compact control
    page.get_by_label("Trigger").select_option("moving_furniture")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("1 episode from")).to_be_visible()

    page.get_by_role("link", name="Summary").click()
    assert_accessible(page)
    expect(page.get_by_text("Heat: helped 1 of 1 times")).to_be_visible()
    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Download PDF").count() == 0
    expect(page.locator(".site-footer")).to_be_hidden()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_an_emergency_sign_puts_the_call_to_action_first(page, patient, password, guidance_content):
    log_in(page, patient.email, password)
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="5 Moderate").click()
    page.get_by_role("link", name="Add or change details").click()
    page.get_by_label("Numbness around the groin, genitals or buttocks").check()
    page.get_by_role("button", name="Save").click()
    first_prompt = page.locator(".prompt").first
    assert "Emergency: seek care now" in first_prompt.text_content()
    assert first_prompt.get_by_role("link", name="Call 112 now").get_attribute("href") == "tel:112"
    assert_accessible(page)


def test_bad_details_get_messages_and_the_episode_is_kept(page, patient, password):
    episode = EpisodeFactory(patient=patient, severity=4, notes="kept", ended_at=None)
    log_in(page, patient.email, password)
    page.goto(f"{page.base_url}/episodes/{episode.pk}/edit/")
    page.get_by_label("When did it end?").fill("2001-01-01T10:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The end must be after the start.")).to_be_visible()
    assert_accessible(page)
    episode.refresh_from_db()
    assert episode.ended_at is None and episode.notes == "kept"


def test_another_patients_episode_is_a_friendly_404(page, patient, other_patient, password):
    theirs = EpisodeFactory(patient=other_patient)
    log_in(page, patient.email, password)
    response = page.goto(f"{page.base_url}/episodes/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We couldn't find that page")).to_be_visible()
    assert_accessible(page)


def test_check_ins_and_the_spanish_interface(page, patient, password):
    patient.language = "es"
    patient.save()
    log_in(page, patient.email, password)
    page.get_by_role("link", name="Registro diario").first.click()
    page.get_by_label("Hoy sin espasmos").check()
    page.get_by_role("button", name="Guardar registro", exact=True).click()
    expect(page.get_by_text("Gracias, tu registro está guardado.")).to_be_visible()
    assert_accessible(page)


def test_a_second_quick_log_while_a_spasm_is_ongoing_updates_it(page, patient, password, guidance_content):
    """Issue 10 item 5: a double tap keeps one episode. Home shows an ongoing spasm instead of
    the start button, so the second tap comes from a second tab opened before the first log."""
    log_in(page, patient.email, password)
    stale = page.context.new_page()
    stale.goto(page.base_url + "/")
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="5 Moderate").click()
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()

    page = stale
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="8").click()
    expect(page.get_by_text("Your ongoing episode is updated.")).to_be_visible()
    assert_accessible(page)
    episode = Episode.objects.get(patient=patient)
    assert episode.severity == 8 and episode.is_ongoing
