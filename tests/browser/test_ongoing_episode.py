"""Mid-spasm on a phone: home shows the ongoing spasm instead of a second start button,
"It got worse" updates its severity, "It's over" ends it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_ongoing_spasm_gets_worse_then_ends_from_home(
    page_factory, patient, password, guidance_content, scheme
):
    page = page_factory(color_scheme=scheme)
    log_in(page, patient.email, password)
    page.get_by_text("I'm having a spasm now").click()
    page.get_by_role("button", name="5 Moderate").click()
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()

    page.get_by_role("link", name="Home").click()
    card = page.locator(".ongoing")
    expect(card.get_by_role("heading", name="Spasm in progress")).to_be_visible()
    expect(card).to_contain_text("Severity 5/10")
    expect(card.locator(".elapsed")).to_have_text("0 min")
    expect(page.get_by_text("I'm having a spasm now")).to_have_count(0)
    assert_accessible(page)

    card.get_by_text("It got worse").click()
    assert_accessible(page)
    card.get_by_role("button", name="8", exact=True).click()
    expect(page.get_by_text("Severity updated.")).to_be_visible()
    episode = Episode.objects.get(patient=patient)
    assert episode.severity == 8 and episode.is_ongoing

    page.get_by_role("link", name="Home").click()
    expect(page.locator(".ongoing")).to_contain_text("Severity 8/10")
    page.locator(".ongoing").get_by_role("button", name="It's over").click()
    expect(page.get_by_text("Glad it's over.")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_text("I'm having a spasm now")).to_be_visible()
    assert Episode.objects.get(patient=patient).is_ongoing is False
    assert Episode.objects.filter(patient=patient).count() == 1
