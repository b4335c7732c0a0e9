import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_interactive_api_docs_render_from_this_origin_under_the_csp(page):
    """Swagger UI starts (its script is a file, not inline) and lists the episode endpoints."""
    log_in(page, PatientFactory().email, PASSWORD)
    page.goto(page.base_url + "/api/docs/")
    expect(page.get_by_role("heading", name="Spasm tracker API")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/episodes/").first).to_be_visible()
    assert_accessible(page)
