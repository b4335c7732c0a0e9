"""An admin edits a step, previews it, publishes it; the patient sees the new text; a
revert restores it."""

import pytest
from playwright.sync_api import expect

from guidance.models import Step
from tests.browser.conftest import assert_accessible, log_in
from tracker import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def publish(page, note: str) -> None:
    page.goto(f"{page.base_url}/guidance/preview/")
    page.get_by_label("What changed (optional)").fill(note)
    page.get_by_role("button", name="Publish the working copy").click()
    expect(page.get_by_text("Published. Patients now see release")).to_be_visible()


def test_edit_preview_publish_and_revert_a_step(page, browser, staff, patient, password, guidance_content):
    episode = services.episode_create(patient=patient, severity=5)
    step = Step.objects.get(key="slow_breathing")
    patient_page = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    patient_page.base_url = page.base_url
    log_in(patient_page, patient.email, password)

    log_in(page, staff.email, password)
    page.goto(f"{page.base_url}/admin/guidance/step/{step.pk}/change/")
    page.locator("#id_title_en").fill("Breathe out slowly, twice as long as in")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.wait_for_url("**/admin/guidance/step/")

    # Preview the working copy before patients see it.
    page.goto(f"{page.base_url}/guidance/preview/")
    assert_accessible(page)
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_text("Breathe out slowly, twice as long as in")).to_be_visible()
    assert_accessible(page)
    patient_page.goto(f"{page.base_url}/episodes/{episode.pk}/")
    expect(patient_page.get_by_text("Breathe slowly", exact=True)).to_be_visible()

    publish(page, "Longer breathing out")
    patient_page.reload()
    expect(patient_page.get_by_text("Breathe out slowly, twice as long as in")).to_be_visible()
    assert_accessible(patient_page)

    # Revert to the version before the edit, and publish again.
    page.goto(f"{page.base_url}/admin/guidance/step/{step.pk}/history/")
    expect(page.locator("#change-history tbody tr").first).to_contain_text("Seeded from the source article")
    page.locator("#change-history tbody tr").first.get_by_role("link").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/guidance/step/")
    publish(page, "Reverted")
    patient_page.reload()
    expect(patient_page.get_by_text("Breathe slowly", exact=True)).to_be_visible()
    step.refresh_from_db()
    assert step.title_en == "Breathe slowly"
    patient_page.context.close()


def test_a_bad_rule_is_refused_in_the_admin_with_a_message(page, staff, password, guidance_content):
    log_in(page, staff.email, password)
    page.goto(f"{page.base_url}/admin/guidance/rule/add/")
    page.locator("#id_name").fill("Broken")
    page.locator("#id_conditions").fill('[{"fact": "episode.mood", "op": "eq", "value": 1}]')
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("unknown fact 'episode.mood'")).to_be_visible()
